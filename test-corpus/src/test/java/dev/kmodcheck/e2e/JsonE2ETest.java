package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check -f json} agrees with docs/json-format.md and with the SARIF of the same scan. */
class JsonE2ETest {

  private static JsonNode json;
  private static JsonNode sarifResults;
  private static Map<String, List<String>> documented;

  @BeforeAll
  static void scan() throws IOException {
    json = Cli.check(Cli.CORPUS, List.of("-f", "json"), Cli.corpusInputs()).expectCode(1).json();
    sarifResults =
        Cli.check(Cli.CORPUS, List.of("-f", "sarif"), Cli.corpusInputs())
            .json()
            .path("runs")
            .path(0)
            .path("results");
    documented =
        documentedFields(
            Files.readString(Cli.REPO.resolve("docs/json-format.md"), StandardCharsets.UTF_8));
  }

  /**
   * The field names of each table in the format document, in order, by section title ("Top level",
   * "target", "finding", ...). A row may name several fields: {@code `file`, `line`}.
   */
  static Map<String, List<String>> documentedFields(String markdown) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    Pattern name = Pattern.compile("`([A-Za-z]+)`");
    String section = null;
    for (String line : markdown.split("\n")) {
      if (line.startsWith("#")) {
        section = line.replaceFirst("^#+\\s*", "").replace("`", "").strip();
        continue;
      }
      if (section == null || !line.startsWith("| `")) continue;
      String firstCell = line.substring(1, line.indexOf('|', 1));
      Matcher m = name.matcher(firstCell);
      while (m.find()) sections.computeIfAbsent(section, k -> new ArrayList<>()).add(m.group(1));
    }
    return sections;
  }

  private static List<String> fieldsOf(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void topLevelTargetAndStatsHaveTheDocumentedFieldsInOrder() {
    // Guards the parser of the document itself: it must have found the tables.
    assertEquals(
        List.of("tool", "formatVersion", "target", "findings", "notifications", "stats"),
        documented.get("Top level"));
    assertEquals(documented.get("Top level"), fieldsOf(json));
    assertEquals(documented.get("target"), fieldsOf(json.path("target")));
    assertEquals(documented.get("stats"), fieldsOf(json.path("stats")));
    assertEquals(List.of("name", "version"), fieldsOf(json.path("tool")));
    assertEquals("kmodcheck", json.path("tool").path("name").asText());
    assertTrue(json.path("formatVersion").isInt());
    assertEquals(1, json.path("formatVersion").asInt());
    assertEquals("x86_64", json.path("target").path("name").asText());
    assertEquals(
        List.of("error", "warning", "note"), fieldsOf(json.path("stats").path("findings")));
  }

  @Test
  void findingsHaveTheDocumentedFieldsAndTypes() {
    JsonNode findings = json.path("findings");
    assertTrue(findings.isArray() && findings.size() > 0, "findings");
    Pattern fingerprint = Pattern.compile("[0-9a-f]{16}:[1-9][0-9]*");
    Pattern rootCause = Pattern.compile("[0-9a-f]{16}");
    int graded = 0;
    for (JsonNode f : findings) {
      List<String> fields = new ArrayList<>(documented.get("finding"));
      // Only the atomic-context rules grade their findings and group them by root cause.
      boolean atomic = ATOMIC_RULES.contains(f.path("ruleId").asText());
      if (!atomic) fields.removeAll(List.of("confidence", "rootCause"));
      assertEquals(fields, fieldsOf(f), f::toString);
      if (atomic) {
        graded++;
        String confidence = f.path("confidence").asText();
        assertTrue(confidence.matches("certain|conditional"), f::toString);
        assertEquals(
            confidence.equals("conditional"),
            f.path("severity").asText().equals("note"),
            f::toString);
        assertTrue(rootCause.matcher(f.path("rootCause").asText()).matches(), f::toString);
      }
      assertTrue(f.path("severity").asText().matches("error|warning|note"), f::toString);
      assertTrue(f.path("line").isInt() && f.path("line").asInt() > 0, f::toString);
      assertTrue(f.path("column").isInt() && f.path("endColumn").isInt(), f::toString);
      assertTrue(f.path("function").isTextual() || f.path("function").isNull(), f::toString);
      assertTrue(f.path("trace").isArray(), f::toString);
      for (JsonNode step : f.path("trace")) {
        assertEquals(documented.get("trace step"), fieldsOf(step), step::toString);
      }
      assertTrue(fingerprint.matcher(f.path("fingerprint").asText()).matches(), f::toString);
      assertFalse(f.path("file").asText().startsWith("/"), f::toString);
    }
    assertTrue(graded > 0, "the corpus has atomic-context findings");
  }

  private static final List<String> ATOMIC_RULES =
      List.of("sleep-in-atomic", "sleeping-alloc-in-atomic", "vmalloc-in-atomic");

  @Test
  void findingsAreTheSarifResultsOfTheSameScan() {
    JsonNode findings = json.path("findings");
    assertEquals(sarifResults.size(), findings.size(), "JSON findings vs. SARIF results");
    JsonNode counts = json.path("stats").path("findings");
    assertEquals(
        findings.size(),
        counts.path("error").asInt() + counts.path("warning").asInt() + counts.path("note").asInt(),
        "stats.findings adds up");
    // Both formats list the same findings in the same order with the same fingerprints.
    for (int i = 0; i < findings.size(); i++) {
      JsonNode f = findings.get(i);
      JsonNode r = sarifResults.get(i);
      JsonNode loc = r.path("locations").path(0).path("physicalLocation");
      assertEquals(f.path("ruleId").asText(), r.path("ruleId").asText());
      assertEquals(f.path("file").asText(), loc.path("artifactLocation").path("uri").asText());
      assertEquals(f.path("line").asInt(), loc.path("region").path("startLine").asInt());
      assertEquals(
          f.path("fingerprint").asText(),
          r.path("partialFingerprints").path("primaryLocationLineHash").asText());
    }
  }

  /**
   * The document's example is what a scan of its C source writes, up to the wording of messages and
   * the timing: the same rules and severities, positions, evidence steps and counts.
   */
  @Test
  void theDocumentedExampleIsWhatTheScanWrites(@TempDir Path tmp) throws IOException {
    String doc = Files.readString(Cli.REPO.resolve("docs/json-format.md"), StandardCharsets.UTF_8);
    String example = doc.substring(doc.indexOf("## Example"));
    String source = example.split("```c\n", 2)[1].split("```", 2)[0];
    JsonNode shown = Cli.parse(example.split("```json\n", 2)[1].split("```", 2)[0]);
    Path file = CFiles.write(tmp, "drivers/foo/foo.c", source.split("\n"));
    JsonNode written = Cli.check(tmp, List.of("-f", "json"), file).expectCode(1).json();
    assertEquals(withoutWordingAndTime(shown), withoutWordingAndTime(written));
  }

  private static JsonNode withoutWordingAndTime(JsonNode report) {
    ObjectNode copy = (ObjectNode) report.deepCopy();
    ((ObjectNode) copy.path("stats")).remove("millis");
    ((ObjectNode) copy.path("tool")).remove("version");
    for (JsonNode f : copy.path("findings")) {
      ((ObjectNode) f).remove("message");
      for (JsonNode step : f.path("trace")) {
        ((ObjectNode) step).remove("message");
      }
    }
    return copy;
  }

  @Test
  void statsCountTheCorpusFiles() {
    int cFiles = CorpusMarkers.readAll(Cli.CORPUS, Cli.corpusInputs()).size();
    assertEquals(cFiles, json.path("stats").path("files").asInt());
    assertEquals(0, json.path("stats").path("parseProblems").asInt(), "the corpus parses cleanly");
    assertEquals(0, json.path("notifications").size(), json.path("notifications")::toString);
  }
}
