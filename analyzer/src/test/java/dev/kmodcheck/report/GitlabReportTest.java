package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.kmodcheck.engine.ScanResult;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Also a test helper, shared through the analyzer test-jar. */
public class GitlabReportTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path root;

  /** Validates a report against GitLab's documented field list; returns its entries. */
  public static JsonNode assertGitlabCodeQuality(String report) throws Exception {
    JsonNode tree = MAPPER.readTree(report);
    try (InputStream in =
        GitlabReportTest.class.getResourceAsStream("/schema/gitlab-codequality.schema.json")) {
      Set<ValidationMessage> errors =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
              .getSchema(in)
              .validate(tree);
      assertTrue(errors.isEmpty(), errors::toString);
    }
    Set<String> prints = new HashSet<>();
    for (JsonNode e : tree) {
      assertTrue(prints.add(e.path("fingerprint").asText()), "fingerprints are unique: " + e);
    }
    return tree;
  }

  @Test
  void oneEntryPerFindingWithGitlabsFields() throws Exception {
    ScanResult result = SampleResults.sample(root);
    JsonNode entries = assertGitlabCodeQuality(SarifReportTest.render(new GitlabReport(), result));
    assertEquals(result.findings().size(), entries.size());
    JsonNode traced = null;
    for (JsonNode e : entries)
      if (e.path("check_name").asText().equals("sleep-in-atomic")) traced = e;
    assertEquals("major", traced.path("severity").asText());
    assertEquals("drivers/foo/foo.c", traced.at("/location/path").asText());
    assertEquals(6, traced.at("/location/lines/begin").asInt());
    assertEquals(
        "GFP_KERNEL allocation may sleep in atomic context\n"
            + "drivers/foo/foo.c:5:2: spin_lock() starts atomic context",
        traced.path("description").asText());
    // The same line-number-independent fingerprint as JSON and SARIF, so GitLab's comparison
    // with the target branch survives moved code.
    JsonNode json = MAPPER.readTree(SarifReportTest.render(new JsonReport(), result));
    Set<String> jsonPrints = new HashSet<>();
    json.path("findings").forEach(f -> jsonPrints.add(f.path("fingerprint").asText()));
    Set<String> gitlabPrints = new HashSet<>();
    entries.forEach(e -> gitlabPrints.add(e.path("fingerprint").asText()));
    assertEquals(jsonPrints, gitlabPrints);
  }

  @Test
  void noFindingsIsAnEmptyArray() throws Exception {
    assertEquals(
        0,
        assertGitlabCodeQuality(
                SarifReportTest.render(new GitlabReport(), SampleResults.empty(root)))
            .size());
  }
}
