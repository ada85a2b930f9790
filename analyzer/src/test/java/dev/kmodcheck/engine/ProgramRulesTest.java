package dev.kmodcheck.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.facts.Target;
import dev.kmodcheck.ir.TranslationUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-program rules of one program share its facts: a fact is computed once, whichever rule
 * asks first and on whichever thread; with more jobs than programs the rules run side by side.
 */
class ProgramRulesTest {

  @TempDir Path dir;

  /** A fact: which call of its computation made it. */
  record Shared(int computation) {}

  /** The first rule: asks for the fact, after (when it can) waiting for the second rule. */
  @RuleInfo(id = "first", name = "First", severity = Severity.ERROR, summary = "First.")
  static final class First implements Rule {
    final CountDownLatch secondStarted;
    final AtomicInteger computations;
    final AtomicReference<Shared> seen = new AtomicReference<>();
    volatile boolean sawSecondRunning;

    First(CountDownLatch secondStarted, AtomicInteger computations) {
      this.secondStarted = secondStarted;
      this.computations = computations;
    }

    @Override
    public void checkProgram(ProgramContext ctx) {
      try {
        // Side by side, the second rule starts meanwhile; one after the other it never does.
        sawSecondRunning = secondStarted.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      seen.set(ctx.fact(Shared.class, c -> new Shared(computations.incrementAndGet())));
      report(ctx, "first");
    }
  }

  @RuleInfo(id = "second", name = "Second", severity = Severity.ERROR, summary = "Second.")
  static final class Second implements Rule {
    final CountDownLatch started;
    final AtomicInteger computations;
    final AtomicReference<Shared> seen = new AtomicReference<>();

    Second(CountDownLatch started, AtomicInteger computations) {
      this.started = started;
      this.computations = computations;
    }

    @Override
    public void checkProgram(ProgramContext ctx) {
      started.countDown();
      seen.set(ctx.fact(Shared.class, c -> new Shared(computations.incrementAndGet())));
      report(ctx, "second");
    }
  }

  /** Asks for the fact; its computation fails on its first call, whoever makes it. */
  abstract static class Asker implements Rule {
    final AtomicInteger computations;

    Asker(AtomicInteger computations) {
      this.computations = computations;
    }

    @Override
    public void checkProgram(ProgramContext ctx) {
      ctx.fact(
          Shared.class,
          c -> {
            int n = computations.incrementAndGet();
            if (n == 1) throw new IllegalStateException("first computation fails");
            return new Shared(n);
          });
      report(ctx, info().id());
    }
  }

  @RuleInfo(id = "asker-a", name = "AskerA", severity = Severity.ERROR, summary = "Asks.")
  static final class AskerA extends Asker {
    AskerA(AtomicInteger computations) {
      super(computations);
    }
  }

  @RuleInfo(id = "asker-b", name = "AskerB", severity = Severity.ERROR, summary = "Asks.")
  static final class AskerB extends Asker {
    AskerB(AtomicInteger computations) {
      super(computations);
    }
  }

  private static void report(ProgramContext ctx, String rule) {
    TranslationUnit u = ctx.units().get(0);
    ctx.report(
        new Finding(
            rule, Severity.ERROR, rule, u.functions().get(0).nameRange(), "f", List.of()));
  }

  private ScanResult scan(List<Rule> rules, int jobs) throws Exception {
    Files.writeString(dir.resolve("a.c"), "void f(void) { }\n");
    Files.writeString(dir.resolve("b.c"), "void g(void) { }\n");
    ScanRequest request =
        new ScanRequest(
            List.of(dir), dir, Target.defaultTarget(), null, jobs, ScanRequest.ProgramScope.ALL);
    return new Scanner(rules).scan(request);
  }

  private static List<String> ruleIds(ScanResult r) {
    return r.findings().stream().map(Finding::ruleId).toList();
  }

  @Test
  void withMoreJobsThanProgramsRulesRunSideBySideAndShareOneComputation() throws Exception {
    CountDownLatch secondStarted = new CountDownLatch(1);
    AtomicInteger computations = new AtomicInteger();
    First first = new First(secondStarted, computations);
    Second second = new Second(secondStarted, computations);
    ScanResult r = scan(List.of(first, second), 2);
    assertTrue(first.sawSecondRunning, "the second rule started while the first ran");
    assertEquals(1, computations.get(), "the fact is computed once");
    assertSame(first.seen.get(), second.seen.get());
    assertEquals(List.of("first", "second"), ruleIds(r));
    assertEquals(List.of(), r.notifications());
  }

  @Test
  void withOneJobRulesRunOneAfterTheOther() throws Exception {
    CountDownLatch secondStarted = new CountDownLatch(1);
    AtomicInteger computations = new AtomicInteger();
    First first = new First(secondStarted, computations);
    ScanResult r = scan(List.of(first, new Second(secondStarted, computations)), 1);
    assertTrue(!first.sawSecondRunning, "the second rule waits for the first");
    assertEquals(1, computations.get());
    assertEquals(List.of("first", "second"), ruleIds(r));
  }

  @Test
  void aFailedComputationIsTriedAgainByTheNextRuleThatAsks() throws Exception {
    for (int jobs : new int[] {1, 2, 3}) {
      AtomicInteger computations = new AtomicInteger();
      ScanResult r =
          scan(
              List.of(new AskerA(computations), new AskerB(computations)),
              jobs);
      assertEquals(2, computations.get(), "-j " + jobs);
      List<Notification> failed =
          r.notifications().stream().filter(n -> n.kind().equals("rule-failed")).toList();
      assertEquals(1, failed.size(), () -> "-j " + jobs + ": " + r.notifications());
      assertTrue(
          failed.get(0).message().contains("first computation fails"), failed.get(0).message());
      assertEquals(1, r.findings().size(), () -> "-j " + jobs + ": " + r.findings());
    }
  }
}
