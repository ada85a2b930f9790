package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.ir.SrcRange;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class SarifReportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path root;

  static String render(ReportWriter writer, ScanResult result) throws IOException {
    StringWriter out = new StringWriter();
    writer.write(result, out);
    return out.toString();
  }

  @Test
  void sampleIsValidSarifAndFitForGitHub() throws IOException {
    String sarif = render(new SarifReport(), SampleResults.sample(root));
    SarifValidator.assertValid(sarif);
    SarifValidator.assertGitHubCompatible(sarif);
  }

  @Test
  void emptyResultIsValid() throws IOException {
    String sarif = render(new SarifReport("kmodcheck/x86_64"), SampleResults.empty(root));
    SarifValidator.assertValid(sarif);
    SarifValidator.assertGitHubCompatible(sarif);
    JsonNode run = MAPPER.readTree(sarif).path("runs").get(0);
    assertEquals(0, run.path("results").size());
    assertEquals("kmodcheck/x86_64/", run.path("automationDetails").path("id").asText());
  }

  @Test
  void validatorRejectsBrokenSarif() throws IOException {
    ObjectNode log =
        (ObjectNode) MAPPER.readTree(render(new SarifReport(), SampleResults.sample(root)));
    ObjectNode result = (ObjectNode) log.path("runs").get(0).path("results").get(0);
    result.put("level", "fatal"); // not a SARIF level
    ((ObjectNode) log.path("runs").get(0)).remove("tool"); // required
    String broken = MAPPER.writeValueAsString(log);

    List<String> errors = SarifValidator.schemaErrors(broken);
    assertTrue(errors.stream().anyMatch(e -> e.contains("tool")), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> e.contains("level")), errors.toString());
    AssertionFailedError failure =
        assertThrows(AssertionFailedError.class, () -> SarifValidator.assertValid(broken));
    assertTrue(failure.getMessage().contains("tool"), failure.getMessage());
  }

  @Test
  void validatorRejectsBadRegionAndUnknownProperty() throws IOException {
    ObjectNode log =
        (ObjectNode) MAPPER.readTree(render(new SarifReport(), SampleResults.sample(root)));
    ObjectNode region =
        (ObjectNode) log.at("/runs/0/results/0/locations/0/physicalLocation/region");
    region.put("startColumn", 0); // columns are 1-based
    log.put("unexpected", true); // sarifLog allows no additional properties
    List<String> errors = SarifValidator.schemaErrors(MAPPER.writeValueAsString(log));
    assertEquals(2, errors.size(), errors.toString());
  }

  @Test
  void gitHubCheckRejectsWhatGitHubRejects() throws IOException {
    ObjectNode log =
        (ObjectNode) MAPPER.readTree(render(new SarifReport(), SampleResults.sample(root)));
    ObjectNode result = (ObjectNode) log.at("/runs/0/results/0");
    result.remove("partialFingerprints");
    result.put("ruleIndex", 2);
    ((ObjectNode) log.at("/runs/0/results/1/locations/0/physicalLocation/artifactLocation"))
        .put("uri", "file:///home/me/foo.c");
    ArrayNode tags = (ArrayNode) log.at("/runs/0/tool/driver/rules/0/properties/tags");
    for (int i = 0; i < 11; i++) tags.add("t" + i);
    String broken = MAPPER.writeValueAsString(log);
    SarifValidator.assertValid(broken); // all of this is legal SARIF ...
    List<String> problems = SarifValidator.gitHubProblems(broken); // ... but not for GitHub
    assertEquals(4, problems.size(), problems.toString());
    assertThrows(AssertionFailedError.class, () -> SarifValidator.assertGitHubCompatible(broken));
  }

  @Test
  void resultsPointToTheirRulesAndCarryTraces() throws IOException {
    ScanResult result = SampleResults.sample(root);
    JsonNode run = MAPPER.readTree(render(new SarifReport(), result)).path("runs").get(0);
    JsonNode rules = run.at("/tool/driver/rules");
    assertEquals(result.rules().size(), rules.size());
    for (JsonNode res : run.path("results")) {
      assertEquals(
          res.path("ruleId").asText(),
          rules.get(res.path("ruleIndex").asInt()).path("id").asText());
    }
    JsonNode traced = null;
    for (JsonNode res : run.path("results")) {
      if (res.has("codeFlows")) traced = res;
    }
    assertEquals("sleep-in-atomic", traced.path("ruleId").asText());
    JsonNode steps = traced.at("/codeFlows/0/threadFlows/0/locations");
    assertEquals(2, steps.size()); // one trace step, then the finding itself
    assertEquals(5, steps.at("/0/location/physicalLocation/region/startLine").asInt());
    assertEquals(
        traced.at("/locations/0/physicalLocation"), steps.at("/1/location/physicalLocation"));
    assertEquals(1, traced.path("relatedLocations").size());
    assertEquals(1, traced.at("/relatedLocations/0/id").asInt());
    assertEquals("foo_probe", traced.at("/locations/0/logicalLocations/0/name").asText());
  }

  @Test
  void rulesCarryHelpAndMetadata() throws IOException {
    ScanResult result = SampleResults.sample(root);
    JsonNode rule =
        MAPPER.readTree(render(new SarifReport(), result)).at("/runs/0/tool/driver/rules/0");
    RuleDescriptor d = result.rules().get(0);
    assertEquals(d.id(), rule.path("id").asText());
    assertEquals(d.name(), rule.path("name").asText());
    assertEquals(d.summary(), rule.at("/shortDescription/text").asText());
    assertEquals("Explains kmalloc-size-limit in full.", rule.at("/fullDescription/text").asText());
    assertEquals(d.helpMarkdown(), rule.at("/help/markdown").asText());
    assertFalse(rule.at("/help/text").asText().contains("```"));
    assertEquals("error", rule.at("/defaultConfiguration/level").asText());
    assertEquals("high", rule.at("/properties/precision").asText());
  }

  @Test
  void helpLinksAreAbsoluteToTheRulePage() {
    String doc = SarifReport.ruleDocUri("sleep-in-atomic");
    assertTrue(doc.matches("https://\\S+/docs/rules/sleep-in-atomic\\.md"), doc);
    String base = doc.substring(0, doc.lastIndexOf('/') + 1);
    assertEquals(
        "See [summaries]("
            + base.replace("/rules/", "/")
            + "kernel-summaries.md), [dma]("
            + base
            + "vmalloc-dma.md), [fix]("
            + doc
            + "#fix) and [lkml](https://lkml.org/x).\n"
            + "[ref]: "
            + base
            + "stack-dma.md",
        SarifReport.absoluteLinks(
            "See [summaries](../kernel-summaries.md), [dma](vmalloc-dma.md), [fix](#fix) and"
                + " [lkml](https://lkml.org/x).\n[ref]: stack-dma.md",
            doc));
  }

  @Test
  void evidenceStepsAreLinkedFromTheMessage() throws IOException {
    JsonNode run =
        MAPPER.readTree(render(new SarifReport(), SampleResults.sample(root))).path("runs").get(0);
    JsonNode traced = null;
    for (JsonNode res : run.path("results")) if (res.has("relatedLocations")) traced = res;
    assertEquals(
        "GFP_KERNEL allocation may sleep in atomic context. Evidence: [spin_lock() starts atomic"
            + " context](1).",
        traced.at("/message/text").asText());
    JsonNode rule = run.at("/tool/driver/rules/0");
    assertEquals("error", rule.at("/properties/problem.severity").asText());
  }

  @Test
  void uriIsRelativeAndPercentEncodedAndRootIsAFileUri() throws IOException {
    JsonNode run =
        MAPPER.readTree(render(new SarifReport(), SampleResults.sample(root))).path("runs").get(0);
    List<String> uris = new ArrayList<>();
    for (JsonNode res : run.path("results")) {
      uris.add(res.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
    }
    assertTrue(uris.contains("drivers/odd%20dir/%C3%A4%231.c"), uris.toString());
    String base = run.at("/originalUriBaseIds/%SRCROOT%/uri").asText();
    String expected = root.toUri().toASCIIString();
    assertEquals(expected.endsWith("/") ? expected : expected + "/", base);
  }

  @Test
  void relativeUriEncoding() {
    assertEquals("a/b.c", SarifUris.relative("a/b.c"));
    assertEquals("a/b.c", SarifUris.relative("a\\b.c"));
    assertEquals("c%3Afoo.c", SarifUris.relative("c:foo.c"));
    assertEquals("x%25y%3Fz.c", SarifUris.relative("x%y?z.c"));
  }

  @Test
  void sameResultGivesSameBytes() throws IOException {
    String first = render(new SarifReport(), SampleResults.sample(root));
    String second = render(new SarifReport(), SampleResults.sample(root));
    assertEquals(first, second);
    assertTrue(first.endsWith("}\n"));
    assertFalse(first.contains("\r"));
    assertFalse(first.contains("TimeUtc"), "timestamps would break determinism");
  }

  @Test
  void unsortedInputGivesSortedOutput() throws IOException {
    ScanResult sorted = SampleResults.sample(root);
    List<Finding> reversed = new ArrayList<>(sorted.findings());
    reversed.sort(Finding.ORDER.reversed());
    List<RuleDescriptor> rules = new ArrayList<>(sorted.rules());
    Collections.reverse(rules);
    ScanResult shuffled =
        new ScanResult(
            sorted.toolVersion(),
            sorted.target(),
            sorted.sourceRoot(),
            rules,
            reversed,
            sorted.notifications(),
            sorted.stats());
    assertEquals(render(new SarifReport(), sorted), render(new SarifReport(), shuffled));
  }

  @Test
  void findingWithoutColumnsOrLineStaysValid() throws IOException {
    ScanResult base = SampleResults.sample(root);
    List<Finding> findings =
        List.of(
            new Finding(
                "kmalloc-size-limit",
                Severity.ERROR,
                "no column",
                new SrcRange("drivers/foo/foo.c", 6, 0, 0, 0),
                null,
                List.of()),
            new Finding(
                "kmalloc-size-limit",
                Severity.ERROR,
                "no line",
                new SrcRange("drivers/foo/foo.c", 0, 0, 0, 0),
                null,
                List.of()));
    ScanResult odd =
        new ScanResult(
            base.toolVersion(),
            base.target(),
            base.sourceRoot(),
            base.rules(),
            findings,
            List.of(),
            base.stats());
    String sarif = render(new SarifReport(), odd);
    SarifValidator.assertValid(sarif);
    // A finding without a line cannot be shown by GitHub; the check must say so.
    assertEquals(
        1,
        SarifValidator.gitHubProblems(sarif).size(),
        SarifValidator.gitHubProblems(sarif).toString());
  }

  @Test
  void notificationsBecomeToolExecutionNotifications() throws IOException {
    JsonNode inv =
        MAPPER
            .readTree(render(new SarifReport(), SampleResults.sample(root)))
            .at("/runs/0/invocations/0");
    assertTrue(inv.path("executionSuccessful").asBoolean());
    JsonNode notes = inv.path("toolExecutionNotifications");
    assertEquals(2, notes.size());
    assertEquals("file-skipped", notes.at("/0/descriptor/id").asText()); // no location sorts first
    assertEquals("parse-problems", notes.at("/1/descriptor/id").asText());
    assertEquals(
        "drivers/foo/foo.c",
        notes.at("/1/locations/0/physicalLocation/artifactLocation/uri").asText());
  }
}
