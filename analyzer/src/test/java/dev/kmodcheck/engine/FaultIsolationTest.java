package dev.kmodcheck.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.check.UnitRule;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file that breaks the parser, a rule or the time budget costs that file (or that rule on that
 * file) and nothing else: the scan completes, every other finding is kept, and the loss is counted
 * and named.
 */
class FaultIsolationTest {

  @TempDir Path dir;

  /** Reports every function whose name starts with "bug_". */
  @RuleInfo(id = "marks-bugs", name = "MarksBugs", severity = Severity.ERROR, summary = "Marks.")
  static final class MarksBugs implements UnitRule {
    @Override
    public void checkUnit(UnitContext ctx) {
      for (FunctionDef f : ctx.unit().functions()) {
        if (f.name().startsWith("bug_")) {
          ctx.report(
              new Finding("marks-bugs", Severity.ERROR, "bug", f.nameRange(), f.name(), List.of()));
        }
      }
    }
  }

  /** Fails in the way given on files that define a function named "poison". */
  @RuleInfo(id = "fragile", name = "Fragile", severity = Severity.ERROR, summary = "Fails.")
  static final class Fragile implements UnitRule {
    final Runnable failure;

    Fragile(Runnable failure) {
      this.failure = failure;
    }

    static Fragile throwing(Supplier<? extends Throwable> error) {
      return new Fragile(() -> sneakyThrow(error.get()));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
      throw (T) t;
    }

    @Override
    public void checkUnit(UnitContext ctx) {
      for (FunctionDef f : ctx.unit().functions()) {
        if (f.name().equals("before_poison")) {
          ctx.report(
              new Finding("fragile", Severity.ERROR, "seen", f.nameRange(), f.name(), List.of()));
        }
        if (f.name().equals("poison")) failure.run();
      }
    }
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private ScanResult scan(List<Rule> rules, long timeoutMillis, int jobs) throws Exception {
    ScanRequest request =
        new ScanRequest(List.of(dir), dir, Target.defaultTarget(), null, jobs)
            .withFileTimeoutMillis(timeoutMillis);
    return new Scanner(rules).scan(request);
  }

  private static List<String> bugFunctions(ScanResult r) {
    return r.findings().stream().map(Finding::function).toList();
  }

  private static Notification only(ScanResult r, String kind) {
    List<Notification> n = r.notifications().stream().filter(x -> x.kind().equals(kind)).toList();
    assertEquals(1, n.size(), () -> kind + " notifications: " + r.notifications());
    return n.get(0);
  }

  private void twoGoodFilesAndOnePoisoned() throws Exception {
    write("a.c", "void bug_a(void) { }\n");
    write("b.c", "void before_poison(void) { }\nvoid poison(void) { }\nvoid bug_b(void) { }\n");
    write("c.c", "void bug_c(void) { }\n");
  }

  @Test
  void aRuleThatThrowsLosesOnlyItsOwnFindingsOnThatFile() throws Exception {
    twoGoodFilesAndOnePoisoned();
    Fragile fragile = Fragile.throwing(() -> new IllegalStateException("boom"));
    ScanResult r = scan(List.of(new MarksBugs(), fragile), 60_000, 2);
    assertEquals(List.of("bug_a", "before_poison", "bug_b", "bug_c"), bugFunctions(r));
    Notification n = only(r, "rule-failed");
    assertEquals("error", n.level());
    assertEquals("b.c", n.location().file());
    assertTrue(n.message().contains("fragile") && n.message().contains("boom"), n.message());
    assertEquals(1, r.stats().ruleFailures());
    assertEquals(0, r.stats().filesSkipped());
    assertTrue(r.stats().incomplete());
  }

  @Test
  void aStackOverflowInARuleIsIsolatedToo() throws Exception {
    twoGoodFilesAndOnePoisoned();
    Fragile fragile = Fragile.throwing(() -> new StackOverflowError());
    ScanResult r = scan(List.of(new MarksBugs(), fragile), 60_000, 1);
    assertEquals(List.of("bug_a", "before_poison", "bug_b", "bug_c"), bugFunctions(r));
    assertTrue(only(r, "rule-failed").message().contains("StackOverflowError"));
  }

