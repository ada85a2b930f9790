package dev.kmodcheck.report;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.ir.SrcRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code -f html}: one self-contained page for a reviewer (styles and script inline, nothing loaded
 * from the network). Findings are grouped by file and rule, with counts and filters (by severity,
 * rule and file), and each finding shows its source lines with the evidence path drawn on them:
 * every step (where atomic context began, each call of a chain, the allocation or sleeping call)
 * numbered in the gutter and highlighted, the lines between consecutive steps marked as the path,
 * and each step linked to the next one, in whichever file it lies.
 *
 * <p>Everything taken from the sources is HTML-escaped. The page is deterministic (no time, no
 * absolute paths), like the other reports.
 */
public final class HtmlReport implements ReportWriter {

  /** Lines shown around each step. */
  static final int CONTEXT = 2;

  private static final String ASSETS = "/dev/kmodcheck/report/html/";

  private final int suppressed;
  private final int baselined;

  public HtmlReport(int suppressed, int baselined) {
    this.suppressed = suppressed;
    this.baselined = baselined;
  }

  /** A place on the evidence path: a trace step, or the finding itself (the last). */
  private record Point(SrcRange range, String message, int number) {}

  @Override
  public void write(ScanResult result, Writer out) throws IOException {
    List<Finding> findings = new ArrayList<>(result.findings());
    findings.sort(Finding.ORDER);
    SourceLines sources = new SourceLines(result.sourceRoot());
    Map<String, Map<String, List<Integer>>> byFile = new TreeMap<>();
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      byFile
          .computeIfAbsent(fileOf(f.range()), k -> new TreeMap<>())
          .computeIfAbsent(f.ruleId(), k -> new ArrayList<>())
          .add(i);
    }
    Map<String, String> fileIds = new LinkedHashMap<>();
    for (String file : byFile.keySet()) fileIds.put(file, "file-" + fileIds.size());

    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>kmodcheck report</title>\n<style>\n")
        .append(asset("report.css"))
        .append("</style>\n</head>\n<body>\n");
    header(result, findings, h);
    filters(findings, h);
    for (Map.Entry<String, Map<String, List<Integer>>> file : byFile.entrySet()) {
      int count = file.getValue().values().stream().mapToInt(List::size).sum();
      h.append("<section class=\"file\" id=\"")
          .append(fileIds.get(file.getKey()))
          .append("\">\n<h2>")
          .append(esc(file.getKey()))
          .append(" <span class=\"count\">")
          .append(count)
          .append("</span></h2>\n");
      for (Map.Entry<String, List<Integer>> rule : file.getValue().entrySet()) {
        h.append("<section class=\"rule\">\n<h3><a href=\"")
            .append(esc(SarifReport.ruleDocUri(rule.getKey())))
            .append("\">")
            .append(esc(rule.getKey()))
            .append("</a> <span class=\"count\">")
            .append(rule.getValue().size())
            .append("</span></h3>\n");
        for (int i : rule.getValue()) finding(i, findings.get(i), sources, fileIds, h);
        h.append("</section>\n");
      }
      h.append("</section>\n");
    }
    h.append("<script>\n").append(asset("report.js")).append("</script>\n</body>\n</html>\n");
    out.write(h.toString());
    out.flush();
  }

  private void header(ScanResult result, List<Finding> findings, StringBuilder h) {
    Map<Severity, Integer> counts = TextReport.countBySeverity(findings);
    h.append("<header>\n<h1>kmodcheck report</h1>\n<p class=\"summary\">");
    List<String> parts = new ArrayList<>();
    for (Severity s : Severity.values()) {
      int n = counts.get(s);
      parts.add(
          "<span class=\"sev "
              + s.label()
              + "\">"
              + n
              + " "
              + s.label()
              + (n == 1 ? "" : "s")
              + "</span>");
    }
    h.append(String.join(" ", parts));
    h.append(" in ").append(result.stats().files()).append(" files");
    if (suppressed > 0) h.append(", ").append(suppressed).append(" suppressed by comments");
    if (baselined > 0) h.append(", ").append(baselined).append(" in the baseline");
    if (result.stats().filesSkipped() > 0) {
      h.append(", <strong>")
          .append(result.stats().filesSkipped())
          .append(" files skipped</strong>");
    }
    h.append(". Target ").append(esc(result.target().name())).append(".</p>\n</header>\n");
  }

  private static void filters(List<Finding> findings, StringBuilder h) {
    h.append("<nav class=\"filters\">\n");
    for (Severity s : Severity.values()) {
      h.append("<label><input type=\"checkbox\" name=\"sev\" value=\"")
          .append(s.label())
          .append("\" checked> ")
          .append(s.label())
          .append("</label>\n");
    }
    h.append("<label>rule <select id=\"rule\"><option value=\"\">all</option>");
    TreeSet<String> rules = new TreeSet<>();
    for (Finding f : findings) rules.add(f.ruleId());
    for (String r : rules) {
      h.append("<option value=\"").append(esc(r)).append("\">").append(esc(r)).append("</option>");
    }
    h.append("</select></label>\n<label>file <input type=\"search\" id=\"file\"")
        .append(" placeholder=\"part of a path\"></label>\n")
        .append("<output id=\"shown\"></output>\n</nav>\n");
  }

  private static void finding(
      int index, Finding f, SourceLines sources, Map<String, String> fileIds, StringBuilder h) {
    String id = "f" + index;
    List<Point> points = new ArrayList<>();
    for (TraceStep step : f.trace()) {
      points.add(new Point(step.range(), step.message(), points.size() + 1));
    }
    // The finding's own place ends the path, unless the last step already is that line.
    SrcRange lastStep = f.trace().isEmpty() ? null : f.trace().get(f.trace().size() - 1).range();
    if (lastStep == null
        || f.range() == null
        || !fileOf(lastStep).equals(fileOf(f.range()))
        || lastStep.line() != f.range().line()) {
      points.add(new Point(f.range(), f.message(), points.size() + 1));
    }
    h.append("<article class=\"finding\" id=\"")
        .append(id)
        .append("\" data-severity=\"")
        .append(f.severity().label())
        .append("\" data-rule=\"")
        .append(esc(f.ruleId()))
        .append("\" data-file=\"")
        .append(esc(fileOf(f.range())))
        .append("\">\n<p class=\"message\"><span class=\"sev ")
        .append(f.severity().label())
        .append("\">")
        .append(f.severity().label())
        .append("</span> <a href=\"#")
        .append(id)
        .append("-p")
        .append(points.size())
        .append("\">")
        .append(esc(TextReport.where(f.range())))
        .append("</a>");
    if (f.function() != null && !f.function().isEmpty()) {
      h.append(" in <code>").append(esc(f.function())).append("()</code>");
    }
    h.append(": ").append(esc(f.message())).append("</p>\n");
    if (points.size() > 1) {
      h.append("<ol class=\"evidence\">\n");
      for (Point p : points) {
        h.append("<li class=\"step\"><a href=\"#")
            .append(id)
            .append("-p")
            .append(p.number())
            .append("\">")
            .append(esc(TextReport.where(p.range())))
            .append("</a> ")
            .append(esc(p.message()))
            .append("</li>\n");
      }
      h.append("</ol>\n");
    }
    Map<String, List<Point>> perFile = new LinkedHashMap<>();
    for (Point p : points) {
      perFile.computeIfAbsent(fileOf(p.range()), k -> new ArrayList<>()).add(p);
    }
    for (Map.Entry<String, List<Point>> e : perFile.entrySet()) {
      excerpt(id, e.getKey(), e.getValue(), points.size(), sources, fileIds, h);
    }
    h.append("</article>\n");
  }

  /** The lines of one file that the path touches, with its steps and the path between them. */
  private static void excerpt(
      String id,
      String file,
      List<Point> points,
      int last,
      SourceLines sources,
      Map<String, String> fileIds,
      StringBuilder h) {
    TreeSet<Integer> shown = new TreeSet<>();
    TreeSet<Integer> path = new TreeSet<>();
    // Every line of a step's code, which may span several (a call's arguments).
    TreeSet<Integer> flagged = new TreeSet<>();
    Map<Integer, List<Point>> at = new TreeMap<>();
    Point previous = null;
    for (Point p : points) {
      int line = p.range() == null ? 0 : p.range().line();
      if (line < 1) continue;
      int end = Math.max(line, p.range().endLine());
      for (int l = Math.max(1, line - CONTEXT); l <= end + CONTEXT; l++) shown.add(l);
      at.computeIfAbsent(line, k -> new ArrayList<>()).add(p);
      for (int l = line; l <= end; l++) flagged.add(l);
      // Consecutive steps in this file: the lines between them are the path.
      if (previous != null && previous.number() == p.number() - 1) {
        int a = Math.min(previous.range().line(), line);
        int b = Math.max(previous.range().line(), line);
        for (int l = a; l <= b; l++) path.add(l);
      }
      previous = p;
    }
    h.append("<figure class=\"excerpt\">\n<figcaption>");
    String own = fileIds.get(file);
    if (own != null) {
      h.append("<a href=\"#").append(own).append("\">").append(esc(file)).append("</a>");
    } else {
      h.append(esc(file));
    }
    h.append("</figcaption>\n<table>\n");
    Integer prev = null;
    for (int l : shown) {
      Optional<String> text = sources.line(file, l);
      if (text.isEmpty()) continue;
      if (prev != null && l > prev + 1)
        h.append("<tr class=\"gap\"><td></td><td></td><td>…</td></tr>\n");
      prev = l;
      List<Point> here = at.getOrDefault(l, List.of());
      h.append("<tr class=\"");
      h.append(flagged.contains(l) ? "point " : "");
      h.append(path.contains(l) ? "path" : "");
      h.append("\"><td class=\"ln\">").append(l).append("</td><td class=\"gutter\">");
      for (Point p : here) {
        // Each number links to the next step, which may be in another file's excerpt.
        int next = p.number() < last ? p.number() + 1 : p.number();
        h.append("<a class=\"pt\" id=\"")
            .append(id)
            .append("-p")
            .append(p.number())
            .append("\" href=\"#")
            .append(id)
            .append("-p")
            .append(next)
            .append("\" title=\"")
            .append(esc(p.message()))
            .append("\">")
            .append(p.number())
            .append("</a>");
      }
      h.append("</td><td class=\"code\">");
      h.append(highlighted(text.get(), here.isEmpty() ? null : here.get(0).range()));
      h.append("</td></tr>\n");
    }
    h.append("</table>\n</figure>\n");
  }

  /** The line, escaped, with a single-line step's columns marked. */
  private static String highlighted(String line, SrcRange r) {
    if (r == null || r.column() < 1 || r.endLine() != r.line() || r.endColumn() <= r.column()) {
      return esc(line);
    }
    int from = Math.min(line.length(), r.column() - 1);
    int to = Math.min(line.length(), r.endColumn() - 1);
    return esc(line.substring(0, from))
        + "<mark>"
        + esc(line.substring(from, to))
        + "</mark>"
        + esc(line.substring(to));
  }

  private static String fileOf(SrcRange r) {
    return r == null ? "" : r.file();
  }

  /** Text for an element or a quoted attribute. */
  static String esc(String s) {
    return escText(s).replace("\"", "&quot;").replace("'", "&#39;");
  }

  /** Text for an element (also Markdown's, which passes HTML through): no markup survives. */
  static String escText(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String asset(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(ASSETS + name)) {
      if (in == null) throw new IllegalStateException("missing resource " + ASSETS + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
