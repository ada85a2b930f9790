package dev.kmodcheck.report;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.ScanStats;
import dev.kmodcheck.ir.SrcRange;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code -f markdown}: a short report for people, fit for a GitHub job summary ({@code
 * $GITHUB_STEP_SUMMARY}) and a merge-request comment: counts by rule and severity, a table of the
 * findings, and each finding's evidence as a nested list. With a link base (a URL of the scanned
 * commit's tree) locations link to the lines; without one they are plain text. Everything taken
 * from the sources is escaped, so a message can neither inject Markdown nor HTML.
 */
public final class MarkdownReport implements ReportWriter {

  /** GitHub caps a job summary at 1 MiB: a larger table is cut with a line saying so. */
  static final int MAX_ROWS = 500;

  private final String linkBase;
  private final int suppressed;
  private final int baselined;

  /**
   * @param linkBase URL that a file path is appended to (e.g. {@code
   *     https://github.com/o/r/blob/SHA}), or null for no links
   */
  public MarkdownReport(String linkBase, int suppressed, int baselined) {
    this.linkBase = linkBase == null || linkBase.isBlank() ? null : stripSlash(linkBase);
    this.suppressed = suppressed;
    this.baselined = baselined;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public void write(ScanResult result, Writer out) throws IOException {
    List<Finding> findings = new ArrayList<>(result.findings());
    findings.sort(Finding.ORDER);
    StringBuilder md = new StringBuilder();
    md.append("### kmodcheck: ").append(headline(findings)).append("\n\n");
    md.append(statsLine(result.stats())).append("\n");
    if (!findings.isEmpty()) {
      rulesTable(findings, md);
      findingsTable(findings, md);
      evidence(findings, md);
    }
    out.write(md.toString());
    out.flush();
  }

  private static String headline(List<Finding> findings) {
    Map<Severity, Integer> counts = TextReport.countBySeverity(findings);
    List<String> parts = new ArrayList<>();
    for (Severity s : Severity.values()) {
      int n = counts.get(s);
      if (n > 0) parts.add(plural(n, s.label()));
    }
    return parts.isEmpty() ? "no findings" : String.join(", ", parts);
  }

  private String statsLine(ScanStats s) {
    List<String> parts = new ArrayList<>();
    parts.add(plural(s.files(), "file") + ", " + plural(s.lines(), "line") + " scanned");
    if (suppressed > 0) parts.add(suppressed + " suppressed by comments");
    if (baselined > 0) parts.add(baselined + " in the baseline");
    if (s.filesSkipped() > 0) parts.add("**" + plural(s.filesSkipped(), "file") + " skipped**");
    if (s.ruleFailures() > 0) parts.add("**" + plural(s.ruleFailures(), "rule failure") + "**");
    return String.join(", ", parts) + ".";
  }

  private static String plural(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  private static void rulesTable(List<Finding> findings, StringBuilder md) {
    Map<String, Severity> severity = new TreeMap<>();
    Map<String, Integer> count = new TreeMap<>();
    for (Finding f : findings) {
      count.merge(f.ruleId(), 1, Integer::sum);
      severity.merge(f.ruleId(), f.severity(), (a, b) -> a.atLeast(b) ? a : b);
    }
    md.append("\n| Rule | Severity | Findings |\n| --- | --- | ---: |\n");
    for (Map.Entry<String, Integer> e : count.entrySet()) {
      md.append("| [")
          .append(text(e.getKey()))
          .append("](")
          .append(url(SarifReport.ruleDocUri(e.getKey())))
          .append(") | ")
          .append(severity.get(e.getKey()).label())
          .append(" | ")
          .append(e.getValue())
          .append(" |\n");
    }
  }

  private void findingsTable(List<Finding> findings, StringBuilder md) {
    md.append("\n| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n");
    for (Finding f : findings.subList(0, Math.min(MAX_ROWS, findings.size()))) {
      md.append("| ")
          .append(f.severity().label())
          .append(" | ")
          .append(location(f.range()))
          .append(" | ")
          .append(text(f.ruleId()))
          .append(" | ")
          .append(text(f.message()))
          .append(" |\n");
    }
    if (findings.size() > MAX_ROWS) {
      md.append("\n")
          .append(findings.size() - MAX_ROWS)
          .append(" more findings are not listed here; see the full report.\n");
    }
  }

  private void evidence(List<Finding> findings, StringBuilder md) {
    List<Finding> traced =
        findings.subList(0, Math.min(MAX_ROWS, findings.size())).stream()
            .filter(f -> !f.trace().isEmpty())
            .toList();
    if (traced.isEmpty()) return;
    md.append("\n<details><summary>Evidence of ")
        .append(traced.size())
        .append(traced.size() == 1 ? " finding" : " findings")
        .append("</summary>\n\n");
    for (Finding f : traced) {
      md.append("- ")
          .append(location(f.range()))
          .append(" ")
          .append(text(f.ruleId()))
          .append(": ")
          .append(text(f.message()))
          .append('\n');
      for (TraceStep step : f.trace()) {
        md.append("  - ")
            .append(location(step.range()))
            .append(": ")
            .append(text(step.message()))
            .append('\n');
      }
    }
    md.append("\n</details>\n");
  }

  /** {@code file:line}, linked to the line when there is a link base. */
  private String location(SrcRange r) {
    if (!ReportOrder.hasFile(r)) return "";
    String shown = text(r.line() >= 1 ? r.file() + ":" + r.line() : r.file());
    if (linkBase == null) return shown;
    String target = linkBase + "/" + SarifUris.relative(r.file());
    if (r.line() >= 1) target += "#L" + r.line();
    return "[" + shown + "](" + url(target) + ")";
  }

  /**
   * Text from the sources or the configuration, safe in a table cell: HTML and Markdown syntax
   * characters are escaped, line breaks become spaces.
   */
  static String text(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\r', '\n' -> out.append(' ');
        case '\\', '`', '*', '_', '[', ']', '|', '~' -> out.append('\\').append(c);
        default -> out.append(c);
      }
    }
    return HtmlReport.escText(out.toString());
  }

  /** A link target: characters that would end or break the link are percent-encoded. */
  static String url(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case ' ' -> out.append("%20");
        case '(' -> out.append("%28");
        case ')' -> out.append("%29");
        case '<' -> out.append("%3C");
        case '>' -> out.append("%3E");
        case '"' -> out.append("%22");
        case '\\' -> out.append("%5C");
        default -> {
          if (c < 0x20) continue;
          out.append(c);
        }
      }
    }
    return out.toString();
  }
}
