package dev.kmodcheck.rules.dma;

import dev.kmodcheck.check.Fact;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.facts.origin.DmaUse;
import dev.kmodcheck.facts.origin.PointerOrigins;
import java.util.List;

/**
 * The DMA sink uses of the program, computed once per scan and shared by the four DMA-safety rules:
 * each picks the uses whose buffer may have its origin kind.
 */
final class DmaFindings {
  private DmaFindings() {}

  /** Uses in the scanned project's own files (not in kernel headers parsed with them). */
  static List<DmaUse> uses(ProgramContext ctx) {
    return ctx.fact(ORIGINS).uses().stream().filter(u -> u.range().inProject()).toList();
  }

  private static final Fact<ProgramContext, PointerOrigins> ORIGINS =
      Fact.ofProgram(
          "pointer origins",
          c ->
              PointerOrigins.compute(
                  c.program(),
                  c.apis(),
                  // The shipped sinks plus the project's dmaSinks rows (docs/config.md).
                  c.knowledge().dmaSinks(),
                  c.target().pageSize(),
                  c::evaluator));
}
