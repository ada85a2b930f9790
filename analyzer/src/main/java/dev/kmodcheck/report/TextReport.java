package dev.kmodcheck.report;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.ScanStats;
import dev.kmodcheck.ir.SrcRange;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code -f text}: GCC's diagnostic layout, which editors, Eclipse CDT's build console, Emacs
 * compilation mode and CI log matchers already parse:
 *
 * <pre>
 * drivers/foo/foo.c:42:9: error: kmalloc of 8 MiB exceeds KMALLOC_MAX_SIZE [kmalloc-size-limit]
 * drivers/foo/foo.c:40:2: note: spin_lock() starts atomic context
 * </pre>
 *
 * One line per finding, then one {@code note:} line per trace step. Paths are relative to the
 * source root. Parse-problem and skipped-file notifications are printed ({@code path: warning:
 * ...}) only in verbose mode, before the findings, since by default the summary line counts them.
 */
public final class TextReport implements ReportWriter {

  private final boolean verbose;

  public TextReport() {
    this(false);
  }

  /**
   * @param verbose also print one line per notification (parse problems, skipped files)
   */
  public TextReport(boolean verbose) {
    this.verbose = verbose;
  }

  @Override
  public void write(ScanResult result, Writer out) throws IOException {
    if (verbose) {
      for (Notification n : ReportOrder.notifications(result.notifications())) {
        String kind = n.kind() == null || n.kind().isEmpty() ? "" : " [" + n.kind() + "]";
        line(
            out,
            where(n.location()) + ": " + level(n.level()) + ": " + oneLine(n.message()) + kind);
      }
    }
    List<Finding> findings = new ArrayList<>(result.findings());
    findings.sort(Finding.ORDER);
    Map<String, List<Finding>> groups = byRootCause(findings);
    for (Finding f : findings) {
      line(
          out,
          where(f.range())
              + ": "
              + f.severity().label()
              + ": "
              + oneLine(f.message())
              + " ["
              + f.ruleId()
              + "]");
      List<Finding> group = f.rootCause() == null ? null : groups.get(f.rootCause());
      if (group != null && group.size() > 1 && group.get(0) != f) {
        // The evidence was printed at the group's first call site; one line points there.
        line(
            out,
            where(f.range())
                + ": note: same root cause as "
                + where(group.get(0).range())
                + " ("
                + f.rootCause()
                + ")");
        continue;
      }
      for (TraceStep step : f.trace()) {
        line(out, where(step.range()) + ": note: " + oneLine(step.message()));
      }
      if (group != null && group.size() > 1) {
        int more = group.size() - 1;
        line(
            out,
            where(f.range())
                + ": note: and "
                + count(more, "more call site")
                + (more == 1 ? " reaches" : " reach")
                + " the same sleeping call by the same path (root cause "
                + f.rootCause()
                + ")");
      }
    }
    out.flush();
  }

  /** Findings with a root cause, grouped by it, each group in report order. */
  private static Map<String, List<Finding>> byRootCause(List<Finding> sorted) {
    Map<String, List<Finding>> groups = new HashMap<>();
    for (Finding f : sorted) {
      if (f.rootCause() != null) {
        groups.computeIfAbsent(f.rootCause(), k -> new ArrayList<>()).add(f);
      }
    }
    return groups;
  }

  /** How many distinct root causes the findings have; shared with JSON stats. */
  static int rootCauses(List<Finding> findings) {
    Set<String> ids = new HashSet<>();
    for (Finding f : findings) {
      if (f.rootCause() != null) ids.add(f.rootCause());
    }
    return ids.size();
  }

  /**
   * One line (no line end) for stderr, e.g. {@code kmodcheck: 12 files, 3,400 lines, 210 functions;
   * 2 errors, 1 warning; 5 parse problems in 2 files; 1 file skipped; 0.8 s}. Severities without
   * findings are left out ("no findings" if there are none); the parse-problem and rule-failure
   * parts appear only when non-zero, the skipped files always (a complete scan says "0 files
   * skipped"). Numbers use ',' grouping whatever the locale.
   */
  public static String summaryLine(ScanResult result) {
    return summaryLine(result, List.of());
  }

  /** The summary line with {@code extra} parts (what the reports leave out) before the skipped. */
  public static String summaryLine(ScanResult result, List<String> extra) {
    ScanStats s = result.stats();
    List<String> parts = new ArrayList<>();
    parts.add(
        count(s.files(), "file")
            + ", "
            + count(s.lines(), "line")
            + ", "
            + count(s.functions(), "function"));
    Map<Severity, Integer> bySeverity = countBySeverity(result.findings());
    List<String> severities = new ArrayList<>();
    for (Severity sev : Severity.values()) {
      int n = bySeverity.get(sev);
      if (n > 0) severities.add(count(n, sev.label()));
    }
    int rootCauses = rootCauses(result.findings());
    if (rootCauses > 0) {
      severities.add(count(rootCauses, "atomic-context root cause"));
    }
    parts.add(severities.isEmpty() ? "no findings" : String.join(", ", severities));
    if (s.parseProblems() > 0) {
      parts.add(
          count(s.parseProblems(), "parse problem")
              + " in "
              + count(s.filesWithProblems(), "file")
              + " ("
              + coverage(s)
              + ")");
    }
    parts.addAll(extra);
    if (s.ruleFailures() > 0) parts.add(count(s.ruleFailures(), "rule failure"));
    parts.add(count(s.filesSkipped(), "file") + " skipped");
    if (s.filesFromCache() > 0) {
      parts.add(count(s.filesFromCache(), "file") + " from cache");
    }
    parts.add(String.format(Locale.ROOT, "%.1f s", s.millis() / 1000.0));
    return "kmodcheck: " + String.join("; ", parts);
  }

  /**
   * How much code the parse problems cost, e.g. {@code 98.5 % of functions analysed, 12 lost, 840
   * lines}: functions swallowed whole at file scope, and lines inside problems anywhere.
   */
  public static String coverage(ScanStats s) {
    return String.format(
        Locale.ROOT,
        "%s %% of functions analysed, %,d lost, %s not analysed",
        percent(s.coveragePercent()),
        s.functionsLost(),
        count(s.linesLost(), "line"));
  }

  /** One decimal, never rounded up to 100 when something was lost. */
  public static String percent(double p) {
    double floor = Math.floor(p * 10) / 10;
    return String.format(Locale.ROOT, "%.1f", floor);
  }

  /** Findings per severity, every severity present (zero if none); shared with JSON stats. */
  static Map<Severity, Integer> countBySeverity(List<Finding> findings) {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) counts.put(s, 0);
    for (Finding f : findings) counts.merge(f.severity(), 1, Integer::sum);
    return counts;
  }

  private static String count(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  /** {@code file:line:col}, dropping the parts that are unknown, as GCC does. */
  static String where(SrcRange r) {
    if (!ReportOrder.hasFile(r)) return "kmodcheck";
    if (r.line() < 1) return r.file();
    if (r.column() < 1) return r.file() + ":" + r.line();
    return r.file() + ":" + r.line() + ":" + r.column();
  }

  private static String level(String level) {
    return level == null || level.isEmpty() ? "warning" : level;
  }

  /** Keeps the one-diagnostic-per-line promise even if a message spans lines. */
  private static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static void line(Writer out, String text) throws IOException {
    out.write(text);
    out.write('\n');
  }
}
