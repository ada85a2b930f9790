package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmodcheck.check.RuleRegistry;
import dev.kmodcheck.e2e.CorpusMarkers.Marker;
import dev.kmodcheck.report.SarifReport;
import dev.kmodcheck.report.SarifValidator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code check -f sarif} over the whole corpus, held to the schema, GitHub and the corpus. */
class SarifE2ETest {

  private static Cli.Run whole;
  private static JsonNode run;

  @BeforeAll
  static void scanWholeCorpus() {
    whole = Cli.check(Cli.CORPUS, List.of("-f", "sarif"), Cli.corpusInputs()).expectCode(1);
    run = whole.json().path("runs").path(0);
  }

  @Test
  void isValidSarifThatGitHubAccepts() {
    SarifValidator.assertValid(whole.out());
    SarifValidator.assertGitHubCompatible(whole.out());
    assertTrue(run.path("results").size() > 0, "the corpus has findings");
  }

  @Test
  void rulesCarryTheirDocumentationAsHelpMarkdown() throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode rule : run.path("tool").path("driver").path("rules")) {
      String id = rule.path("id").asText();
      ids.add(id);
      Path doc = Cli.REPO.resolve("docs/rules/" + id + ".md");
      assertTrue(Files.isRegularFile(doc), doc + " is missing");
      // The page's text, its relative links made absolute (they are dead in GitHub's alert view).
      assertEquals(
          SarifReport.absoluteLinks(
              Files.readString(doc, StandardCharsets.UTF_8), rule.path("helpUri").asText()),
          rule.path("help").path("markdown").asText(null),
          id + ": help.markdown differs from " + doc);
      assertTrue(rule.path("helpUri").asText().endsWith("/docs/rules/" + id + ".md"));
    }
    List<String> registered =
        RuleRegistry.load().stream().map(r -> r.info().id()).sorted().toList();
    assertEquals(registered, ids.stream().sorted().toList(), "rules[] vs. the registered rules");
  }

  @Test
  void resultUrisAreRelativeAndResolveUnderTheSourceRoot() {
    JsonNode base = run.path("originalUriBaseIds").path("%SRCROOT%").path("uri");
    assertEquals(Cli.CORPUS, Path.of(URI.create(base.asText())), "%SRCROOT% is the source root");
    for (JsonNode result : run.path("results")) {
      JsonNode artifact =
          result.path("locations").path(0).path("physicalLocation").path("artifactLocation");
      String uri = artifact.path("uri").asText();
      assertEquals("%SRCROOT%", artifact.path("uriBaseId").asText(), uri);
      URI u = URI.create(uri);
      assertFalse(u.isAbsolute() || uri.startsWith("/") || uri.contains(".."), uri);
      Path file = Cli.CORPUS.resolve(u.getPath()).normalize();
      assertTrue(file.startsWith(Cli.CORPUS) && Files.isRegularFile(file), uri + " -> " + file);
    }
  }

  /**
   * Each result sits on a line whose {@code // expect:} names its rule, and every marker has its
   * result. Files whose header selects another target are checked in a scan with that target.
   */
  @Test
  void resultsMatchTheCorpusMarkers() {
    Map<List<String>, List<CorpusMarkers>> byTarget = new LinkedHashMap<>();
    for (CorpusMarkers f : CorpusMarkers.readAll(Cli.CORPUS, Cli.corpusInputs())) {
      byTarget
          .computeIfAbsent(
              f.defaultTarget() ? List.of() : f.targetOptions(), k -> new ArrayList<>())
          .add(f);
    }
    assertTrue(byTarget.containsKey(List.of()), "some corpus files use the default target");
    for (Map.Entry<List<String>, List<CorpusMarkers>> group : byTarget.entrySet()) {
      JsonNode results;
      if (group.getKey().isEmpty()) {
        results = run.path("results");
      } else {
        List<String> options = new ArrayList<>(List.of("-f", "sarif"));
        options.addAll(group.getKey());
        Path[] files =
            group.getValue().stream()
                .map(f -> Cli.CORPUS.resolve(f.relPath()))
                .toArray(Path[]::new);
        results = Cli.check(Cli.CORPUS, options, files).json().path("runs").path(0).path("results");
      }
      List<Marker> expected = new ArrayList<>();
      List<String> files = new ArrayList<>();
      for (CorpusMarkers f : group.getValue()) {
        expected.addAll(f.expected());
        files.add(f.relPath());
      }
      List<Marker> actual = new ArrayList<>();
      for (JsonNode result : results) {
        JsonNode loc = result.path("locations").path(0).path("physicalLocation");
        String uri = loc.path("artifactLocation").path("uri").asText();
        if (!files.contains(uri)) continue; // checked in its own target's group
        // A conditional atomic-context finding is marked "rule-id(conditional)" in the corpus.
        boolean conditional =
            result.path("properties").path("confidence").asText().equals("conditional");
        actual.add(
            new Marker(
                uri,
                loc.path("region").path("startLine").asInt(),
                result.path("ruleId").asText() + (conditional ? "(conditional)" : "")));
      }
      expected.sort(null);
      actual.sort(null);
      List<Marker> unexpected = new ArrayList<>(actual);
      expected.forEach(unexpected::remove);
      List<Marker> missing = new ArrayList<>(expected);
      actual.forEach(missing::remove);
      assertTrue(
          unexpected.isEmpty() && missing.isEmpty(),
          "target options "
              + group.getKey()
              + ": results without a marker "
              + unexpected
              + ", markers without a result "
              + missing);
      assertFalse(expected.isEmpty(), "group " + group.getKey() + " has no markers");
    }
  }
}
