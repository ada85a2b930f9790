package dev.kmodcheck.facts.context;

import dev.kmodcheck.ir.SrcRange;

/**
 * One reason for being atomic, with where it began: the lock call, or the callback registration.
 *
 * @param lock canonical text of the lock argument ({@link dev.kmodcheck.facts.ExprKey}), so the
 *     matching unlock releases exactly this cause; null when there is none (preempt_disable)
 * @param description evidence for the trace, e.g. "spin_lock_irqsave(&priv->lock, flags) disables
 *     interrupts and takes a spinlock" or "xyz_irq is registered as a hard IRQ handler by
 *     request_irq"
 */
public record AtomicCause(AtomicKind kind, String lock, SrcRange range, String description) {}
