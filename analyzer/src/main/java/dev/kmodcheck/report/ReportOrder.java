package dev.kmodcheck.report;

import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.ir.SrcRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sort orders the writers apply themselves, so that output stays deterministic even if a caller
 * hands over a ScanResult whose lists are not sorted yet.
 */
final class ReportOrder {

  static final Comparator<Notification> NOTIFICATIONS =
      Comparator.comparing(
              Notification::location, Comparator.nullsFirst(Comparator.<SrcRange>naturalOrder()))
          .thenComparing(Notification::kind, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Notification::level, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(Notification::message, Comparator.nullsFirst(Comparator.naturalOrder()));

  private ReportOrder() {}

  static List<Notification> notifications(List<Notification> in) {
    List<Notification> out = new ArrayList<>(in);
    out.sort(NOTIFICATIONS);
    return out;
  }

  static List<RuleDescriptor> rules(List<RuleDescriptor> in) {
    List<RuleDescriptor> out = new ArrayList<>(in);
    out.sort(Comparator.comparing(RuleDescriptor::id));
    return out;
  }

  /** A location is worth printing if it names a file; UNKNOWN and null do not. */
  static boolean hasFile(SrcRange r) {
    return r != null && r.file() != null && !r.file().isEmpty();
  }
}
