package dev.kmodcheck.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodcheck.Version;
import dev.kmodcheck.check.Confidence;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.ScanStats;
import dev.kmodcheck.engine.Suppressed;
import dev.kmodcheck.ir.SrcRange;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -f sarif}: SARIF 2.1.0 for GitHub code scanning, the VS Code SARIF Viewer and other SARIF
 * consumers. One run; rules[] are the rules that ran; every result points into them by ruleIndex.
 *
 * <p>Paths are relative URIs against {@code %SRCROOT%}, which originalUriBaseIds maps to the
 * absolute source root - the only machine-dependent part of the log. Invocation start and end times
 * are deliberately not written, so the same ScanResult gives byte-identical output.
 */
public final class SarifReport implements ReportWriter {

  public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
  public static final String SRCROOT = "%SRCROOT%";

  private static final int MAX_TAGS = 10; // GitHub shows at most ten tags per rule
  private static final Pattern SEMVER =
      Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
  private static final Set<String> LEVELS = Set.of("none", "note", "warning", "error");

  private final String category;
  private final List<Suppressed> suppressed;
  private final boolean strict;

  public SarifReport() {
    this(null);
  }

  /**
   * @param suppressed findings left out of the report by a comment or the baseline, written as
   *     results with a {@code suppressions} entry (GitHub code scanning ignores those, so they are
   *     only wanted for other viewers and audits)
   */
  public SarifReport(String category, List<Suppressed> suppressed) {
    this(category, suppressed, false);
  }

  /**
   * @param strict the run fails (exit code 2) when a file was skipped or a rule failed, so such a
   *     run is written with executionSuccessful false
   */
  public SarifReport(String category, List<Suppressed> suppressed, boolean strict) {
    this.category = category;
    this.strict = strict;
    List<Suppressed> sorted = new ArrayList<>(suppressed);
    sorted.sort(Comparator.comparing(Suppressed::finding, Finding.ORDER));
    this.suppressed = List.copyOf(sorted);
  }

  /**
   * @param category GitHub's analysis category (run.automationDetails.id), to upload several
   *     kmodcheck runs (e.g. per target) for one commit without one replacing the other; null: none
   */
  public SarifReport(String category) {
    this(category, List.of());
  }

  @Override
  public void write(ScanResult result, Writer out) throws IOException {
    PrettyJson.write(toSarif(result), out);
  }

  ObjectNode toSarif(ScanResult result) {
    ObjectNode log = PrettyJson.object();
    log.put("$schema", SCHEMA_URI);
    log.put("version", "2.1.0");
    ObjectNode run = log.putArray("runs").addObject();

    List<RuleDescriptor> rules = ReportOrder.rules(result.rules());
    Map<String, Integer> ruleIndex = new HashMap<>();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "kmodcheck");
    String version = result.toolVersion() != null ? result.toolVersion() : Version.version();
    driver.put("version", version);
    if (SEMVER.matcher(version).matches()) driver.put("semanticVersion", version);
    driver.put("informationUri", Version.informationUri());
    ArrayNode rulesNode = driver.putArray("rules");
    for (RuleDescriptor rule : rules) {
      ruleIndex.put(rule.id(), ruleIndex.size());
      rulesNode.add(rule(rule));
    }

    if (category != null && !category.isEmpty()) {
      // GitHub takes everything before the last '/' of the id as the category.
      run.putObject("automationDetails")
          .put("id", category.endsWith("/") ? category : category + "/");
    }
    if (result.sourceRoot() != null) {
      run.putObject("originalUriBaseIds")
          .putObject(SRCROOT)
          .put("uri", SarifUris.directory(result.sourceRoot()));
    }

    ObjectNode invocation = run.putArray("invocations").addObject();
    // Findings are the tool working, not failing. Skipped files and failed rules are error
    // notifications, which tell consumers the results may be incomplete (SARIF 2.1.0 appendix I);
    // the execution itself failed only when --strict turns them into exit code 2.
    invocation.put(
        "executionSuccessful", !(strict && result.stats() != null && result.stats().incomplete()));
    List<Notification> notifications = ReportOrder.notifications(result.notifications());
    if (!notifications.isEmpty()) {
      ArrayNode notes = invocation.putArray("toolExecutionNotifications");
      for (Notification n : notifications) notes.add(notification(n));
    }

