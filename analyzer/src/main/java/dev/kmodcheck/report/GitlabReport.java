package dev.kmodcheck.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import java.io.IOException;
import java.io.Writer;

/**
 * {@code -f gitlab}: a GitLab Code Quality report (the Code Climate JSON subset GitLab reads, given
 * to a job as {@code artifacts: reports: codequality:}), one entry per finding. GitLab shows the
 * entries in the merge request's widget and on the diff, and compares them with the target branch's
 * report by {@code fingerprint}: kmodcheck's line-number-independent one, so moved code is not a
 * new entry.
 */
public final class GitlabReport implements ReportWriter {

  @Override
  public void write(ScanResult result, Writer out) throws IOException {
    ArrayNode entries = PrettyJson.array();
    for (Fingerprints.Fingerprinted fp : Fingerprints.sorted(result)) {
      Finding f = fp.finding();
      ObjectNode e = entries.addObject();
      e.put("type", "issue");
      e.put("check_name", f.ruleId());
      e.put("description", description(f));
      e.put("severity", severity(f.severity()));
      // Rule, file and fingerprint: unique within the report, as GitLab requires.
      e.put("fingerprint", fp.fingerprint());
      e.putArray("categories").add("Bug Risk");
      ObjectNode location = e.putObject("location");
      location.put("path", f.range() == null ? "" : f.range().file());
      ObjectNode lines = location.putObject("lines");
      int begin = f.range() == null ? 0 : f.range().line();
      lines.put("begin", Math.max(1, begin));
      if (f.range() != null && f.range().endLine() > begin) lines.put("end", f.range().endLine());
    }
    PrettyJson.write(entries, out);
  }

  /** The message, then the evidence steps (GitLab shows the description as plain text). */
  private static String description(Finding f) {
    StringBuilder d = new StringBuilder(f.message());
    for (TraceStep step : f.trace()) {
      d.append('\n').append(TextReport.where(step.range())).append(": ").append(step.message());
    }
    return d.toString();
  }

  /** GitLab's scale: info, minor, major, critical, blocker. */
  static String severity(Severity s) {
    return switch (s) {
      case ERROR -> "critical";
      case WARNING -> "major";
      case NOTE -> "info";
    };
  }
}
