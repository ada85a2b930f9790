package dev.kmodcheck.summarize;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.facts.program.Program;
import java.util.Set;
import java.util.function.Predicate;

/** Hands each directory's program to the collector; reports nothing. */
@RuleInfo(
    id = "kernel-summary",
    name = "KernelSummary",
    severity = Severity.NOTE,
    summary = "Collects the may-sleep facts of a kernel tree (kmodcheck summarize).")
public final class KernelSummaryRule implements ProgramRule {
  private final KernelSummaryBuilder builder;
  private final SharedHeaders shared = new SharedHeaders();
  private final Set<String> defined;

  /** {@code defined}: the names defined somewhere in the tree ({@link KernelTree.TreeNames}). */
  public KernelSummaryRule(KernelSummaryBuilder builder, Set<String> defined) {
    this.builder = builder;
    this.defined = defined;
  }

  @Override
  public void checkProgram(ProgramContext ctx) {
    Program program = ctx.program();
    KernelSummaryCollector.collect(
        program, ctx.knowledge().sleepApis(), ctx::evaluator, shared, defined::contains, builder);
  }

  /** Which files are the shared headers (their inline functions are visible to every module). */
  private static final class SharedHeaders implements Predicate<String> {
    @Override
    public boolean test(String file) {
      return file.endsWith(".h")
          && (file.startsWith("include/") || file.startsWith(KernelTree.ARCH + "/include/"));
    }
  }
}
