package dev.kmodcheck.facts.context;

import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.AtomicKind;

/**
 * One reason for being atomic, with where it began: the lock call, or the callback registration.
 *
 * @param lock canonical text of the lock argument ({@link dev.kmodcheck.facts.ExprKey}), so the
 *     matching unlock releases exactly this cause; null when there is none (preempt_disable)
 * @param description evidence for the trace, e.g. "spin_lock_irqsave(&priv->lock, flags) disables
 *     interrupts and takes a spinlock" or "xyz_irq is registered as a hard IRQ handler by
 *     request_irq"
 * @param shown the lock as the author wrote it at the lock call ({@code xc->lock}) when {@code
 *     lock} reads otherwise ({@code &(filp->private_data->lock)}, a local replaced by its value so
 *     that callers and callees agree); null when {@code lock} reads as written
 */
public record AtomicCause(
    AtomicKind kind, String lock, SrcRange range, String description, String shown) {

  public AtomicCause(AtomicKind kind, String lock, SrcRange range, String description) {
    this(kind, lock, range, description, null);
  }
}
