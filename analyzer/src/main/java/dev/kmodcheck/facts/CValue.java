package dev.kmodcheck.facts;

import java.math.BigInteger;
import java.util.List;

/**
 * A provable integer value with the C type it has: width in bits and signedness (LP64). The value
 * is already reduced to the type's range, as the C abstract machine would hold it.
 */
public record CValue(BigInteger value, int bits, boolean unsigned) {

  public static final BigInteger SIZE_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  public static CValue ofSizeT(BigInteger v) {
    return new CValue(v.and(SIZE_MAX), 64, true);
  }

  public static CValue ofInt(long v) {
    return new CValue(BigInteger.valueOf(v), 32, false);
  }

  /** {@code v} converted to the integer type (bits, unsigned): modulo 2^bits, as GCC does. */
  public static CValue wrap(BigInteger v, int bits, boolean unsigned) {
    BigInteger mod = BigInteger.ONE.shiftLeft(bits);
    BigInteger r = v.mod(mod);
    if (!unsigned && r.testBit(bits - 1)) r = r.subtract(mod);
    return new CValue(r, bits, unsigned);
  }

  /** The value converted to size_t (what an allocator's size parameter receives). */
  public BigInteger asSizeT() {
    return value.and(SIZE_MAX);
  }

  public boolean isTrue() {
    return value.signum() != 0;
  }

  /**
   * The exact mathematical product of the factors, each first converted to size_t as an allocator's
   * parameters are: for {@code kcalloc(n, size)} and friends the request overflows iff this is
   * greater than {@link #SIZE_MAX} (see {@link #overflowsSizeT}). Null if any factor is null (not
   * provable).
   */
  public static BigInteger product(List<CValue> factors) {
    BigInteger p = BigInteger.ONE;
    for (CValue f : factors) {
      if (f == null) return null;
      p = p.multiply(f.asSizeT());
    }
    return p;
  }

  /** True when an exact size does not fit in size_t. */
  public static boolean overflowsSizeT(BigInteger exact) {
    return exact.compareTo(SIZE_MAX) > 0;
  }
}
