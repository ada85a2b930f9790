package dev.kmodcheck.rules;

import dev.kmodcheck.facts.CValue;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.util.List;

/**
 * The provable page order of a page-allocator call: its order argument, or for the by-size APIs
 * (alloc_pages_exact) get_order(size) on the target's page size (docs/kernel-facts.md §1.9, §1.10).
 *
 * @param bytes the size argument when the order was derived from one, else null
 */
public record PageOrder(BigInteger order, BigInteger bytes) {

  private static final BigInteger UINT_MASK = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);

  /** The order of {@code call}, or null when it is not provable. */
  public static PageOrder of(AllocationCall call, ValueEvaluator evaluator, Target target) {
    int orderArg = call.api().orderArg();
    if (orderArg >= 0) {
      Expr arg = call.arg(orderArg);
      CValue v = arg == null ? null : evaluator.eval(arg);
      // The order parameter is unsigned int in every entry point, so -1 arrives as 4294967295.
      return v == null ? null : new PageOrder(v.value().and(UINT_MASK), null);
    }
    List<Integer> sizeArgs = call.api().sizeArgs();
    if (sizeArgs.size() != 1) return null;
    Expr arg = call.arg(sizeArgs.get(0));
    CValue v = arg == null ? null : evaluator.eval(arg);
    if (v == null || v.asSizeT().signum() == 0) return null; // get_order(0) is undefined
    return new PageOrder(getOrder(v.asSizeT(), target.pageShift()), v.asSizeT());
  }

  /** Smallest n with PAGE_SIZE << n >= size, as include/asm-generic/getorder.h computes it. */
  public static BigInteger getOrder(BigInteger size, int pageShift) {
    int bits = size.subtract(BigInteger.ONE).bitLength() - pageShift;
    return BigInteger.valueOf(Math.max(0, bits));
  }

  public static List<Expr> orderExprs(AllocationCall call) {
    int index =
        call.api().orderArg() >= 0
            ? call.api().orderArg()
            : call.api().sizeArgs().isEmpty() ? -1 : call.api().sizeArgs().get(0);
    Expr arg = call.arg(index);
    return arg == null ? List.of() : List.of(arg);
  }
}
