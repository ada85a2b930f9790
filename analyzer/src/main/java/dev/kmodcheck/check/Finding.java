package dev.kmodcheck.check;

import dev.kmodcheck.ir.SrcRange;
import java.util.Comparator;
import java.util.List;

/** A reported problem: where, what, and the evidence that leads to it. */
public record Finding(
    String ruleId,
    Severity severity,
    String message,
    SrcRange range,
    String function,
    List<TraceStep> trace)
    implements java.io.Serializable {

  public Finding {
    trace = List.copyOf(trace);
  }

  /** Report order: by file, position, rule, then message, so output is deterministic. */
  public static final Comparator<Finding> ORDER =
      Comparator.comparing(Finding::range)
          .thenComparing(Finding::ruleId)
          .thenComparing(Finding::message)
          .thenComparing(f -> f.function() == null ? "" : f.function());
}
