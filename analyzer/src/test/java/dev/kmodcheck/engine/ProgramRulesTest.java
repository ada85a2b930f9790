package dev.kmodcheck.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.Fact;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
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
 * Whole-program rules of one program share its facts: a fact is computed once, whichever rule asks
 * first and on whichever thread; with more jobs than programs the rules run side by side.
 */
class ProgramRulesTest {

  @TempDir Path dir;

  /** A fact: which call of its computation made it. */
  record Shared(int computation) {}

  /** The key both rules of a test ask for, counting its computations in {@code computations}. */
  static Fact<ProgramContext, Shared> counted(AtomicInteger computations) {
    return Fact.ofProgram("shared", c -> new Shared(computations.incrementAndGet()));
  }

  /** The first rule: asks for the fact, after (when it can) waiting for the second rule. */
  @RuleInfo(id = "first", name = "First", severity = Severity.ERROR, summary = "First.")
  static final class First implements ProgramRule {
    final CountDownLatch secondStarted;
    final Fact<ProgramContext, Shared> shared;
    final AtomicReference<Shared> seen = new AtomicReference<>();
    volatile boolean sawSecondRunning;

    First(CountDownLatch secondStarted, Fact<ProgramContext, Shared> shared) {
      this.secondStarted = secondStarted;
      this.shared = shared;
    }

    @Override
    public void checkProgram(ProgramContext ctx) {
      try {
        // Side by side, the second rule starts meanwhile; one after the other it never does.
        sawSecondRunning = secondStarted.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      seen.set(ctx.fact(shared));
      report(ctx, "first");
    }
  }

  @RuleInfo(id = "second", name = "Second", severity = Severity.ERROR, summary = "Second.")
  static final class Second implements ProgramRule {
    final CountDownLatch started;
    final Fact<ProgramContext, Shared> shared;
    final AtomicReference<Shared> seen = new AtomicReference<>();

    Second(CountDownLatch started, Fact<ProgramContext, Shared> shared) {
      this.started = started;
      this.shared = shared;
    }

    @Override
    public void checkProgram(ProgramContext ctx) {
      started.countDown();
      seen.set(ctx.fact(shared));
      report(ctx, "second");
    }
  }

  /** Asks for the fact; its computation fails on its first call, whoever makes it. */
  abstract static class Asker implements ProgramRule {
    final Fact<ProgramContext, Shared> shared;

    Asker(Fact<ProgramContext, Shared> shared) {
      this.shared = shared;
    }

    @Override
    public void checkProgram(ProgramContext ctx) {
      ctx.fact(shared);
      report(ctx, info().id());
    }
  }

  /** A key whose computation fails on its first call, whoever makes it. */
  static Fact<ProgramContext, Shared> failingFirst(AtomicInteger computations) {
    return Fact.ofProgram(
        "shared",
        c -> {
          int n = computations.incrementAndGet();
          if (n == 1) throw new IllegalStateException("first computation fails");
          return new Shared(n);
        });
  }

  @RuleInfo(id = "asker-a", name = "AskerA", severity = Severity.ERROR, summary = "Asks.")
  static final class AskerA extends Asker {
    AskerA(Fact<ProgramContext, Shared> shared) {
      super(shared);
    }
  }

  @RuleInfo(id = "asker-b", name = "AskerB", severity = Severity.ERROR, summary = "Asks.")
  static final class AskerB extends Asker {
    AskerB(Fact<ProgramContext, Shared> shared) {
      super(shared);
    }
  }

  private static void report(ProgramContext ctx, String rule) {
    TranslationUnit u = ctx.units().get(0);
    ctx.report(
        new Finding(rule, Severity.ERROR, rule, u.functions().get(0).nameRange(), "f", List.of()));
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
    Fact<ProgramContext, Shared> shared = counted(computations);
    First first = new First(secondStarted, shared);
    Second second = new Second(secondStarted, shared);
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
    Fact<ProgramContext, Shared> shared = counted(computations);
    First first = new First(secondStarted, shared);
    ScanResult r = scan(List.of(first, new Second(secondStarted, shared)), 1);
    assertTrue(!first.sawSecondRunning, "the second rule waits for the first");
    assertEquals(1, computations.get());
    assertEquals(List.of("first", "second"), ruleIds(r));
  }

  @Test
  void aFailedComputationIsTriedAgainByTheNextRuleThatAsks() throws Exception {
    for (int jobs : new int[] {1, 2, 3}) {
      AtomicInteger computations = new AtomicInteger();
      Fact<ProgramContext, Shared> shared = failingFirst(computations);
      ScanResult r = scan(List.of(new AskerA(shared), new AskerB(shared)), jobs);
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
