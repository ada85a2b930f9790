package dev.kmodcheck.kernel;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel release a header-less scan analyses a module for: what {@code LINUX_VERSION_CODE} and
 * {@code KERNEL_VERSION(a, b, c)} evaluate to, so every version check (in either operand order)
 * selects the branch a build for that release compiles.
 */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {

  /**
   * The release of the newest shipped kernel summaries: a scan without {@code --kernel-version}
   * reads the module as built for the kernel its summaries describe.
   */
  public static final KernelVersion DEFAULT = new KernelVersion(6, 12, 0);

  private static final Pattern FORM = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?");

  public KernelVersion {
    if (major < 0 || major > 255 || minor < 0 || minor > 255 || patch < 0 || patch > 255) {
      throw new IllegalArgumentException(
          "kernel version out of range: " + major + "." + minor + "." + patch);
    }
  }

  /** {@code X.Y} or {@code X.Y.Z}, each part 0..255 (KERNEL_VERSION packs them in a byte). */
  public static Optional<KernelVersion> parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) return Optional.empty();
    int a = Integer.parseInt(m.group(1));
    int b = Integer.parseInt(m.group(2));
    int c = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    if (a > 255 || b > 255 || c > 255) return Optional.empty();
    return Optional.of(new KernelVersion(a, b, c));
  }

  /** LINUX_VERSION_CODE as include/generated/uapi/linux/version.h writes it. */
  public int code() {
    return (major << 16) + (minor << 8) + Math.min(patch, 255);
  }

  @Override
  public int compareTo(KernelVersion o) {
    return Integer.compare(code(), o.code());
  }

  @Override
  public String toString() {
    return major + "." + minor + (patch == 0 ? "" : "." + patch);
  }
}
