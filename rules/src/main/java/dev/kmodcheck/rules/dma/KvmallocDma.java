package dev.kmodcheck.rules.dma;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.facts.origin.Origin;
import dev.kmodcheck.kernel.OriginKind;

/**
 * kvmalloc memory is vmalloc memory whenever kvmalloc_node() fell back: above PAGE_SIZE, with
 * blocking flags, a failed kmalloc (docs/kernel-facts.md §1.11). Reported if the size is provably
 * above PAGE_SIZE and the flags provably may block; unknown sizes are not reported
 * (docs/rules/kvmalloc-dma.md says why).
 */
@RuleInfo(
    id = "kvmalloc-dma",
    name = "KvmallocDma",
    severity = Severity.WARNING,
    summary =
        "kvmalloc-family memory provably above PAGE_SIZE (so possibly vmalloc) passed to a DMA"
            + " API",
    tags = {"correctness", "memory", "dma", "kvmalloc", "vmalloc"},
    precision = "high")
public final class KvmallocDma implements ProgramRule {

  @Override
  public void checkProgram(ProgramContext ctx) {
    long pageSize = ctx.target().pageSize();
    DmaReport.report(
        ctx,
        info(),
        u -> {
          Origin o = u.checksVmalloc() ? null : u.origin(OriginKind.KVMALLOC);
          return o != null && o.mayBeVmalloc(pageSize) ? o : null;
        },
        "may point to vmalloc memory",
        "kvmalloc falls back to vmalloc above PAGE_SIZE ("
            + pageSize
            + " bytes) when kmalloc"
            + " fails, and vmalloc memory is only virtually contiguous");
  }
}
