package dev.kmodcheck.facts;

import java.math.BigInteger;

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

  /** The value converted to size_t (what an allocator's size parameter receives). */
  public BigInteger asSizeT() {
    return value.and(SIZE_MAX);
  }

  public boolean isTrue() {
    return value.signum() != 0;
  }
}
