package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.Program;
import java.util.List;
import java.util.Map;

/**
 * May-sleep facts for every function of the program, computed to a fixed point over the call
 * graph (recursion-safe, no depth limit) from the sleeping-API table (sleep-apis.tsv and
 * alloc-apis.tsv, kernel-facts §3): per function and per {@link SleepCategory}, the shortest chain
 * to a sleeping call that happens whatever the arguments, and the chains that happen only when
 * gfp parameter k may block (GFP values are evaluated through macros, locals, conditionals and
 * parameters).
 */
public final class SleepSummaries {

  public static SleepSummaries compute(Program program) {
    throw new UnsupportedOperationException("TODO");
  }

  /**
   * The sleep chains a call may start, one per category at most (shortest), given the argument
   * values at the call site: for a sleeping API directly (a one-step chain), or through the
   * callee's summary, with gfp arguments evaluated by {@code ev} under {@code assumptions} (see
   * {@link dev.kmodcheck.facts.context.PathState#assumptions}). Unknown GFP values do not count
   * as blocking.
   */
  public List<SleepChain> chainsForCall(
      CallSite site, ValueEvaluator ev, Map<String, Boolean> assumptions) {
    throw new UnsupportedOperationException("TODO");
  }
}
