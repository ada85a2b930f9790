package dev.kmodcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.kernel.Target;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress line names the phase, so a long whole-program check does not look stuck. */
class ProgressTest {

  @TempDir Path dir;

  @RuleInfo(id = "slow-program", name = "SlowProgram", severity = Severity.NOTE, summary = "S.")
  static final class WholeProgram implements ProgramRule {
    @Override
    public void checkProgram(ProgramContext ctx) {}
  }

  @Test
  void linesNameParsingThenTheWholeProgramChecks() {
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out), true);
    p.fileDone(1, 40, "a.c");
    assertEquals("kmodcheck: parsing 1/40 files", p.line());
    p.fileDone(40, 40, "z.c");
    p.programStarted("drivers/net", 3);
    assertEquals(
        "kmodcheck: parsing 40/40 files; whole-program checks 0/3 programs (drivers/net)",
        p.line());
    p.programDone(3, 3);
    assertEquals("kmodcheck: parsing 40/40 files; whole-program checks 3/3 programs", p.line());
    p.finish();
    assertTrue(out.toString().contains("\rkmodcheck: parsing 40/40 files\033[K"), out.toString());
    assertTrue(out.toString().endsWith("\r\033[K"), out.toString());
  }

  @Test
  void theScannerReportsEachProgram() throws Exception {
    Files.writeString(dir.resolve("a.c"), "void f(void) { }\n");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/b.c"), "void g(void) { }\n");
    ScanRequest request =
        new ScanRequest(
            List.of(dir), dir, Target.defaultTarget(), null, 1, ScanRequest.ProgramScope.DIRECTORY);
    StringWriter out = new StringWriter();
    Progress p = new Progress(new PrintWriter(out), false);
    new Scanner(List.of(new WholeProgram())).scan(request, p);
    assertEquals("kmodcheck: parsing 2/2 files; whole-program checks 2/2 programs", p.line());
    assertEquals("", out.toString(), "nothing is printed off a terminal");
  }
}
