package dev.kmodcheck.rules;

import dev.kmodcheck.facts.CValue;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.Expr;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The provable byte size an allocation call asks for: the product of the API's size arguments, each
 * converted to size_t as the callee's parameter receives it, plus the bytes the API adds itself
 * (the devres header of devm_*, docs/kernel-facts.md §1.13).
 *
 * @param factors the size arguments' values (one for kmalloc, n and size for kcalloc)
 * @param overflow the product does not fit in size_t: check_mul_overflow() makes n x size
 *     allocators return NULL without a warning (docs/kernel-facts.md §1.7, 6.1 slab.h:607)
 */
public record RequestSize(List<BigInteger> factors, int overhead, boolean overflow) {

  /** The size the call's own arguments ask for, before any overhead (may exceed size_t). */
  public BigInteger requested() {
    BigInteger p = BigInteger.ONE;
    for (BigInteger f : factors) p = p.multiply(f);
    return p;
  }

  /** What reaches kmalloc: requested plus overhead. Meaningless when {@link #overflow}. */
  public BigInteger total() {
    return requested().add(BigInteger.valueOf(overhead));
  }

  /** The size of {@code call}, or null when an argument is not provable or the API has none. */
  public static RequestSize of(AllocationCall call, ValueEvaluator evaluator) {
    List<Integer> sizeArgs = call.api().sizeArgs();
    if (sizeArgs.isEmpty()) return null;
    List<BigInteger> factors = new ArrayList<>();
    for (int index : sizeArgs) {
      Expr arg = call.arg(index);
      if (arg == null) return null;
      CValue v = evaluator.eval(arg);
      if (v == null) return null;
      factors.add(v.asSizeT());
    }
    RequestSize size = new RequestSize(factors, call.api().overhead(), false);
    boolean overflow = factors.size() > 1 && size.requested().compareTo(CValue.SIZE_MAX) > 0;
    return overflow ? new RequestSize(factors, size.overhead(), true) : size;
  }

  /** The size argument expressions, for tracing where their values came from. */
  public static List<Expr> sizeExprs(AllocationCall call) {
    List<Expr> out = new ArrayList<>();
    for (int index : call.api().sizeArgs()) {
      Expr arg = call.arg(index);
      if (arg != null) out.add(arg);
    }
    return out;
  }
}
