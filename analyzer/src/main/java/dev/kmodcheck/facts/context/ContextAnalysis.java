package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import java.util.List;
import java.util.Map;

/**
 * Atomic state along each function's control-flow graph, from the lock table (atomic-apis.tsv,
 * kernel-facts §4.3) and the lock effects of called program functions. Path-sensitive where it
 * matters: a lock taken and released under the same condition, trylock success branches.
 */
public final class ContextAnalysis {
  private ContextAnalysis() {}

  /**
   * @param entry causes held when the function starts (a callback's context, __must_hold)
   * @param effects lock effects of program functions (from {@link #lockEffects})
   */
  public static FunctionContext analyze(
      Program program, FunctionRef fn, List<AtomicCause> entry, Map<FunctionRef, LockEffect> effects) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Lock effects of every function of the program, to a fixed point (wrappers of wrappers). */
  public static Map<FunctionRef, LockEffect> lockEffects(Program program) {
    throw new UnsupportedOperationException("TODO");
  }
}
