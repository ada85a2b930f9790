package dev.kmodcheck.cli;

import dev.kmodcheck.check.Notification;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.ScanStats;
import dev.kmodcheck.engine.Suppressed;
import dev.kmodcheck.report.AtomicOutput;
import dev.kmodcheck.report.GithubReport;
import dev.kmodcheck.report.GitlabReport;
import dev.kmodcheck.report.HtmlReport;
import dev.kmodcheck.report.JsonReport;
import dev.kmodcheck.report.MarkdownReport;
import dev.kmodcheck.report.ReportWriter;
import dev.kmodcheck.report.SarifReport;
import dev.kmodcheck.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Chooses the report writers and writes each report to a file or standard output. */
final class Reports {
  private Reports() {}

  static final List<String> FORMATS =
      List.of("text", "json", "sarif", "github", "gitlab", "markdown", "html");

  /** One report of a run: a format and a file, or "-" for standard output. */
  record Destination(String format, Path path) {
    boolean stdout() {
      return path == null || path.toString().equals(AtomicOutput.STDOUT);
    }
  }

  /** How the writers are set up for this run. */
  record Settings(
      boolean verbose,
      String sarifCategory,
      List<Suppressed> sarifSuppressed,
      boolean strict,
      int suppressed,
      int baselined,
      String linkBase) {}

