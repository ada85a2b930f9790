package dev.kmodcheck.facts.sleep;

import java.util.Comparator;

/**
 * The best chain per category and condition, as an array of slots: shared by the module-side
 * summaries ({@link SleepSummaries}) and the kernel-side ones ({@code
 * summarize.KernelSummaryBuilder}), whose chains differ but are kept and compared the same way.
 */
public final class ChainSlots {

  private ChainSlots() {}

  /** Whether two slot arrays hold chains that compare equal, slot by slot. */
  public static <L> boolean same(L[] a, L[] b, Comparator<? super L> order) {
    if (a.length != b.length) return false;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == null || b[i] == null) {
        if (a[i] != b[i]) return false;
      } else if (order.compare(a[i], b[i]) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Keeps {@code link} in slot {@code i} if it is better than what is there. */
  public static <L> void offer(L[] slots, int i, L link, Comparator<? super L> order) {
    if (slots[i] == null || order.compare(link, slots[i]) < 0) slots[i] = link;
  }
}