    ArrayNode results = run.putArray("results");
    for (Fingerprints.Fingerprinted fp : Fingerprints.sorted(result)) {
      results.add(result(fp.finding(), fp.fingerprint(), ruleIndex));
    }
    if (!suppressed.isEmpty()) {
      List<Finding> left = suppressed.stream().map(Suppressed::finding).toList();
      List<String> prints = Fingerprints.compute(left, new SourceLines(result.sourceRoot()));
      for (int i = 0; i < left.size(); i++) {
        ObjectNode node = result(left.get(i), prints.get(i), ruleIndex);
        Suppressed s = suppressed.get(i);
        ObjectNode entry = node.putArray("suppressions").addObject();
        entry.put("kind", s.kind().sarifKind());
        if (s.justification() != null && !s.justification().isEmpty()) {
          entry.put("justification", s.justification());
        }
        results.add(node);
      }
    }
    // Our columns count Java chars, i.e. UTF-16 code units, not Unicode code points.
    run.put("columnKind", "utf16CodeUnits");
    if (result.target() != null || result.stats() != null) {
      ObjectNode props = run.putObject("properties");
      if (result.target() != null) props.set("target", JsonReport.target(result.target()));
      if (result.stats() != null) {
        // What a code-scanning consumer needs to judge "no results": how much was analysed.
        ScanStats st = result.stats();
        ObjectNode cov = props.putObject("coverage");
        cov.put("functions", st.functions());
        cov.put("functionsLost", st.functionsLost());
        cov.put("linesLost", st.linesLost());
        cov.put("parseProblems", st.parseProblems());
        cov.put("percent", Double.parseDouble(TextReport.percent(st.coveragePercent())));
      }
    }
    return log;
  }

  private static ObjectNode rule(RuleDescriptor rule) {
    ObjectNode node = PrettyJson.object();
    node.put("id", rule.id());
    node.put("name", rule.name());
    node.putObject("shortDescription").put("text", rule.summary());
    node.putObject("fullDescription").put("text", rule.fullDescription());
    String doc = ruleDocUri(rule.id());
    node.put("helpUri", doc);
    // Relative links are dead where GitHub shows the help (the alert view): resolved against the
    // rule's page in the repository, where they were written.
    ObjectNode help = node.putObject("help");
    help.put("text", absoluteLinks(rule.helpText(), doc));
    if (rule.helpMarkdown() != null) help.put("markdown", absoluteLinks(rule.helpMarkdown(), doc));
    node.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel());
    ObjectNode props = node.putObject("properties");
    ArrayNode tags = props.putArray("tags");
    rule.tags().stream().distinct().limit(MAX_TAGS).forEach(tags::add);
    props.put("precision", rule.precision());
    // GitHub sorts and filters code-scanning alerts of non-security tools by this.
    props.put("problem.severity", problemSeverity(rule.severity()));
    return node;
  }

  /** SARIF rank (0-100) of a certain and of a conditional atomic-context finding. */
  static final double CERTAIN_RANK = 90.0;

  static final double CONDITIONAL_RANK = 30.0;

  /** The rule's reference page (docs/rules/ID.md) in the project's repository. */
  static String ruleDocUri(String id) {
    return Version.informationUri() + "/blob/main/docs/rules/" + id + ".md";
  }

  private static final Pattern INLINE_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern REFERENCE_LINK =
      Pattern.compile("(?m)^(\\s{0,3}\\[[^\\]]+\\]:\\s*)(\\S+)");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  /** Markdown with each relative link target resolved against {@code base}. */
  public static String absoluteLinks(String markdown, String base) {
    if (markdown == null) return null;
    String inline =
        INLINE_LINK
            .matcher(markdown)
            .replaceAll(m -> Matcher.quoteReplacement("](" + resolve(base, m.group(1)) + ")"));
    return REFERENCE_LINK
        .matcher(inline)
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + resolve(base, m.group(2))));
  }

  private static String resolve(String base, String target) {
    if (SCHEME.matcher(target).find()) return target;
    try {
      return URI.create(base).resolve(target).toString();
    } catch (IllegalArgumentException e) {
      return target;
    }
  }

  /** GitHub's problem.severity: error, warning or recommendation. */
  static String problemSeverity(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case NOTE -> "recommendation";
    };
  }

  /**
   * The message with its evidence steps as {@code [text](id)} links to the related locations:
   * GitHub shows related locations only through such links. Brackets of the texts are escaped, as
   * SARIF asks of messages with links.
   */
  static String linkedMessage(Finding f) {
    if (f.trace().isEmpty()) return f.message();
    StringBuilder out = new StringBuilder(escapeBrackets(f.message()));
    out.append(f.message().endsWith(".") ? "" : ".").append(" Evidence:");
    int id = 1;
    for (TraceStep step : f.trace()) {
      out.append(id == 1 ? " " : "; ")
          .append('[')
          .append(escapeBrackets(step.message()))
          .append("](")
          .append(id++)
          .append(')');
    }
    return out.append('.').toString();
  }

  private static String escapeBrackets(String text) {
    return text.replace("[", "\\[").replace("]", "\\]");
  }

  private static ObjectNode result(Finding f, String fingerprint, Map<String, Integer> ruleIndex) {
    ObjectNode node = PrettyJson.object();
    node.put("ruleId", f.ruleId());
    Integer index = ruleIndex.get(f.ruleId());
    if (index != null) node.put("ruleIndex", index);
    node.put("level", f.severity().sarifLevel());
    node.putObject("message").put("text", linkedMessage(f));
    if (ReportOrder.hasFile(f.range())) {
      ObjectNode location = node.putArray("locations").addObject();
      location.set("physicalLocation", physicalLocation(f.range()));
      if (f.function() != null && !f.function().isEmpty()) {
        ObjectNode logical = location.putArray("logicalLocations").addObject();
        logical.put("name", f.function());
        logical.put("kind", "function");
      }
    }
    node.putObject("partialFingerprints").put("primaryLocationLineHash", fingerprint);
    if (f.confidence() != null) {
      // Viewers sort by rank: what the default gate fails on above what it only shows.
      node.put("rank", f.confidence() == Confidence.CERTAIN ? CERTAIN_RANK : CONDITIONAL_RANK);
      ObjectNode props = node.putObject("properties");
      props.put("confidence", f.confidence().label());
      if (f.rootCause() != null) props.put("rootCause", f.rootCause());
    }
    if (!f.trace().isEmpty()) {
      ArrayNode steps =
          node.putArray("codeFlows")
              .addObject()
              .putArray("threadFlows")
              .addObject()
              .putArray("locations");
      for (TraceStep step : f.trace()) {
        steps.addObject().set("location", location(step.range(), step.message()));
      }
      // The flow ends where the problem is, so viewers show the whole path to it.
      steps.addObject().set("location", location(f.range(), f.message()));
      ArrayNode related = node.putArray("relatedLocations");
      int id = 1;
      for (TraceStep step : f.trace()) {
        ObjectNode loc = location(step.range(), step.message());
        ObjectNode withId = related.addObject();
        withId.put("id", id++);
        withId.setAll(loc);
      }
    }
    return node;
  }

  private static ObjectNode notification(Notification n) {
    ObjectNode node = PrettyJson.object();
    node.put("level", n.level() != null && LEVELS.contains(n.level()) ? n.level() : "warning");
    node.putObject("message").put("text", n.message());
    if (ReportOrder.hasFile(n.location())) {
      node.putArray("locations")
          .addObject()
          .set("physicalLocation", physicalLocation(n.location()));
    }
    if (n.kind() != null && !n.kind().isEmpty()) node.putObject("descriptor").put("id", n.kind());
    return node;
  }

  private static ObjectNode location(SrcRange range, String message) {
    ObjectNode node = PrettyJson.object();
    if (ReportOrder.hasFile(range)) node.set("physicalLocation", physicalLocation(range));
    node.putObject("message").put("text", message);
    return node;
  }

  private static ObjectNode physicalLocation(SrcRange r) {
    ObjectNode node = PrettyJson.object();
    ObjectNode artifact = node.putObject("artifactLocation");
    artifact.put("uri", SarifUris.relative(r.file()));
    artifact.put("uriBaseId", SRCROOT);
    if (r.line() >= 1) {
      ObjectNode region = node.putObject("region");
      region.put("startLine", r.line());
      boolean columns = r.column() >= 1;
      if (columns) region.put("startColumn", r.column());
      if (r.endLine() >= r.line()) {
        region.put("endLine", r.endLine());
        // SARIF endColumn is exclusive, as SrcRange's; an end before the start would be invalid.
        if (columns && r.endColumn() >= 1) {
          boolean sameLine = r.endLine() == r.line();
          region.put("endColumn", sameLine ? Math.max(r.endColumn(), r.column()) : r.endColumn());
        }
      }
    }
    return node;
  }
}
