package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmodcheck.report.SarifValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file the parser chokes on is reported as a problem of the run, not as a failed run. */
class ParseProblemsE2ETest {

  @TempDir Path tmp;
  private Path broken;

  @BeforeEach
  void writeSources() {
    broken =
        CFiles.write(
            tmp,
            "broken.c",
            "#include <linux/slab.h>",
            "",
            "static int mydev_probe(struct device *dev)",
            "{",
            "\tint ret = ;",
            "\treturn ret;",
            "}");
    CFiles.write(
        tmp,
        "fine.c",
        "#include <linux/slab.h>",
        "",
        "void *fine_alloc(void)",
        "{",
        "\treturn kmalloc(64, GFP_KERNEL);",
        "}");
  }

  @Test
  void sarifHasANotificationNamingTheFileAndStaysSuccessful() {
    Cli.Run r = Cli.check(tmp, List.of("-f", "sarif"), tmp).expectCode(0);
    SarifValidator.assertValid(r.out());
    SarifValidator.assertGitHubCompatible(r.out());
    JsonNode invocation = r.json().path("runs").path(0).path("invocations").path(0);
    assertTrue(invocation.path("executionSuccessful").asBoolean(false), invocation::toString);
    List<String> uris = new ArrayList<>();
    for (JsonNode n : invocation.path("toolExecutionNotifications")) {
      assertEquals("parse-problems", n.path("descriptor").path("id").asText(), n::toString);
      JsonNode loc = n.path("locations").path(0).path("physicalLocation");
      uris.add(loc.path("artifactLocation").path("uri").asText());
      assertEquals(
          CFiles.lineOf(broken, "ret = ;"),
          loc.path("region").path("startLine").asInt(),
          n::toString);
    }
    assertEquals(List.of("broken.c"), uris, invocation::toString);
  }

  @Test
  void textSummaryMentionsParseProblemsAndVerboseListsThem() {
    Cli.Run quiet = Cli.check(tmp, List.of(), tmp).expectCode(0);
    assertEquals("", quiet.out(), "without -v parse problems are only counted");
    assertEquals(1, quiet.errLines().size(), quiet.err());
    assertTrue(
        quiet.err().contains("parse problem") && quiet.err().contains(" in 1 file"), quiet.err());

    Cli.Run verbose = Cli.check(tmp, List.of("-v"), tmp).expectCode(0);
    assertEquals(1, verbose.outLines().size(), verbose.out());
    assertTrue(
        verbose.out().startsWith("broken.c:" + CFiles.lineOf(broken, "ret = ;") + ":")
            && verbose.out().strip().endsWith("[parse-problems]"),
        verbose.out());
  }

  @Test
  void jsonNotificationHasTheDocumentedFields() throws Exception {
    JsonNode json = Cli.check(tmp, List.of("-f", "json"), tmp).expectCode(0).json();
    JsonNode notes = json.path("notifications");
    assertEquals(1, notes.size(), notes::toString);
    List<String> fields = new ArrayList<>();
    notes.get(0).fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("level", "kind", "message", "location"), fields);
    assertEquals("broken.c", notes.get(0).path("location").path("file").asText());
    assertTrue(json.path("stats").path("parseProblems").asInt() >= 1, json::toString);
    assertEquals(1, json.path("stats").path("filesWithProblems").asInt());
    assertEquals(2, json.path("stats").path("files").asInt());
  }
}
