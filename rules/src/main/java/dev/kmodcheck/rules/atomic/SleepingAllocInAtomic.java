package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.kernel.SleepCategory;

/**
 * An allocation whose GFP flags contain __GFP_DIRECT_RECLAIM (GFP_KERNEL, GFP_NOIO, GFP_NOFS,
 * GFP_USER, ...) goes through might_alloc() and may enter direct reclaim, so it may sleep
 * (docs/kernel-facts.md §2.3, §3.1). Made in atomic context (§4.3, §4.6), directly or via calls, it
 * is a bug. Unknown flags never count as blocking. The shared analysis is {@link AtomicFindings}.
 */
@RuleInfo(
    id = "sleeping-alloc-in-atomic",
    name = "SleepingAllocInAtomic",
    severity = Severity.ERROR,
    summary =
        "Allocation whose GFP flags allow direct reclaim (GFP_KERNEL, GFP_NOIO, GFP_NOFS, ...)"
            + " made in atomic context, directly or through a chain of calls",
    tags = {"correctness", "concurrency", "atomic-context", "gfp", "sleep-in-atomic"},
    precision = "high")
public final class SleepingAllocInAtomic implements ProgramRule {

  @Override
  public void checkProgram(ProgramContext ctx) {
    AtomicReport.report(ctx, SleepCategory.ALLOC, info());
  }
}
