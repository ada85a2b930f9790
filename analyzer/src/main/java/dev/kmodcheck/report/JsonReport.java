package dev.kmodcheck.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodcheck.Version;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.ScanStats;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/**
 * {@code -f json}: kmodcheck's own format, documented field by field in docs/json-format.md.
 *
 * <p>Deliberately machine-independent: the absolute source root is not written (all paths are
 * relative to it), so the same scan of the same tree gives the same bytes on any machine, except
 * {@code stats.millis}, the only timing field, and {@code tool.version}.
 */
public final class JsonReport implements ReportWriter {

  /** Bumped on any incompatible change (removed or retyped field); new fields do not bump it. */
  public static final int FORMAT_VERSION = 1;

  private final int suppressed;
  private final int baselined;

  /** A report of a scan without suppressed or baselined findings. */
  public JsonReport() {
    this(0, 0);
  }

  /**
   * @param suppressed findings left out because a comment suppressed them
   * @param baselined findings left out because the baseline holds them
   */
  public JsonReport(int suppressed, int baselined) {
    this.suppressed = suppressed;
    this.baselined = baselined;
  }

  @Override
  public void write(ScanResult result, Writer out) throws IOException {
    PrettyJson.write(toJson(result), out);
  }

  /** The report as a tree, in document field order. */
  ObjectNode toJson(ScanResult result) {
    ObjectNode root = PrettyJson.object();
    ObjectNode tool = root.putObject("tool");
    tool.put("name", "kmodcheck");
    tool.put("version", result.toolVersion() != null ? result.toolVersion() : Version.version());
    root.put("formatVersion", FORMAT_VERSION);
    root.set("target", target(result.target()));

    ArrayNode findings = root.putArray("findings");
    for (Fingerprints.Fingerprinted fp : Fingerprints.sorted(result)) {
      findings.add(finding(fp.finding(), fp.fingerprint()));
    }
    ArrayNode notifications = root.putArray("notifications");
    for (Notification n : ReportOrder.notifications(result.notifications())) {
      notifications.add(notification(n));
    }
    root.set("stats", stats(result));
    return root;
  }

  /** Shared with SARIF run.properties.target, so both formats describe the target alike. */
  static ObjectNode target(Target t) {
    ObjectNode node = PrettyJson.object();
    node.put("name", t.name());
    node.put("pageSize", t.pageSize());
    node.put("maxOrder", t.maxOrder());
    node.put("kmallocMaxSize", t.kmallocMaxSize());
    return node;
  }

  private static ObjectNode finding(Finding f, String fingerprint) {
    ObjectNode node = PrettyJson.object();
    node.put("ruleId", f.ruleId());
    node.put("severity", f.severity().label());
    node.put("message", f.message());
    putRange(node, f.range());
    node.put("function", f.function());
    if (f.confidence() != null) node.put("confidence", f.confidence().label());
    if (f.rootCause() != null) node.put("rootCause", f.rootCause());
    ArrayNode trace = node.putArray("trace");
    for (TraceStep step : f.trace()) {
      ObjectNode s = trace.addObject();
      putRange(s, step.range());
      s.put("message", step.message());
    }
    node.put("fingerprint", fingerprint);
    return node;
  }

  private static ObjectNode notification(Notification n) {
    ObjectNode node = PrettyJson.object();
    node.put("level", n.level());
    node.put("kind", n.kind());
    node.put("message", n.message());
    if (ReportOrder.hasFile(n.location())) {
      putRange(node.putObject("location"), n.location());
    } else {
      node.putNull("location");
    }
    return node;
  }

  /** Unknown parts stay 0, as in SrcRange; readers check {@code line > 0}. */
  private static void putRange(ObjectNode node, SrcRange r) {
    SrcRange range = r == null ? SrcRange.UNKNOWN : r;
    node.put("file", range.file());
    node.put("line", range.line());
    node.put("column", range.column());
    node.put("endLine", range.endLine());
    node.put("endColumn", range.endColumn());
  }

  private ObjectNode stats(ScanResult result) {
    ScanStats s = result.stats();
    ObjectNode node = PrettyJson.object();
    node.put("files", s.files());
    node.put("lines", s.lines());
    node.put("functions", s.functions());
    node.put("parseProblems", s.parseProblems());
    node.put("filesWithProblems", s.filesWithProblems());
    node.put("functionsLost", s.functionsLost());
    node.put("linesLost", s.linesLost());
    node.put("coveragePercent", Double.parseDouble(TextReport.percent(s.coveragePercent())));
    node.put("filesSkipped", s.filesSkipped());
    node.put("ruleFailures", s.ruleFailures());
    ObjectNode findings = node.putObject("findings");
    for (Map.Entry<Severity, Integer> e :
        TextReport.countBySeverity(result.findings()).entrySet()) {
      findings.put(e.getKey().label(), e.getValue());
    }
    node.put("suppressed", suppressed);
    node.put("baselined", baselined);
    node.put("rootCauses", TextReport.rootCauses(result.findings()));
    node.put("millis", s.millis());
    return node;
  }
}
