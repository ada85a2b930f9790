package dev.kmodcheck.rules.dma;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.kernel.OriginKind;

/**
 * The DMA API forbids kernel and module image memory (docs/kernel-facts.md §5.1). No runtime check
 * catches it on x86_64: module data lies outside the vmalloc range (§5.4, §8), so the mapping
 * silently uses the wrong physical address for a module. A warning: built-in code in the kernel
 * image may get away with it on some architectures.
 */
@RuleInfo(
    id = "static-dma",
    name = "StaticDma",
    severity = Severity.WARNING,
    summary =
        "Global or static buffer (kernel or module image, string literal) passed to a DMA API",
    tags = {"correctness", "memory", "dma", "static"},
    precision = "medium")
public final class StaticDma implements ProgramRule {

  @Override
  public void checkProgram(ProgramContext ctx) {
    DmaReport.report(
        ctx,
        info(),
        u -> u.origin(OriginKind.STATIC),
        "points to static memory",
        "the DMA API forbids kernel and module image addresses; use kmalloc'ed memory");
  }
}
