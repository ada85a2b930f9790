package dev.kmodcheck.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Byte counts for people: "8 MiB", "4 MiB + 40 bytes", "~97.7 KiB". */
public final class ByteUnits {

  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  private static final BigInteger KIB = BigInteger.valueOf(1024);

  private ByteUnits() {}

  public static String format(long bytes) {
    return format(BigInteger.valueOf(bytes));
  }

  public static String format(BigInteger bytes) {
    if (bytes.compareTo(KIB) < 0) return plural(bytes);
    BigInteger unit = KIB;
    int u = 0;
    while (u + 1 < UNITS.length && bytes.compareTo(unit.multiply(KIB)) >= 0) {
      unit = unit.multiply(KIB);
      u++;
    }
    BigInteger[] qr = bytes.divideAndRemainder(unit);
    if (qr[1].signum() == 0) return qr[0] + " " + UNITS[u];
    // A small remainder is the interesting part ("4 MiB + 1 byte" is just over the limit).
    if (qr[1].compareTo(KIB) < 0) return qr[0] + " " + UNITS[u] + " + " + plural(qr[1]);
    BigDecimal exact = new BigDecimal(bytes).divide(new BigDecimal(unit), 1, RoundingMode.DOWN);
    return "~" + exact.toPlainString() + " " + UNITS[u];
  }

  private static String plural(BigInteger n) {
    return n + (n.equals(BigInteger.ONE) ? " byte" : " bytes");
  }
}
