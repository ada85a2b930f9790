package dev.kmodcheck.rules.dma;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.kernel.OriginKind;

/**
 * Stack memory must not be mapped for DMA: with CONFIG_VMAP_STACK (Debian) the stack is vmalloc
 * memory, so dma_map_single() rejects it, and the USB core refuses stack transfer buffers and setup
 * packets (docs/kernel-facts.md §5.1, §5.3, §5.4).
 */
@RuleInfo(
    id = "stack-dma",
    name = "StackDma",
    severity = Severity.ERROR,
    summary =
        "Address of a local variable or array (stack memory) passed to a DMA API"
            + " (dma_map_single, usb_control_msg, spi_write, sg_init_one, ...)",
    tags = {"correctness", "memory", "dma", "stack"},
    precision = "high")
public final class StackDma implements ProgramRule {

  @Override
  public void checkProgram(ProgramContext ctx) {
    DmaReport.report(
        ctx,
        info(),
        // A function resolving vmalloc pages itself handles a vmapped stack the same way.
        u -> u.checksStack() || u.checksVmalloc() ? null : u.origin(OriginKind.STACK),
        "points to the stack",
        "stack memory is not DMA-safe: with CONFIG_VMAP_STACK it is vmalloc memory, and it"
            + " shares cache lines with live stack data");
  }
}
