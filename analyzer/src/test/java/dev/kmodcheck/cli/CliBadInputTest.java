package dev.kmodcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertTrue(r.err().contains(mustMention), () -> "stderr should name " + mustMention + ": " + r.err());
    assertFalse(r.err().contains("\tat "), () -> "no stack trace: " + r.err());
    assertTrue(r.err().lines().count() <= 2, () -> "one message line (+ a hint): " + r.err());
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
    Path c = Files.writeString(tmp.resolve("a.c"), "int x;\n");
    assertUsageError(run("check", "--target", "sparc", c.toString()), "unknown target 'sparc'");
  }

  @Test
  void unknownFormat() throws Exception {
    Path c = Files.writeString(tmp.resolve("a.c"), "int x;\n");
    assertUsageError(run("check", "-f", "xml", c.toString()), "xml");
  }

  @Test
  void unknownFailOnLevel() throws Exception {
    Path c = Files.writeString(tmp.resolve("a.c"), "int x;\n");
    assertUsageError(run("check", "--fail-on", "fatal", c.toString()), "fatal");
  }

  @Test
  void badPageSize() throws Exception {
    Path c = Files.writeString(tmp.resolve("a.c"), "int x;\n");
    assertUsageError(run("check", "--page-size", "5000", c.toString()), "--page-size");
  }

  @Test
  void zeroJobs() throws Exception {
    Path c = Files.writeString(tmp.resolve("a.c"), "int x;\n");
    assertUsageError(run("check", "-j", "0", c.toString()), "--jobs");
  }

  @Test
  void sourceRootMissing() throws Exception {
    Path c = Files.writeString(tmp.resolve("a.c"), "int x;\n");
    assertUsageError(
        run("check", "--source-root", tmp.resolve("gone").toString(), c.toString()), "gone");
  }

  @Test
  void malformedCompileCommands() throws Exception {
    Path c = Files.writeString(tmp.resolve("a.c"), "int x;\n");
    Path db = Files.writeString(tmp.resolve("compile_commands.json"), "[{\"file\": ");
    assertUsageError(
        run("check", "--compile-commands", db.toString(), c.toString()), "compile_commands.json");
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
