package dev.kmodcheck.facts;

import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * Kernel object-like macros that may reach the IR as unresolved names when the shim does not define
 * them, with their C types. Page-size dependent ones follow the {@link Target}.
 */
final class KernelConstants {

  private static final Map<String, CValue> FIXED = new HashMap<>();

  static {
    // include/linux/sizes.h (docs/kernel-facts.md §6.2): int up to SZ_1G, SZ_2G is an unsigned int
    // hex literal, SZ_4G and above are ULL.
    String[] small = {"1", "2", "4", "8", "16", "32", "64", "128", "256", "512"};
    for (int i = 0; i < small.length; i++) put("SZ_" + small[i], 1L << i, 32, false);
    String[] units = {"K", "M", "G", "T"};
    for (int u = 0; u < units.length; u++) {
      for (int i = 0; i < 10; i++) {
        int shift = 10 * (u + 1) + i;
        String name = "SZ_" + (1 << i) + units[u];
        if (shift <= 30) {
          put(name, 1L << shift, 32, false);
        } else if (shift == 31) {
          put(name, 1L << shift, 32, true);
        } else if (shift < 64) {
          put(name, 1L << shift, 64, true);
        }
      }
    }
    // include/linux/limits.h and include/vdso/limits.h.
    FIXED.put("SIZE_MAX", new CValue(CValue.SIZE_MAX, 64, true));
    FIXED.put("ULONG_MAX", new CValue(CValue.SIZE_MAX, 64, true));
    FIXED.put("U64_MAX", new CValue(CValue.SIZE_MAX, 64, true));
    put("LONG_MAX", Long.MAX_VALUE, 64, false);
    put("S64_MAX", Long.MAX_VALUE, 64, false);
    put("INT_MAX", Integer.MAX_VALUE, 32, false);
    put("S32_MAX", Integer.MAX_VALUE, 32, false);
    put("UINT_MAX", 0xffffffffL, 32, true);
    put("U32_MAX", 0xffffffffL, 32, true);
    put("U16_MAX", 0xffff, 32, false); // ((u16)~0U) promotes to int
    put("U8_MAX", 0xff, 32, false);
    put("BITS_PER_LONG", 64, 32, false);
    put("BITS_PER_BYTE", 8, 32, false);
    put("PAGE_ALLOC_COSTLY_ORDER", Target.COSTLY_ORDER, 32, false);
  }

  private KernelConstants() {}

  private static void put(String name, long v, int bits, boolean unsigned) {
    FIXED.put(name, new CValue(BigInteger.valueOf(v), bits, unsigned));
  }

  /** The value of the macro {@code name} on {@code target}, or null if it is not one we know. */
  static CValue value(String name, Target target) {
    CValue v = FIXED.get(name);
    if (v != null) return v;
    switch (name) {
      case "PAGE_SIZE": // _AC(1, UL) << PAGE_SHIFT (docs/kernel-facts.md §6.1)
        return CValue.ofSizeT(BigInteger.valueOf(target.pageSize()));
      case "PAGE_SHIFT":
        return CValue.ofInt(target.pageShift());
      case "KMALLOC_MAX_SIZE": // (1UL << KMALLOC_SHIFT_MAX) (docs/kernel-facts.md §1.3/§1.4)
        return CValue.ofSizeT(BigInteger.valueOf(target.kmallocMaxSize()));
      case "MAX_PAGE_ORDER": // 6.12: the largest order, inclusive (docs/kernel-facts.md §1.2)
        return CValue.ofInt(target.maxOrder());
      case "MAX_ORDER": // 6.1: one past the largest order
        return CValue.ofInt(target.maxOrder() + 1);
      default:
        return null;
    }
  }
}
