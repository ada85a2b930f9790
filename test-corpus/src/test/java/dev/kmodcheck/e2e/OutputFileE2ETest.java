package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.report.SarifValidator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -o FILE}: the report goes to the file, atomically, and failures leave it alone. */
class OutputFileE2ETest {

  private static final Path EXAMPLE = Cli.CORPUS.resolve("examples/ringbuf");

  @TempDir Path tmp;

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertOneLineError(Cli.Run r, String mustName) {
    r.expectCode(2);
    assertEquals(1, r.errLines().size(), () -> "one line on stderr: " + r.err());
    assertTrue(r.err().contains(mustName), () -> "stderr should name " + mustName + ": " + r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void reportLandsInTheFileAndStdoutStaysEmpty() throws Exception {
    Path report = tmp.resolve("ringbuf.sarif");
    Cli.Run r =
        Cli.check(Cli.CORPUS, List.of("-f", "sarif", "-o", report.toString()), EXAMPLE)
            .expectCode(1);
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("kmodcheck: "), r.err());
    String written = Files.readString(report, StandardCharsets.UTF_8);
    SarifValidator.assertValid(written);
    String toStdout = Cli.check(Cli.CORPUS, List.of("-f", "sarif"), EXAMPLE).out();
    assertEquals(toStdout, written, "the file holds exactly what stdout would have");
    assertEquals(List.of("ringbuf.sarif"), names(tmp), "no temporary file is left behind");
  }

  @Test
  void anExistingFileIsReplaced() throws Exception {
    Path report = tmp.resolve("report.txt");
    Files.writeString(report, "stale report from an earlier run\n".repeat(1000));
    Cli.check(Cli.CORPUS, List.of("-o", report.toString()), EXAMPLE).expectCode(1);
    String written = Files.readString(report, StandardCharsets.UTF_8);
    assertFalse(written.contains("stale"), "old content must be gone, not appended to or kept");
    assertEquals(Cli.check(Cli.CORPUS, List.of(), EXAMPLE).out(), written);
    assertEquals(List.of("report.txt"), names(tmp));
  }

  @Test
  void aMissingDirectoryIsOneLineAndExitTwo() throws Exception {
    Path report = tmp.resolve("no-such-dir/report.json");
    Cli.Run r = Cli.check(Cli.CORPUS, List.of("-f", "json", "-o", report.toString()), EXAMPLE);
    assertOneLineError(r, report.toString());
    assertEquals(List.of(), names(tmp), "nothing is created");
  }

  @Test
  void aDirectoryAsOutputIsOneLineAndExitTwo() throws Exception {
    Cli.Run r = Cli.check(Cli.CORPUS, List.of("-o", tmp.toString()), EXAMPLE);
    assertOneLineError(r, tmp.toString());
  }

  @Test
  void thePreviousReportSurvivesAFailedRun() throws Exception {
    Path report = tmp.resolve("report.json");
    Cli.check(Cli.CORPUS, List.of("-f", "json", "-o", report.toString()), EXAMPLE).expectCode(1);
    byte[] before = Files.readAllBytes(report);

    Path missing = tmp.resolve("missing.c");
    assertOneLineError(
        Cli.check(Cli.CORPUS, List.of("-f", "json", "-o", report.toString()), missing),
        "missing.c");
    assertOneLineError(
        Cli.check(
            Cli.CORPUS,
            List.of("-f", "json", "--target", "sparc", "-o", report.toString()),
            EXAMPLE),
        "sparc");

    assertEquals(
        new String(before, StandardCharsets.UTF_8),
        Files.readString(report, StandardCharsets.UTF_8));
    assertEquals(List.of("report.json"), names(tmp), "no temporary file is left behind");
  }
}
