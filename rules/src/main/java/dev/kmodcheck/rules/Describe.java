package dev.kmodcheck.rules;

import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;

/** The shared wording of allocation findings, so the four rules read alike. */
final class Describe {

  private Describe() {}

  /** "kcalloc of 1024 x 8192 = 8388608 bytes (8 MiB)", with the devres header when present. */
  static String request(AllocationCall call, RequestSize size) {
    StringBuilder s = new StringBuilder(call.displayName()).append(" of ");
    if (size.factors().size() > 1) {
      for (int i = 0; i < size.factors().size(); i++) {
        if (i > 0) s.append(" x ");
        s.append(size.factors().get(i));
      }
      s.append(" = ");
    }
    s.append(size.requested()).append(size.requested().equals(BigInteger.ONE) ? " byte" : " bytes");
    if (size.overhead() > 0) {
      s.append(" plus its ").append(size.overhead()).append("-byte devres header");
    }
    return s.append(" (").append(ByteUnits.format(size.total())).append(')').toString();
  }

  /** "4 MiB on x86_64". */
  static String onTarget(long bytes, Target target) {
    return ByteUnits.format(bytes) + " on " + target.name();
  }

  /** "order 11 (8 MiB)" when the block size is printable, else "order 4294967295". */
  static String order(BigInteger order, Target target) {
    if (order.compareTo(BigInteger.valueOf(64)) > 0) return "order " + order;
    BigInteger block = BigInteger.valueOf(target.pageSize()).shiftLeft(order.intValue());
    return "order " + order + " (" + ByteUnits.format(block) + ")";
  }

  /** "alloc_pages of order 11 (8 MiB)", "alloc_pages_exact of 8388608 bytes (8 MiB, order 11)". */
  static String pageRequest(AllocationCall call, PageOrder po, Target target) {
    if (po.bytes() == null) return call.displayName() + " of " + order(po.order(), target);
    return call.displayName()
        + " of "
        + po.bytes()
        + " bytes ("
        + ByteUnits.format(po.bytes())
        + ", order "
        + po.order()
        + ")";
  }
}
