package dev.kmodcheck.rules;

import dev.kmodcheck.facts.CValue;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.Expr;

/** What a call's gfp argument provably contains. */
public final class GfpFlags {

  /** ___GFP_NOWARN: 0x2000 in both 6.1 and 6.12 (docs/kernel-facts.md §2.1). */
  public static final long NOWARN = 0x2000;

  private GfpFlags() {}

  /**
   * True if the call's flags provably include {@code bit}. Unknown flags or an API without a gfp
   * argument give false.
   */
  public static boolean provablyHas(AllocationCall call, ValueEvaluator evaluator, long bit) {
    Expr arg = call.arg(call.api().gfpArg());
    if (arg == null) return false;
    CValue v = evaluator.eval(arg);
    return v != null && v.value().testBit(Long.numberOfTrailingZeros(bit));
  }
}
