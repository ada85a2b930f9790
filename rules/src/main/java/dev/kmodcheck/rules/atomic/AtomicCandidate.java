package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.context.PathState;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.sleep.SleepChain;

/**
 * A call made in atomic context that may sleep: the outermost such call, the atomic state on the
 * paths reaching it, and the shortest chain from it to a sleeping API.
 *
 * @param direct the call site is the sleeping API itself, not a function of the program
 * @param ev the caller's evaluator under the state's assumptions, to name the gfp flags
 * @param entered atomic context began before the function did: a callback registration or
 *     __must_hold, not a lock call in its body
 */
record AtomicCandidate(
    CallSite site,
    PathState state,
    SleepChain chain,
    boolean direct,
    ValueEvaluator ev,
    boolean entered) {

  /** Where atomic context began on the reported paths. */
  AtomicCause cause() {
    return state.outermost();
  }
}
