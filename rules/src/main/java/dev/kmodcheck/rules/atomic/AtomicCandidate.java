package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.context.PathState;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.sleep.SleepChain;
import dev.kmodcheck.kernel.AtomicKind;

/**
 * A call made in atomic context that may sleep: the outermost such call, the atomic state on the
 * paths reaching it, and the shortest chain from it to a sleeping API.
 *
 * @param direct the call site is the sleeping API itself, not a function of the program
 * @param ev the caller's evaluator under the state's assumptions, to name the gfp flags
 * @param entered atomic context began before the function did: a callback registration or
 *     __must_hold, not a lock call in its body
 * @param earlyBoot why the calling function runs only during early boot (docs/kernel-facts.md
 *     §4.7), where one CPU and one task run; null when it may run later
 * @param bootEvidence the same in full, with the reference chain and kernel lines, for the trace
 */
record AtomicCandidate(
    CallSite site,
    PathState state,
    SleepChain chain,
    boolean direct,
    ValueEvaluator ev,
    boolean entered,
    String earlyBoot,
    String bootEvidence) {

  AtomicCandidate withChain(SleepChain other) {
    return new AtomicCandidate(site, state, other, direct, ev, entered, earlyBoot, bootEvidence);
  }

  AtomicCandidate duringEarlyBoot(String why, String evidence) {
    return new AtomicCandidate(site, state, chain, direct, ev, entered, why, evidence);
  }

  /** Whether the chain runs whenever the call does, and the call is not only made at boot. */
  boolean certain() {
    return chain.certain() && earlyBoot == null;
  }

  /**
   * Where the atomic context that makes the chain wrong began: the outermost cause, except for a
   * chain wrong only with interrupts disabled (dma_free_coherent), where it is the call that
   * disabled them (spin_lock_irqsave inside an ndo_tx_timeout), not the entry that did not.
   */
  AtomicCause cause() {
    if (chain.onlyIrqsOffOrInInterrupt()) {
      for (AtomicCause c : state.held()) {
        if (c.kind() == AtomicKind.IRQS_OFF
            || c.kind() == AtomicKind.HARDIRQ
            || c.kind() == AtomicKind.SHUTDOWN_HANDLER) {
          return c;
        }
      }
    }
    return state.outermost();
  }

  /** Whether {@link #cause} began before the function did (registration, __must_hold). */
  boolean causeEntered() {
    return entered && cause() == state.outermost();
  }
}
