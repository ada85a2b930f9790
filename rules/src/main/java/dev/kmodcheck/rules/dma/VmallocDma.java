package dev.kmodcheck.rules.dma;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.kernel.OriginKind;

/**
 * vmalloc memory is only virtually contiguous: dma_map_single() rejects it at run time (one-shot
 * warning, DMA_MAPPING_ERROR) and virt_to_page()-based sinks hand the device the wrong pages
 * (docs/kernel-facts.md §5.1, §5.3). Functions that resolve pages with vmalloc_to_page() or ask
 * is_vmalloc_addr() are trusted to handle it.
 */
@RuleInfo(
    id = "vmalloc-dma",
    name = "VmallocDma",
    severity = Severity.ERROR,
    summary =
        "vmalloc-family memory (vmalloc, vzalloc, vmap, ...) passed to a DMA API (dma_map_single,"
            + " sg_init_one, usb_fill_*_urb, urb->transfer_buffer, ...), tracked across functions"
            + " and files",
    tags = {"correctness", "memory", "dma", "vmalloc"},
    precision = "high")
public final class VmallocDma implements ProgramRule {

  @Override
  public void checkProgram(ProgramContext ctx) {
    DmaReport.report(
        ctx,
        info(),
        u -> u.checksVmalloc() ? null : u.origin(OriginKind.VMALLOC),
        "points to vmalloc memory",
        "vmalloc memory is only virtually contiguous, so the device would get the wrong pages");
  }
}
