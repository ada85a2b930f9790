package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.ir.SrcRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownReportTest {

  @TempDir Path root;

  private static String render(MarkdownReport r, ScanResult result) throws Exception {
    return SarifReportTest.render(r, result);
  }

  @Test
  void countsTableAndNestedEvidence() throws Exception {
    String md = render(new MarkdownReport(null, 2, 1), SampleResults.sample(root));
    assertTrue(md.startsWith("### kmodcheck: 3 errors, 1 warning\n\n"), md);
    assertTrue(
        md.contains(
            "2 files, 3,400 lines scanned, 2 suppressed by comments, 1 in the baseline,"
                + " **1 file skipped**."),
        md);
    assertTrue(md.contains("/docs/rules/kmalloc-size-limit.md) | error | 3 |"), md);
    long rows = md.lines().filter(l -> l.matches("\\| (error|warning|note) \\|.*")).count();
    assertEquals(4, rows, md);
    assertTrue(
        md.contains(
            "- drivers/foo/foo.c:6 sleep-in-atomic: GFP\\_KERNEL allocation may sleep in atomic"
                + " context\n  - drivers/foo/foo.c:5: spin\\_lock() starts atomic context\n"),
        md);
    assertFalse(md.contains("](http") && md.contains("foo.c#L"), "no links without a base");
  }

  @Test
  void locationsLinkToTheLinesUnderTheBase() throws Exception {
    String md =
        render(
            new MarkdownReport("https://example.org/o/r/blob/abc/", 0, 0),
            SampleResults.sample(root));
    assertTrue(
        md.contains("[drivers/foo/foo.c:6](https://example.org/o/r/blob/abc/drivers/foo/foo.c#L6)"),
        md);
    // The odd name is percent-encoded in the link and escaped in the text.
    assertTrue(
        md.contains("(https://example.org/o/r/blob/abc/drivers/odd%20dir/%C3%A4%231.c#L3)"), md);
  }

  @Test
  void textFromTheSourcesCannotInjectMarkupOrBreakTheTable() throws Exception {
    ScanResult base = SampleResults.sample(root);
    List<Finding> findings = new ArrayList<>();
    findings.add(
        new Finding(
            "sleep-in-atomic",
            Severity.WARNING,
            "a | b <script>alert(1)</script> [x](javascript:y) *bold*\nnext",
            new SrcRange("drivers/foo/foo.c", 6, 8, 6, 36),
            "f",
            List.of(new TraceStep(new SrcRange("drivers/foo/foo.c", 5, 2, 5, 9), "`tick`"))));
    ScanResult r = SampleResults.withFindings(base, findings);
    String md = render(new MarkdownReport(null, 0, 0), r);
    assertFalse(md.contains("<script>"), md);
    assertTrue(
        md.contains(
            "a \\| b &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:y) \\*bold\\* next"),
        md);
    assertTrue(md.contains(": \\`tick\\`"), md);
  }

  @Test
  void noFindingsIsOneHeadlineAndTheCounts() throws Exception {
    assertEquals(
        "### kmodcheck: no findings\n\n0 files, 0 lines scanned.\n",
        render(new MarkdownReport(null, 0, 0), SampleResults.empty(root)));
  }
}
