package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.engine.ScanResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path root;

  @Test
  void topLevelFieldsInDocumentedOrder() throws IOException {
    JsonNode json =
        MAPPER.readTree(SarifReportTest.render(new JsonReport(), SampleResults.sample(root)));
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of("tool", "formatVersion", "target", "findings", "notifications", "stats"), fields);
    assertEquals(JsonReport.FORMAT_VERSION, json.path("formatVersion").asInt());
    assertEquals("kmodcheck", json.at("/tool/name").asText());
    assertEquals("0.1.0", json.at("/tool/version").asText());
    assertEquals(4 << 20, json.at("/target/kmallocMaxSize").asLong());
    assertEquals(4096, json.at("/target/pageSize").asLong());
  }

  @Test
  void findingsRoundTrip() throws IOException {
    ScanResult result = SampleResults.sample(root);
    JsonNode json = MAPPER.readTree(SarifReportTest.render(new JsonReport(), result));
    List<Finding> sorted = new ArrayList<>(result.findings());
    sorted.sort(Finding.ORDER);
    List<String> prints = Fingerprints.compute(sorted, new SourceLines(root));
    JsonNode findings = json.path("findings");
    assertEquals(sorted.size(), findings.size());
    for (int i = 0; i < sorted.size(); i++) {
      Finding f = sorted.get(i);
      JsonNode n = findings.get(i);
      assertEquals(f.ruleId(), n.path("ruleId").asText());
      assertEquals(f.severity().label(), n.path("severity").asText());
      assertEquals(f.message(), n.path("message").asText());
      assertEquals(f.range().file(), n.path("file").asText());
      assertEquals(f.range().line(), n.path("line").asInt());
      assertEquals(f.range().column(), n.path("column").asInt());
      assertEquals(f.range().endLine(), n.path("endLine").asInt());
      assertEquals(f.range().endColumn(), n.path("endColumn").asInt());
      assertEquals(f.function(), n.path("function").asText());
      assertEquals(f.trace().size(), n.path("trace").size());
      for (int t = 0; t < f.trace().size(); t++) {
        assertEquals(f.trace().get(t).message(), n.path("trace").get(t).path("message").asText());
        assertEquals(f.trace().get(t).range().line(), n.path("trace").get(t).path("line").asInt());
      }
      assertEquals(prints.get(i), n.path("fingerprint").asText());
    }
  }

  @Test
  void statsAndNotifications() throws IOException {
    JsonNode json =
        MAPPER.readTree(SarifReportTest.render(new JsonReport(), SampleResults.sample(root)));
    JsonNode stats = json.path("stats");
    assertEquals(3400, stats.path("lines").asLong());
    assertEquals(3, stats.at("/findings/error").asInt());
    assertEquals(1, stats.at("/findings/warning").asInt());
    assertEquals(0, stats.at("/findings/note").asInt());
    assertEquals(812, stats.path("millis").asLong());
    JsonNode notes = json.path("notifications");
    assertTrue(notes.get(0).path("location").isNull());
    assertEquals("drivers/foo/foo.c", notes.get(1).at("/location/file").asText());
  }

  @Test
  void machineIndependentAndDeterministic() throws IOException {
    String first = SarifReportTest.render(new JsonReport(), SampleResults.sample(root));
    assertEquals(first, SarifReportTest.render(new JsonReport(), SampleResults.sample(root)));
    assertFalse(first.contains(root.toString()), "the absolute source root must not leak");
    assertTrue(first.endsWith("}\n"));
    assertTrue(first.contains("\"formatVersion\": 1,\n"), "pretty-printed as documented");
  }

  /** Every field name the writer emits is documented in docs/json-format.md. */
  @Test
  void everyFieldIsDocumented() throws IOException {
    Path doc = Path.of("..", "docs", "json-format.md");
    String text = Files.readString(doc);
    Set<String> names = new TreeSet<>();
    collectNames(
        MAPPER.readTree(SarifReportTest.render(new JsonReport(), SampleResults.sample(root))),
        names);
    for (String name : names) {
      assertTrue(text.contains("`" + name + "`"), "docs/json-format.md does not document " + name);
    }
  }

  private static void collectNames(JsonNode node, Set<String> out) {
    if (node.isObject()) {
      Iterator<String> it = node.fieldNames();
      while (it.hasNext()) {
        String name = it.next();
        out.add(name);
        collectNames(node.get(name), out);
      }
    } else if (node.isArray()) {
      node.forEach(n -> collectNames(n, out));
    }
  }
}