  /**
   * The reports of a run: {@code -f/-o} (also the default, text to standard output, when no {@code
   * --report} is given) plus each {@code --report FORMAT=PATH}.
   */
  static List<Destination> plan(
      String format, boolean formatGiven, Path output, List<String> reports) {
    List<Destination> out = new ArrayList<>();
    if (reports.isEmpty() || formatGiven || output != null) {
      out.add(new Destination(format, output));
    }
    for (String spec : reports) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new Main.UsageError(
            "--report wants FORMAT=PATH (e.g. sarif=out.sarif, text=-), got '" + spec + "'");
      }
      String f = spec.substring(0, eq).toLowerCase(Locale.ROOT);
      if (!FORMATS.contains(f)) {
        throw new Main.UsageError(
            "--report: unknown format '" + f + "' (known: " + String.join(", ", FORMATS) + ")");
      }
      out.add(new Destination(f, Path.of(spec.substring(eq + 1))));
    }
    Set<Path> files = new HashSet<>();
    int stdout = 0;
    for (Destination d : out) {
      if (d.stdout()) {
        stdout++;
      } else if (!files.add(d.path().toAbsolutePath().normalize())) {
        throw new Main.UsageError("two reports would be written to " + d.path());
      }
    }
    if (stdout > 1) throw new Main.UsageError("only one report can go to standard output");
    for (Destination d : out) checkWritable(d);
    return out;
  }

  /** A whole-tree scan takes a while: refuse an unwritable report file before it, not after. */
  static void checkWritable(Destination d) {
    if (d.stdout()) return;
    Path abs = d.path().toAbsolutePath();
    if (Files.isDirectory(abs)) {
      throw new Main.UsageError("cannot write report to " + d.path() + ": it is a directory");
    }
    Path dir = abs.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new Main.UsageError(
          "cannot write report to " + d.path() + ": directory " + dir + " does not exist");
    }
  }

  static ReportWriter writerFor(String format, Settings s) {
    return switch (format) {
      case "json" -> new JsonReport(s.suppressed(), s.baselined());
      case "sarif" -> new SarifReport(s.sarifCategory(), s.sarifSuppressed(), s.strict());
      case "github" -> new GithubReport();
      case "gitlab" -> new GitlabReport();
      case "markdown" -> new MarkdownReport(s.linkBase(), s.suppressed(), s.baselined());
      case "html" -> new HtmlReport(s.suppressed(), s.baselined());
      default -> new TextReport(s.verbose());
    };
  }

  static void write(ScanResult result, List<Destination> reports, Settings s, PrintWriter out)
      throws IOException {
    for (Destination d : reports) {
      ReportWriter writer = writerFor(d.format(), s);
      if (d.stdout()) {
        writer.write(result, out);
        out.flush();
        continue;
      }
      try {
        AtomicOutput.writeReport(d.path(), writer, result);
      } catch (IOException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        throw new Main.UsageError(
            m.contains(d.path().toString()) ? m : "cannot write report to " + d.path() + ": " + m);
      }
    }
  }

  /** At most this many skipped files, failed rules and unread inputs are named on stderr. */
  static final int MAX_WARNINGS = 20;

  /**
   * Names each skipped file, failed rule and unreadable input on standard error (the reports have
   * them all as notifications), so that a scan that did not see everything never looks complete.
   * Parse problems are left to the summary's count and {@code -v}: real trees have thousands.
   */
  static void warnIncomplete(ScanResult result, PrintWriter err) {
    List<Notification> lost =
        result.notifications().stream()
            // Notes stay in the reports (a Makefile flag a scan could not use), except the one
            // about a file the command line named and the configuration excludes.
            .filter(
                n ->
                    !"parse-problems".equals(n.kind())
                        && (!"note".equals(n.level()) || "file-excluded".equals(n.kind())))
            .toList();
    for (Notification n : lost.subList(0, Math.min(MAX_WARNINGS, lost.size()))) {
      boolean inFile = n.location() != null && !n.location().file().isEmpty();
      String level = "note".equals(n.level()) ? "note" : "warning";
      err.println(
          "kmodcheck: " + level + ": " + (inFile ? n.location().file() + ": " : "") + n.message());
    }
    if (lost.size() > MAX_WARNINGS) {
      err.println(
          "kmodcheck: warning: "
              + (lost.size() - MAX_WARNINGS)
              + " more skipped files, failed rules or unread inputs (see the report's"
              + " notifications)");
    }
  }

  /**
   * Says on stderr, even without -v, when parse problems cost more than {@code threshold} percent
   * of the functions: the files that lost most and what usually fixes it. A scan that reports "no
   * findings" over code it could not parse must not look clean.
   */
  static void warnCoverage(ScanResult result, double threshold, PrintWriter err) {
    ScanStats s = result.stats();
    if (s == null || s.functionsLost() == 0 || s.coveragePercent() >= threshold) return;
    List<Notification> worst =
        result.notifications().stream()
            .filter(n -> "parse-problems".equals(n.kind()))
            .sorted(
                Comparator.comparingInt((Notification n) -> -leadingCount(n.message()))
                    .thenComparing(n -> n.location().file()))
            .limit(3)
            .toList();
    List<String> files = new ArrayList<>();
    for (Notification n : worst) {
      files.add(n.location().file() + " (" + leadingCount(n.message()) + ")");
    }
    err.println(
        "kmodcheck: warning: only "
            + TextReport.coverage(s)
            + "; most parse problems in "
            + String.join(", ", files)
            + ". Usually a header or macro the scan cannot see: give the module's include paths"
            + " (-I), defines (-D) or kernel release (--kernel-version); see 'kmodcheck explain"
            + " parse-problems'");
  }

  /** The count a parse-problems message starts with ("12 parse problems ..."). */
  private static int leadingCount(String message) {
    int i = 0;
    while (i < message.length() && Character.isDigit(message.charAt(i))) i++;
    return i == 0 ? 0 : Integer.parseInt(message.substring(0, i));
  }

  /**
   * The summary line, with what the reports leave out: findings suppressed by comments and findings
   * the baseline holds, before the skipped files and the time.
   */
  static String summaryLine(ScanResult result, int suppressed, int baselined, int stale) {
    return summaryLine(result, suppressed, baselined, stale, List.of());
  }

  /** The summary line, also with what --diff-base and --new-since left out. */
  static String summaryLine(
      ScanResult result, int suppressed, int baselined, int stale, List<String> filtered) {
    List<String> extra = new ArrayList<>();
    if (suppressed > 0) extra.add(suppressed + " suppressed");
    if (baselined > 0) extra.add(baselined + " in baseline");
    if (stale > 0)
      extra.add(stale + (stale == 1 ? " baseline entry" : " baseline entries") + " stale");
    extra.addAll(filtered);
    return TextReport.summaryLine(
        result, extra.isEmpty() ? List.of() : List.of(String.join(", ", extra)));
  }
}