  @Test
  void aFileThatRunsOutOfMemoryOnceIsRetriedAndLosesNothing() throws Exception {
    twoGoodFilesAndOnePoisoned();
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    Fragile fragile =
        new Fragile(
            () -> {
              if (failedOnce.add("poison")) throw new OutOfMemoryError("simulated");
            });
    ScanResult r = scan(List.of(new MarksBugs(), fragile), 60_000, 2);
    assertEquals(List.of("bug_a", "before_poison", "bug_b", "bug_c"), bugFunctions(r));
    assertEquals(List.of(), r.notifications());
    assertFalse(r.stats().incomplete());
  }

  @Test
  void aFileThatAlwaysRunsOutOfMemoryIsSkippedWithTheCause() throws Exception {
    twoGoodFilesAndOnePoisoned();
    Fragile fragile = Fragile.throwing(() -> new OutOfMemoryError("simulated"));
    ScanResult r = scan(List.of(new MarksBugs(), fragile), 60_000, 2);
    Notification n = only(r, "file-skipped");
    assertEquals("b.c", n.location().file());
    assertTrue(n.message().contains("out of memory"), n.message());
    assertEquals(1, r.stats().filesSkipped());
    // What the rules reported on b.c before the failure is kept.
    assertEquals(List.of("bug_a", "before_poison", "bug_b", "bug_c"), bugFunctions(r));
  }

  @Test
  void aRuleThatIgnoresItsBudgetIsAbandonedAndTheScanCompletes() throws Exception {
    twoGoodFilesAndOnePoisoned();
    CountDownLatch release = new CountDownLatch(1);
    Fragile stuck =
        new Fragile(
            () -> {
              try {
                release.await(); // never reaches a budget checkpoint
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    try {
      ScanResult r =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30), () -> scan(List.of(new MarksBugs(), stuck), 500, 1));
      Notification n = only(r, "file-skipped");
      assertEquals("b.c", n.location().file());
      assertTrue(n.message().contains("time budget of 500 ms"), n.message());
      assertEquals(List.of("bug_a", "bug_c"), bugFunctions(r));
      assertEquals(1, r.stats().filesSkipped());
    } finally {
      release.countDown();
    }
  }

  @Test
  void aPathologicalMacroFileIsStoppedByTheBudget() throws Exception {
    write("a.c", "void bug_a(void) { }\n");
    write("macro.c", PathologicalInputs.deepMacroFile());
    write("z.c", "void bug_z(void) { }\n");
    long start = System.nanoTime();
    ScanResult r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60), () -> scan(List.of(new MarksBugs()), 1000, 2));
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    Notification n = only(r, "file-skipped");
    assertEquals("macro.c", n.location().file());
    assertTrue(n.message().contains("exceeded the time budget of 1 s"), n.message());
    assertEquals(List.of("bug_a", "bug_z"), bugFunctions(r));
    assertTrue(seconds < 30, "the budget stopped the file: " + seconds + " s");
  }

  @Test
  void deepNestingGivesTheSameResultAtAnyNumberOfThreads() throws Exception {
    // 5,000 nested parentheses overflow a default thread stack but not a worker's.
    write(
        "deep.c",
        "int bug_deep(int x) { return " + "(".repeat(5000) + "x" + ")".repeat(5000) + "; }\n");
    write("b.c", "void bug_b(void) { }\n");
    ScanResult one = scan(List.of(new MarksBugs()), 60_000, 1);
    ScanResult two = scan(List.of(new MarksBugs()), 60_000, 2);
    assertEquals(List.of("bug_b", "bug_deep"), bugFunctions(one));
    assertEquals(one.findings(), two.findings());
    assertEquals(one.notifications(), two.notifications());
  }
}
