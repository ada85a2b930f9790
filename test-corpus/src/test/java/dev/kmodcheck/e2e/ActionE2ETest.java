package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kmodcheck.report.SarifValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composite GitHub Action (action.yml): its metadata, and its check step run as the runner
 * would.
 */
class ActionE2ETest {

  @TempDir Path tmp;

  private static JsonNode action() throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(Cli.REPO.resolve("action.yml").toFile());
  }

  private static JsonNode step(JsonNode action, String name) {
    for (JsonNode s : action.at("/runs/steps")) if (s.path("name").asText().equals(name)) return s;
    throw new AssertionError("no step " + name);
  }

  @Test
  void metadataIsACompositeActionUsingOnlyDeclaredInputs() throws Exception {
    JsonNode a = action();
    assertEquals("composite", a.at("/runs/using").asText());
    assertFalse(a.path("description").asText().isEmpty());
    Set<String> declared = new HashSet<>();
    a.path("inputs").fieldNames().forEachRemaining(declared::add);
    Matcher m =
        Pattern.compile("inputs\\.([A-Za-z0-9_-]+)")
            .matcher(Files.readString(Cli.REPO.resolve("action.yml")));
    while (m.find()) assertTrue(declared.contains(m.group(1)), "undeclared input " + m.group(1));
    Set<String> uses = new HashSet<>();
    for (JsonNode s : a.at("/runs/steps")) {
      if (s.has("run")) {
        assertTrue(s.has("shell"), "a composite run step needs a shell: " + s);
        assertFalse(
            s.path("run").asText().contains("${{"), "inputs reach scripts as variables: " + s);
      }
      if (s.has("uses")) uses.add(s.path("uses").asText());
    }
    assertTrue(uses.contains("actions/setup-java@v4"), uses.toString());
    assertTrue(uses.contains("github/codeql-action/upload-sarif@v4"), uses.toString());
    assertTrue(step(a, "Upload SARIF").path("if").asText().contains("head.repo.full_name"));
  }

  @Test
  void theCheckStepAnnotatesWritesSarifAndTheSummaryAndKeepsTheExitCode() throws Exception {
    Path jar = Cli.REPO.resolve("rules/target/kmodcheck.jar");
    if (!Files.isRegularFile(jar))
      ExternalTools.unavailable("kmodcheck.jar is not built (mvn package)");
    JsonNode check = step(action(), "Check");
    Path script = Files.writeString(tmp.resolve("check.sh"), check.path("run").asText());
    Path output = tmp.resolve("output");
    Path summary = tmp.resolve("summary.md");
    Path sarif = tmp.resolve("kmodcheck.sarif");
    ExternalTools.Result r =
        ExternalTools.run(
            List.of(
                "env",
                "GITHUB_ACTION_PATH=" + Cli.REPO,
                "GITHUB_OUTPUT=" + output,
                "GITHUB_STEP_SUMMARY=" + summary,
                "GITHUB_SERVER_URL=https://github.com",
                "GITHUB_REPOSITORY=o/r",
                "GITHUB_SHA=abc",
                "KMODCHECK_PATHS=examples/ringbuf",
                "KMODCHECK_ARGS=--fail-on warning",
                "KMODCHECK_SARIF=" + sarif,
                "KMODCHECK_CATEGORY=kmodcheck",
                "PATH=" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin",
                "bash",
                "-e",
                script.toString()),
            Cli.CORPUS,
            300);
    assertEquals(0, r.code(), r.out());
    assertEquals("exit-code=1\n", Files.readString(output));
    assertTrue(r.out().contains("::error file=examples/ringbuf/"), r.out());
    String log = Files.readString(sarif);
    SarifValidator.assertValid(log);
    SarifValidator.assertGitHubCompatible(log);
    assertTrue(Files.readString(summary).startsWith("### kmodcheck: "), Files.readString(summary));
    assertTrue(Files.readString(summary).contains("(https://github.com/o/r/blob/abc/examples/"));
  }
}
