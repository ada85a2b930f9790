package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.kernel.SleepCategory;

/**
 * vmalloc always may sleep, whatever the flags: every vmalloc-family call reaches
 * alloc_vmap_area(), whose might_sleep() is unconditional, and kvmalloc with blocking flags falls
 * back to it (docs/kernel-facts.md §3.1, §1.11). Called in atomic context (§4.3, §4.6), directly or
 * through helpers, is a "sleeping function called from invalid context" bug. The shared analysis is
 * {@link AtomicFindings}.
 */
@RuleInfo(
    id = "vmalloc-in-atomic",
    name = "VmallocInAtomic",
    severity = Severity.ERROR,
    summary =
        "vmalloc-family call (vmalloc, vzalloc, __vmalloc, vmap, or kvmalloc with blocking"
            + " flags) made in atomic context, directly or through a chain of calls",
    tags = {"correctness", "concurrency", "atomic-context", "vmalloc", "sleep-in-atomic"},
    precision = "high")
public final class VmallocInAtomic implements ProgramRule {

  @Override
  public void checkProgram(ProgramContext ctx) {
    AtomicReport.report(ctx, SleepCategory.VMALLOC, info());
  }
}
