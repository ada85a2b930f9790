package dev.kmodcheck.kernel;

/**
 * Why the CPU is atomic at a given point (docs/kernel-facts.md §4.3, §4.6). Sleeping is a bug in
 * all of them (non-PREEMPT_RT semantics); {@link #inInterrupt} matters for vfree(), which defers
 * its work there instead of sleeping (§3.2).
 */
public enum AtomicKind {
  SPINLOCK,
  RAW_SPINLOCK,
  RWLOCK,
  SEQLOCK,
  BIT_SPINLOCK,
  LOCAL_LOCK,
  IRQS_OFF,
  BH_OFF,
  PREEMPT_OFF,
  RCU_READ,
  /** A hard IRQ handler (request_irq and friends). */
  HARDIRQ,
  /** Softirq: tasklets, timers, NAPI poll, RCU callbacks, BH workqueue items. */
  SOFTIRQ,
  /** Other callbacks the kernel documents as atomic (atomic notifiers, IPI functions, ...). */
  ATOMIC_CALLBACK,
  /**
   * A network driver's transmit function (ndo_start_xmit): the stack calls it with bottom halves
   * disabled, where in_interrupt() is true, but netpoll (netconsole) calls it with interrupts off
   * from process context, where in_interrupt() is false (docs/kernel-facts.md §4.6).
   */
  XMIT,
  /**
   * Restart and power-off handlers: run with interrupts off while the system goes down
   * (system_state past SYSTEM_RUNNING), where I2C transfers have an atomic mode.
   */
  SHUTDOWN_HANDLER,
  /** The caller holds a lock on entry (sparse __must_hold, or a lock-taking wrapper's caller). */
  CALLER_HELD;

  /** in_interrupt() is true: hardirq, softirq, or bottom halves disabled. */
  public boolean inInterrupt() {
    return this == HARDIRQ || this == SOFTIRQ || this == BH_OFF;
  }
}
