package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.kernel.SleepCategory;

/**
 * Sleeping calls other than allocations (mutex_lock, msleep, copy_to_user, wait_event, vfree
 * outside interrupt context, ...: docs/kernel-facts.md §3.2, §3.4) in atomic context (§4.3, §4.6),
 * directly or through helpers. vfree is reported only where some path is not in interrupt context,
 * because in_interrupt() makes it defer instead of sleeping. The shared analysis is {@link
 * AtomicFindings}.
 */
@RuleInfo(
    id = "sleep-in-atomic",
    name = "SleepInAtomic",
    severity = Severity.ERROR,
    summary =
        "Sleeping call (mutex_lock, msleep, copy_to_user, wait_event, vfree outside interrupt"
            + " context, ...) made in atomic context, directly or through a chain of calls",
    tags = {"correctness", "concurrency", "atomic-context", "sleep-in-atomic"},
    precision = "high")
public final class SleepInAtomic implements ProgramRule {

  @Override
  public void checkProgram(ProgramContext ctx) {
    AtomicReport.report(ctx, SleepCategory.SLEEP, info());
  }
}
