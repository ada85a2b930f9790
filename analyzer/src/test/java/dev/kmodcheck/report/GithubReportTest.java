package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.ir.SrcRange;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GithubReportTest {

  @TempDir Path root;

  private String annotate(SrcRange range) throws Exception {
    ScanResult base = SampleResults.empty(root);
    Finding f = new Finding("sleep-in-atomic", Severity.WARNING, "m", range, "f", List.of());
    ScanResult r = SampleResults.withFindings(base, List.of(f));
    StringWriter out = new StringWriter();
    new GithubReport().write(r, out);
    return out.toString().strip();
  }

  @Test
  void singleLineFindingKeepsColumns() throws Exception {
    assertEquals(
        "::warning file=a.c,line=6,col=8,endLine=6,endColumn=36,title=kmodcheck sleep-in-atomic::m",
        annotate(new SrcRange("a.c", 6, 8, 6, 36)));
  }

  /** The runner drops an annotation whose col/endColumn come with an endLine other than line. */
  @Test
  void multiLineFindingHasLinesOnly() throws Exception {
    assertEquals(
        "::warning file=a.c,line=130,endLine=135,title=kmodcheck sleep-in-atomic::m",
        annotate(new SrcRange("a.c", 130, 12, 135, 29)));
  }
}
