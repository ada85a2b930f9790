package dev.kmodcheck.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine the module is built for: page size and the allocator limits that follow from it.
 * Numbers are from docs/kernel-facts.md §1.4 (derived from the slab.h and mmzone.h of 6.1 and 6.12;
 * identical effective limits in both trees).
 *
 * @param kmallocMaxSize KMALLOC_MAX_SIZE: normally {@code pageSize << maxOrder} (SLUB/SLAB), but
 *     older SLAB kernels capped it at 128 KiB independently of the page allocator.
 */
public record Target(
    String name, String description, long pageSize, int maxOrder, long kmallocMaxSize) {

  /** PAGE_ALLOC_COSTLY_ORDER: 3 in 6.1 include/linux/mmzone.h:40 and 6.12 :46. */
  public static final int COSTLY_ORDER = 3;

  private static final Map<String, Target> PROFILES = new LinkedHashMap<>();

  static {
    // x86_64: PAGE_SHIFT 12 (arch/x86/include/asm/page_types.h:10); MAX_ORDER 11 (6.1) /
    // MAX_PAGE_ORDER 10 (6.12) -> largest order 10 -> KMALLOC_MAX_SIZE 4 MiB.
    add(
        new Target(
            "x86_64", "x86_64, 4 KiB pages (also arm64 with 4 KiB pages)", 4096, 10, 4096L << 10));
    // arm64 16K: ARCH_FORCE_MAX_ORDER 12 (6.1 arch/arm64/Kconfig:1610) / 11 (6.12 :1707).
    add(new Target("arm64-16k", "arm64, 16 KiB pages", 16384, 11, 16384L << 11));
    // arm64 64K: ARCH_FORCE_MAX_ORDER 14 (6.1) / 13 (6.12) -> largest order 13, 512 MiB.
    add(new Target("arm64-64k", "arm64, 64 KiB pages", 65536, 13, 65536L << 13));
    // Older SLAB kernels: KMALLOC_MAX_SIZE was 128 KiB (2^17), the ceiling older driver guides
    // quote; the page allocator itself still went to order 10.
    add(
        new Target(
            "legacy-128k",
            "older SLAB kernels, 4 KiB pages, kmalloc ceiling 128 KiB",
            4096,
            10,
            128L * 1024));
  }

  private static void add(Target t) {
    PROFILES.put(t.name(), t);
  }

  public static Map<String, Target> profiles() {
    return Collections.unmodifiableMap(PROFILES);
  }

  public static Optional<Target> named(String name) {
    return Optional.ofNullable(PROFILES.get(name));
  }

  public static Target defaultTarget() {
    return PROFILES.get("x86_64");
  }

  /**
   * The kernel's arch/ directory the profile is built from: "arm64" for the arm64 profiles, else
   * "x86" (x86_64, and the 4 KiB-page legacy profile).
   */
  public String kernelArch() {
    return name.startsWith("arm64") ? "arm64" : "x86";
  }

  /**
   * The architecture a kernel source file belongs to by its path: B for a file under {@code
   * arch/B/}, "um" under {@code arch/B/um/} (user-mode Linux's code for host architecture B, built
   * only by arch/um), else null (generic code, or not a kernel tree's layout).
   */
  public static String kernelArchOf(String file) {
    int at = file.startsWith("arch/") ? 0 : file.indexOf("/arch/") + 1;
    if (at == 0 && !file.startsWith("arch/")) return null;
    Matcher m = ARCH_PATH.matcher(file).region(at, file.length());
    if (!m.lookingAt()) return null;
    return m.group(2) != null ? "um" : m.group(1);
  }

  private static final Pattern ARCH_PATH = Pattern.compile("arch/([^/]+)/(um/)?");

  public int pageShift() {
    return Long.numberOfTrailingZeros(pageSize);
  }

  /** Largest request that is not a costly order: PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER. */
  public long costlySize() {
    return pageSize << COSTLY_ORDER;
  }

  /**
   * Overrides the page size (a power of two) and/or maximum order; KMALLOC_MAX_SIZE follows unless
   * the profile has its own ceiling below the page allocator's.
   */
  public Target withOverrides(Long newPageSize, Integer newMaxOrder) {
    long ps = newPageSize != null ? newPageSize : pageSize;
    int mo = newMaxOrder != null ? newMaxOrder : maxOrder;
    boolean ownCeiling = kmallocMaxSize != (pageSize << maxOrder);
    long kmax = ownCeiling ? kmallocMaxSize : ps << mo;
    if (newPageSize == null && newMaxOrder == null) return this;
    // The name appears in messages ("4 MiB on x86_64"), so it must say the limits were changed.
    String n = name;
    if (newPageSize != null) n += "/page-size=" + ps;
    if (newMaxOrder != null) n += "/max-order=" + mo;
    String desc = description + " (page size " + ps + ", max order " + mo + ")";
    return new Target(n, desc, ps, mo, kmax);
  }
}
