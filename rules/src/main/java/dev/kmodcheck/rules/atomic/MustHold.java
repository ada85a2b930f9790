package dev.kmodcheck.rules.atomic;

/**
 * Reads sparse's {@code __must_hold(lock)} annotation, which the header-less shim turns into the
 * function attribute text {@code must_hold(&dev->lock)}.
 */
final class MustHold {

  private static final String PREFIX = "must_hold(";

  private MustHold() {}

  /**
   * The held lock in {@link dev.kmodcheck.facts.ExprKey} form ({@code &(dev->lock)}), so that an
   * unlock of the same lock inside the function matches it; null for other attributes.
   */
  static String lockOf(String attribute) {
    if (!attribute.startsWith(PREFIX) || !attribute.endsWith(")")) return null;
    String lock = attribute.substring(PREFIX.length(), attribute.length() - 1).strip();
    if (lock.isEmpty()) return null;
    // ExprKey writes a prefix operator with its operand in parentheses.
    return lock.startsWith("&") ? "&(" + lock.substring(1).strip() + ")" : lock;
  }
}
