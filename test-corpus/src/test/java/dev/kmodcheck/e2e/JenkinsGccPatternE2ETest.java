package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The text report read the way Jenkins' warnings-ng GCC parser reads it (docs/ci.md, Jenkins): each
 * error and warning line is one issue with the right file, line, column and severity; what the
 * parser drops (notes, evidence) is what the docs say it drops.
 */
class JenkinsGccPatternE2ETest {

  /**
   * The pattern of warnings-ng's GCC 4 parser (jenkinsci/analysis-model, Gcc4CompilerParser and its
   * Ant-task prefix, at commit 0c53a83b491b1dc32e57ff73a3f5751175448c7c).
   */
  private static final Pattern GCC4 =
      Pattern.compile("^(?:.*\\[.*\\])?\\s*(.+?):(\\d+):(?:(\\d+):)? (warning|.*error): (.*)$");

  @Test
  void everyErrorAndWarningLineIsOneIssueAtItsPlace() {
    List<String> text =
        Cli.check(Cli.CORPUS, List.of("--fail-on", "none"), Cli.corpusInputs()).outLines();
    JsonNode findings =
        Cli.check(Cli.CORPUS, List.of("-f", "json"), Cli.corpusInputs()).json().path("findings");
    List<String> expected = new ArrayList<>();
    for (JsonNode f : findings) {
      if (f.path("severity").asText().equals("note")) continue;
      expected.add(
          f.path("file").asText()
              + ":"
              + f.path("line").asInt()
              + ":"
              + f.path("column").asInt()
              + " "
              + f.path("severity").asText()
              + " ["
              + f.path("ruleId").asText()
              + "]");
    }
    List<String> parsed = new ArrayList<>();
    int notes = 0;
    for (String line : text) {
      Matcher m = GCC4.matcher(line);
      if (!m.matches()) {
        assertTrue(line.contains(": note: "), "a line the parser skips is a note: " + line);
        notes++;
        continue;
      }
      assertTrue(m.group(5).endsWith("]"), line);
      String rule = m.group(5).substring(m.group(5).lastIndexOf('['));
      parsed.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3) + " " + m.group(4) + " " + rule);
    }
    assertFalse(expected.isEmpty());
    assertEquals(expected, parsed);
    assertTrue(notes > 0, "the corpus has evidence lines, which the GCC parser drops");
  }

  @Test
  void theJenkinsRecipeUsesTheSarifParser() throws Exception {
    String jenkinsfile = Files.readString(Cli.REPO.resolve("docs/examples/Jenkinsfile"));
    assertTrue(jenkinsfile.contains("sarif(pattern: 'kmodcheck.sarif'"), jenkinsfile);
    assertTrue(jenkinsfile.contains("--report sarif=kmodcheck.sarif"), jenkinsfile);
    assertTrue(Files.readString(Cli.REPO.resolve("docs/ci.md")).contains("(examples/Jenkinsfile)"));
  }
}
