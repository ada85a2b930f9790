package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.AtomicKind;

/**
 * A function the kernel calls in atomic context, found where the module registers it
 * (docs/kernel-facts.md §4.6).
 *
 * @param how evidence for the trace, e.g. "registered as a hard IRQ handler by request_irq"
 */
public record EntryPoint(
    FunctionRef function, AtomicKind context, SrcRange registeredAt, String how) {}
