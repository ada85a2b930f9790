package dev.kmodcheck.check;

import dev.kmodcheck.ir.SrcRange;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * A reported problem: where, what, and the evidence that leads to it.
 *
 * @param confidence for atomic-context findings, whether the chain depends on conditions the tool
 *     cannot decide; null for rules that do not grade their findings
 * @param rootCause for atomic-context findings, a stable id shared by every finding whose chain
 *     takes the same path beyond its first call (one helper reached from many call sites); null
 *     otherwise
 */
public record Finding(
    String ruleId,
    Severity severity,
    String message,
    SrcRange range,
    String function,
    List<TraceStep> trace,
    Confidence confidence,
    String rootCause)
    implements Serializable {

  public Finding {
    trace = List.copyOf(trace);
  }

  /** A finding of a rule that does not grade confidence or group root causes. */
  public Finding(
      String ruleId,
      Severity severity,
      String message,
      SrcRange range,
      String function,
      List<TraceStep> trace) {
    this(ruleId, severity, message, range, function, trace, null, null);
  }

  /** This finding at another severity, everything else kept. */
  public Finding withSeverity(Severity s) {
    return s == severity
        ? this
        : new Finding(ruleId, s, message, range, function, trace, confidence, rootCause);
  }

  /** Report order: by file, position, rule, then message, so output is deterministic. */
  public static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::range)
          .thenComparing(Finding::ruleId)
          .thenComparing(Finding::message)
          .thenComparing(f -> f.function() == null ? "" : f.function());
}
