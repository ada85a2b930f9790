package dev.kmodcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets one clear line on stderr and exit code 2, never a stack trace. */
class CliBadInputTest {

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), List.of());
    return new Run(code, out.toString(), err.toString());
  }

  static void assertUsageError(Run r, String mustMention) {
    assertEquals(2, r.code(), () -> "exit code; stderr was: " + r.err());
    assertTrue(
        r.err().contains(mustMention), () -> "stderr should name " + mustMention + ": " + r.err());
    assertFalse(r.err().contains("\tat "), () -> "no stack trace: " + r.err());
    assertTrue(r.err().lines().count() <= 2, () -> "one message line (+ a hint): " + r.err());
  }

  private Path aCFile() throws Exception {
    return Files.writeString(tmp.resolve("a.c"), "int x;\n");
  }

  @Test
  void noCommand() {
    assertUsageError(run(), "missing command");
  }

  @Test
  void missingPath() {
    assertUsageError(run("check", tmp.resolve("nope.c").toString()), "nope.c");
  }

  @Test
  void directoryWithoutCFiles() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    Files.writeString(empty.resolve("README"), "no C here");
    assertUsageError(run("check", empty.toString()), "no .c files");
  }

  @Test
  void unknownTarget() throws Exception {
    Path c = aCFile();
    assertUsageError(run("check", "--target", "sparc", c.toString()), "unknown target 'sparc'");
  }

  @Test
  void unknownKernelSummaries() throws Exception {
    Path c = Files.writeString(tmp.resolve("a.c"), "int x;\n");
    assertUsageError(
        run("check", "--kernel-summaries", "5.4", c.toString()),
        "--kernel-summaries: '5.4' is neither none, a shipped version");
    Path bad = Files.writeString(tmp.resolve("s.tsv"), "F\tfoo\n");
    assertUsageError(
        run("check", "--kernel-summaries", bad.toString(), c.toString()),
        "s.tsv:1: not a kmodcheck kernel-summaries file");
  }

  @Test
  void summarizeNeedsATreeDirectory() {
    assertUsageError(
        run("summarize", tmp.resolve("none").toString(), "-o", tmp.resolve("o.tsv").toString()),
        "not a directory");
  }

  @Test
  void unknownFormat() throws Exception {
    Path c = aCFile();
    assertUsageError(run("check", "-f", "xml", c.toString()), "xml");
  }

  @Test
  void unknownFailOnLevel() throws Exception {
    Path c = aCFile();
    assertUsageError(run("check", "--fail-on", "fatal", c.toString()), "fatal");
  }

  @Test
  void badPageSize() throws Exception {
    Path c = aCFile();
    assertUsageError(run("check", "--page-size", "5000", c.toString()), "--page-size");
  }

  @Test
  void zeroJobs() throws Exception {
    Path c = aCFile();
    assertUsageError(run("check", "-j", "0", c.toString()), "--jobs");
  }

  @Test
  void sourceRootMissing() throws Exception {
    Path c = aCFile();
    assertUsageError(
        run("check", "--source-root", tmp.resolve("gone").toString(), c.toString()), "gone");
  }

  @Test
  void malformedCompileCommands() throws Exception {
    Path c = aCFile();
    Path db = Files.writeString(tmp.resolve("compile_commands.json"), "[{\"file\": ");
    assertUsageError(
        run("check", "--compile-commands", db.toString(), c.toString()), "compile_commands.json");
  }

  @Test
  void compileCommandsEntryWithoutCommandNamesItsIndex() throws Exception {
    Path c = aCFile();
    Path db =
        Files.writeString(
            tmp.resolve("compile_commands.json"),
            "[{\"directory\": \""
                + tmp
                + "\", \"file\": \"a.c\", \"command\": \"cc a.c\"},"
                + " {\"directory\": \""
                + tmp
                + "\", \"file\": \"a.c\"}]");
    assertUsageError(run("check", "--compile-commands", db.toString(), c.toString()), "entry 1");
  }

  @Test
  void compileCommandsEntryNamingAMissingFile() throws Exception {
    Path db =
        Files.writeString(
            tmp.resolve("compile_commands.json"),
            "[{\"directory\": \"" + tmp + "\", \"file\": \"gone.c\", \"command\": \"cc gone.c\"}]");
    assertUsageError(
        run("check", "--compile-commands", db.toString(), tmp.toString()), "missing file");
  }

  static Stream<Arguments> badFilesGivenToOptions() {
    return Stream.of(
        Arguments.of("--config", "{\"rules\": ", "not valid JSON"),
        Arguments.of("--config", "{\"rules\": {\"no-such\": \"off\"}}", "no-such"),
        Arguments.of("--baseline", "not json", "not a kmodcheck baseline"));
  }

  @ParameterizedTest
  @MethodSource("badFilesGivenToOptions")
  void malformedConfigOrBaseline(String option, String content, String mention) throws Exception {
    Path c = aCFile();
    Path file = Files.writeString(tmp.resolve("given.json"), content);
    Run r = run("check", option, file.toString(), c.toString());
    assertUsageError(r, "given.json");
    assertUsageError(r, mention);
  }

  @Test
  void missingBaseline() throws Exception {
    Path c = aCFile();
    assertUsageError(
        run("check", "--baseline", tmp.resolve("none.json").toString(), c.toString()), "none.json");
  }

  @Test
  void unknownReportFormat() throws Exception {
    Path c = aCFile();
    assertUsageError(run("check", "--report", "xml=out.xml", c.toString()), "unknown format 'xml'");
  }

  @Test
  void outputInAMissingDirectory() throws Exception {
    Path c = aCFile();
    Path out = tmp.resolve("no/such/dir/report.sarif");
    Run r = run("check", "-f", "sarif", "-o", out.toString(), c.toString());
    assertUsageError(r, "cannot write report to");
    assertFalse(Files.exists(out));
  }

  @Test
  void outputThatIsADirectory() throws Exception {
    Path c = aCFile();
    assertUsageError(run("check", "-o", tmp.toString(), c.toString()), "is a directory");
  }

  @Test
  void outputInAReadOnlyDirectory() throws Exception {
    Path c = aCFile();
    Path ro = Files.createDirectory(tmp.resolve("ro"));
    assumeTrue(ro.toFile().setWritable(false, false) && !Files.isWritable(ro), "runs as root");
    try {
      assertUsageError(
          run("check", "-o", ro.resolve("r.txt").toString(), c.toString()), "permission denied");
    } finally {
      ro.toFile().setWritable(true, false);
    }
  }

  @Test
  void unreadableFile() throws Exception {
    Path c = aCFile();
    assumeTrue(c.toFile().setReadable(false, false) && !Files.isReadable(c), "runs as root");
    assertUsageError(run("check", c.toString()), "cannot read");
  }

  @Test
  void negativeFileTimeout() throws Exception {
    Path c = aCFile();
    assertUsageError(run("check", "--file-timeout", "-1", c.toString()), "--file-timeout");
  }

  @Test
  void explainUnknownRule() {
    assertUsageError(run("explain", "no-such-rule"), "unknown rule 'no-such-rule'");
  }

  @Test
  void versionAndHelpSucceed() {
    Run v = run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("kmodcheck "), v.out());
    Run h = run("check", "--help");
    assertEquals(0, h.code());
    assertTrue(h.out().contains("--compile-commands"), h.out());
  }
}
