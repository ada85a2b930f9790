package dev.kmodcheck.rules.dma;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.facts.origin.DmaUse;
import dev.kmodcheck.facts.origin.PointerOrigins;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.rules.AllocationCalls;
import java.util.List;

/**
 * The DMA sink uses of the program, computed once per scan and shared by the four DMA-safety rules:
 * each picks the uses whose buffer may have its origin kind.
 */
final class DmaFindings {
  private DmaFindings() {}

  /** Uses in the scanned project's own files (not in kernel headers parsed with them). */
  static List<DmaUse> uses(ProgramContext ctx) {
    PointerOrigins origins =
        ctx.fact(
            PointerOrigins.class,
            c ->
                PointerOrigins.compute(
                    c.fact(Program.class, p -> new Program(p.units())),
                    c.apis(),
                    // The shipped sinks plus the project's dmaSinks rows (docs/config.md).
                    c.knowledge().dmaSinks(),
                    c.target().pageSize(),
                    c::evaluator));
    return origins.uses().stream().filter(u -> AllocationCalls.isProjectFile(u.range())).toList();
  }
}
