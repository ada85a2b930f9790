package dev.kmodcheck.engine;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a scan, ready for the report writers. Findings and notifications are sorted.
 *
 * @param sourceRoot absolute; finding paths are relative to it
 * @param rules the rules that ran, sorted by id
 * @param suppressed findings an inline comment suppressed, with its reason (not in {@code
 *     findings})
 */
public record ScanResult(
    String toolVersion,
    Target target,
    Path sourceRoot,
    List<RuleDescriptor> rules,
    List<Finding> findings,
    List<Notification> notifications,
    ScanStats stats,
    List<Suppressed> suppressed) {

  /** A result with nothing suppressed. */
  public ScanResult(
      String toolVersion,
      Target target,
      Path sourceRoot,
      List<RuleDescriptor> rules,
      List<Finding> findings,
      List<Notification> notifications,
      ScanStats stats) {
    this(toolVersion, target, sourceRoot, rules, findings, notifications, stats, List.of());
  }
}
