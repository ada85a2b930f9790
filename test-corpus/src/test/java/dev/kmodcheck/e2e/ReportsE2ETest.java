package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmodcheck.report.GitlabReportTest;
import dev.kmodcheck.report.SarifValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CI outputs: -f github annotations, several reports from one run, the SARIF category. */
class ReportsE2ETest {

  private static final Path EXAMPLE = Cli.CORPUS.resolve("examples/ringbuf");

  @TempDir Path tmp;

  @Test
  void githubAnnotationsCarryLocationTitleAndEscapedEvidence() {
    Cli.Run text = Cli.check(Cli.CORPUS, List.of(), EXAMPLE).expectCode(1);
    Cli.Run gh = Cli.check(Cli.CORPUS, List.of("-f", "github"), EXAMPLE).expectCode(1);
    long findings =
        text.outLines().stream()
            .filter(l -> l.contains(": error: ") || l.contains(": warning: "))
            .count();
    assertEquals(findings, gh.outLines().size(), gh.out());
    for (String line : gh.outLines()) {
      assertTrue(
          line.matches(
              "::(error|warning|notice) file=examples/ringbuf/[a-z_]+\\.c,line=\\d+,col=\\d+,"
                  + "endLine=\\d+,endColumn=\\d+,title=kmodcheck [a-z-]+::[^\\r\\n]+"),
          line);
    }
    // The example's first finding has a trace: its notes follow the message, LF escaped.
    String first = gh.outLines().get(0);
    assertTrue(
        first.contains("%0Aexamples/ringbuf/ringbuf_irq.c:45:9: ringbuf_irq is registered"), first);
  }

  @Test
  void gitlabCodeQualityAndMarkdownSummaryOfTheExample() throws Exception {
    Path gitlab = tmp.resolve("gl-code-quality-report.json");
    Cli.Run r =
        Cli.check(
                Cli.CORPUS,
                List.of(
                    "--report",
                    "gitlab=" + gitlab,
                    "--report",
                    "markdown=-",
                    "--link-base",
                    "https://example.org/r/blob/abc"),
                EXAMPLE)
            .expectCode(1);
    JsonNode findings =
        Cli.check(Cli.CORPUS, List.of("-f", "json"), EXAMPLE).json().path("findings");
    JsonNode entries = GitlabReportTest.assertGitlabCodeQuality(Files.readString(gitlab));
    assertEquals(findings.size(), entries.size());
    long rows =
        r.outLines().stream().filter(l -> l.matches("\\| (error|warning|note) \\|.*")).count();
    assertEquals(findings.size(), rows, r.out());
    assertTrue(
        r.out().contains("(https://example.org/r/blob/abc/examples/ringbuf/ringbuf_irq.c#L45)"),
        r.out());
  }

  @Test
  void severalReportsFromOneRun() throws Exception {
    Path sarif = tmp.resolve("out.sarif");
    Path json = tmp.resolve("out.json");
    Cli.Run r =
        Cli.check(
                Cli.CORPUS,
                List.of(
                    "--report",
                    "sarif=" + sarif,
                    "--report",
                    "json=" + json,
                    "--report",
                    "text=-",
                    "--sarif-category",
                    "kmodcheck/x86_64"),
                EXAMPLE)
            .expectCode(1);
    Cli.Run text = Cli.check(Cli.CORPUS, List.of(), EXAMPLE);
    assertEquals(text.out(), r.out(), "text=- is the plain text report");
    String log = Files.readString(sarif);
    SarifValidator.assertValid(log);
    SarifValidator.assertGitHubCompatible(log);
    JsonNode run = Cli.parse(log).path("runs").path(0);
    assertEquals("kmodcheck/x86_64/", run.path("automationDetails").path("id").asText());
    assertEquals(
        run.path("results").size(), Cli.parse(Files.readString(json)).path("findings").size());
  }

  @Test
  void badReportRequestsAreRefusedBeforeTheScan() {
    Cli.Run noEq = Cli.check(Cli.CORPUS, List.of("--report", "sarif"), EXAMPLE).expectCode(2);
    assertTrue(noEq.err().contains("--report wants FORMAT=PATH"), noEq.err());
    Cli.Run unknown =
        Cli.check(Cli.CORPUS, List.of("--report", "xml=a.xml"), EXAMPLE).expectCode(2);
    assertTrue(unknown.err().contains("unknown format 'xml'"), unknown.err());
    Cli.Run twice =
        Cli.check(Cli.CORPUS, List.of("--report", "text=-", "-f", "json"), EXAMPLE).expectCode(2);
    assertTrue(twice.err().contains("only one report can go to standard output"), twice.err());
    Cli.Run noDir =
        Cli.check(Cli.CORPUS, List.of("--report", "sarif=" + tmp.resolve("no/x.sarif")), EXAMPLE)
            .expectCode(2);
    assertTrue(noDir.err().contains("does not exist"), noDir.err());
  }
}
