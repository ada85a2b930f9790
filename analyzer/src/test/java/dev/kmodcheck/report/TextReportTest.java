package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.Confidence;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.ScanStats;
import dev.kmodcheck.ir.SrcRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextReportTest {

  /**
   * What GCC-style matchers (Eclipse CDT's GCC error parser, Emacs, CI problem matchers) expect.
   */
  private static final Pattern FINDING =
      Pattern.compile("^([^:\\n]+):(\\d+):(\\d+): (error|warning|note): (.+) \\[([a-z0-9-]+)\\]$");

  private static final Pattern NOTE = Pattern.compile("^([^:\\n]+):(\\d+):(\\d+): note: (.+)$");

  @TempDir Path root;

  @Test
  void everyLineIsAGccDiagnostic() throws IOException {
    ScanResult result = SampleResults.sample(root);
    String text = SarifReportTest.render(new TextReport(), result);
    String[] lines = text.split("\n");
    int traceSteps = result.findings().stream().mapToInt(f -> f.trace().size()).sum();
    assertEquals(result.findings().size() + traceSteps, lines.length, text);
    int findings = 0;
    for (String line : lines) {
      Matcher m = FINDING.matcher(line);
      if (m.matches()) {
        findings++;
        continue;
      }
      assertTrue(NOTE.matcher(line).matches(), "not a GCC diagnostic: " + line);
    }
    assertEquals(result.findings().size(), findings);
    assertTrue(text.endsWith("\n"));
  }

  @Test
  void findingLineCarriesPositionSeverityAndRuleThenItsTrace() throws IOException {
    String text = SarifReportTest.render(new TextReport(), SampleResults.sample(root));
    List<String> lines = text.lines().toList();
    int at =
        lines.indexOf(
            "drivers/foo/foo.c:6:8: warning: GFP_KERNEL allocation may sleep in atomic context"
                + " [sleep-in-atomic]");
    assertTrue(at >= 0, text);
    assertEquals(
        "drivers/foo/foo.c:5:2: note: spin_lock() starts atomic context", lines.get(at + 1));
  }

  @Test
  void notificationsOnlyWhenVerbose() throws IOException {
    ScanResult result = SampleResults.sample(root);
    String quiet = SarifReportTest.render(new TextReport(), result);
    String verbose = SarifReportTest.render(new TextReport(true), result);
    assertTrue(!quiet.contains("parse problems"), quiet);
    assertTrue(
        verbose.contains(
            "drivers/foo/foo.c:3:1: warning: 2 parse problems; first: syntax error"
                + " [parse-problems]"),
        verbose);
    assertTrue(verbose.contains("kmodcheck: note: not a C file [file-skipped]"), verbose);
    assertEquals(quiet.lines().count() + 2, verbose.lines().count());
  }

  @Test
  void multiLineMessagesStayOnOneLine() throws IOException {
    ScanResult base = SampleResults.empty(root);
    Finding f =
        new Finding(
            "r-1",
            Severity.NOTE,
            "first\n  second\r\nthird",
            new SrcRange("a.c", 1, 1, 1, 2),
            null,
            List.of(new TraceStep(new SrcRange("a.c", 1, 1, 1, 2), "step\none")));
    ScanResult r =
        new ScanResult(
            base.toolVersion(),
            base.target(),
            base.sourceRoot(),
            List.of(),
            List.of(f),
            List.of(),
            base.stats());
    assertEquals(
        "a.c:1:1: note: first second third [r-1]\na.c:1:1: note: step one\n",
        SarifReportTest.render(new TextReport(), r));
  }

  @Test
  void unknownPositionsAreLeftOutLikeGcc() {
    assertEquals("a.c:3", TextReport.where(new SrcRange("a.c", 3, 0, 0, 0)));
    assertEquals("a.c", TextReport.where(new SrcRange("a.c", 0, 0, 0, 0)));
    assertEquals("kmodcheck", TextReport.where(SrcRange.UNKNOWN));
  }

  @Test
  void summaryLineCountsEverything() throws IOException {
    ScanResult r = SampleResults.sample(root);
    assertEquals(
        "kmodcheck: 2 files, 3,400 lines, 210 functions; 3 errors, 1 warning;"
            + " 2 parse problems in 1 file (98.5 % of functions analysed, 3 lost, 40 lines not"
            + " analysed); 1 file skipped; 0.8 s",
        TextReport.summaryLine(r));
  }

  @Test
  void summaryLineWithoutFindingsOrProblems() {
    ScanResult r = emptyWith(new ScanStats(1, 1, 1234567, 0, 0, 0, 0, 12_345));
    assertEquals(
        "kmodcheck: 1 file, 1 line, 1,234,567 functions; no findings; 0 files skipped; 12.3 s",
        TextReport.summaryLine(r));
  }

  @Test
  void summaryLineNamesRuleFailuresAndPutsExtrasBeforeTheSkippedFiles() {
    ScanResult r = emptyWith(new ScanStats(3, 10, 2, 0, 0, 2, 0, 1, 0, 0, 0));
    assertEquals(
        "kmodcheck: 3 files, 10 lines, 2 functions; no findings; 4 suppressed; 1 rule failure;"
            + " 2 files skipped; 0.0 s",
        TextReport.summaryLine(r, List.of("4 suppressed")));
  }

  @Test
  void findingsOfOneRootCauseShowTheEvidenceOnceAndPointBack() throws IOException {
    SrcRange lock = new SrcRange("a.c", 10, 2, 10, 20);
    SrcRange helper = new SrcRange("a.c", 3, 2, 3, 20);
    List<TraceStep> trace =
        List.of(
            new TraceStep(lock, "spin_lock(&d->lock) takes a spinlock"),
            new TraceStep(helper, "mutex_lock(&d->m) may sleep"));
    Finding first =
        new Finding(
            "sleep-in-atomic",
            Severity.ERROR,
            "wr() may sleep",
            new SrcRange("a.c", 11, 2, 11, 8),
            "f",
            trace,
            Confidence.CERTAIN,
            "00aa11bb22cc33dd");
    Finding second =
        new Finding(
            "sleep-in-atomic",
            Severity.ERROR,
            "wr() may sleep",
            new SrcRange("a.c", 12, 2, 12, 8),
            "f",
            trace,
            Confidence.CERTAIN,
            "00aa11bb22cc33dd");
    ScanResult base = SampleResults.empty(root);
    ScanResult r =
        new ScanResult(
            base.toolVersion(),
            base.target(),
            base.sourceRoot(),
            List.of(),
            List.of(second, first),
            List.of(),
            new ScanStats(1, 20, 1, 0, 0, 0, 0, 5));
    assertEquals(
        String.join(
            "\n",
            "a.c:11:2: error: wr() may sleep [sleep-in-atomic]",
            "a.c:10:2: note: spin_lock(&d->lock) takes a spinlock",
            "a.c:3:2: note: mutex_lock(&d->m) may sleep",
            "a.c:11:2: note: and 1 more call site reaches the same sleeping call by the same path"
                + " (root cause 00aa11bb22cc33dd)",
            "a.c:12:2: error: wr() may sleep [sleep-in-atomic]",
            "a.c:12:2: note: same root cause as a.c:11:2 (00aa11bb22cc33dd)",
            ""),
        SarifReportTest.render(new TextReport(), r));
    assertEquals(
        "kmodcheck: 1 file, 20 lines, 1 function; 2 errors, 1 atomic-context root cause;"
            + " 0 files skipped; 0.0 s",
        TextReport.summaryLine(r));
  }

  /** An empty scan with the given counters. */
  private ScanResult emptyWith(ScanStats stats) {
    ScanResult base = SampleResults.empty(root);
    return new ScanResult(
        base.toolVersion(),
        base.target(),
        base.sourceRoot(),
        List.of(),
        List.of(),
        List.of(),
        stats);
  }
}
