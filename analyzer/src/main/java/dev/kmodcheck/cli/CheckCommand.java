package dev.kmodcheck.cli;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.engine.Phases;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.ScanStats;
import dev.kmodcheck.engine.Suppressed;
import dev.kmodcheck.report.Baseline;
import dev.kmodcheck.report.Fingerprints;
import dev.kmodcheck.report.SourceLines;
import dev.kmodcheck.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Scan C files and directories (recursively, *.c) and report findings.")
final class CheckCommand implements Callable<Integer> {

  enum Format {
    text,
    json,
    sarif,
    github,
    gitlab,
    markdown,
    html
  }

  enum FailOn {
    error,
    warning,
    note,
    none
  }

  private final List<Rule> rules;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ScanOptions scan;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE (atomically) instead of standard output.")
  Path output;

  @Option(
      names = "--report",
      paramLabel = "FORMAT=PATH",
      description =
          "Also write a report in FORMAT (text, json, sarif, github, gitlab, markdown, html) to"
              + " PATH"
              + " ('-': standard"
              + " output); repeatable. With --report, -f/-o write a report only when given.")
  List<String> reports = new ArrayList<>();

  @Option(
      names = "--sarif-category",
      paramLabel = "ID",
      description =
          "SARIF run.automationDetails.id: GitHub's analysis category, to upload several runs"
              + " (e.g. per target) for one commit.")
  String sarifCategory;

  @Option(
      names = "--link-base",
      paramLabel = "URL",
      description =
          "Markdown report: link each location to URL/PATH#Lline, e.g."
              + " $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA.")
  String linkBase;

  @Option(
      names = "--baseline",
      paramLabel = "FILE",
      description =
          "Report and fail only on findings that FILE (from 'kmodcheck baseline') does not hold.")
  Path baseline;

  @Option(
      names = "--list-stale",
      description =
          "With --baseline: list on standard error the baseline entries no finding matches any"
              + " more (fixed code; recreate the baseline to drop them).")
  boolean listStale;

  @Option(
      names = "--diff-base",
      paramLabel = "REV",
      description =
          "Report only findings whose place or evidence lies on a line changed since git revision"
              + " REV (the working tree against REV), as for a pull request's changes.")
  String diffBase;

  @Option(
      names = "--new-since",
      paramLabel = "REV",
      description =
          "Report only findings that a scan of the same files at git revision REV does not have"
              + " (matched by fingerprint).")
  String newSince;

  @Option(
      names = "--include-suppressed",
      description =
          "Put findings suppressed by comments or the baseline into SARIF, marked with"
              + " 'suppressions' (GitHub code scanning ignores them).")
  boolean includeSuppressed;

  @Option(
      names = "--fail-on",
      paramLabel = "LEVEL",
      description =
          "Exit with 1 when a finding at or above LEVEL exists: ${COMPLETION-CANDIDATES}"
              + " (default: the configuration's, else warning).")
  FailOn failOn;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also list parse problems and other notifications in text output.")
  boolean verbose;

  CheckCommand(List<Rule> rules) {
    this.rules = rules;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    boolean formatGiven = spec.commandLine().getParseResult().hasMatchedOption("--format");
    List<Reports.Destination> plan = Reports.plan(format.name(), formatGiven, output, reports);
    if (listStale && baseline == null) {
      throw new Main.UsageError("--list-stale needs --baseline FILE");
    }
    Baseline accepted = null;
    if (baseline != null) {
      try {
        accepted = Baseline.read(baseline);
      } catch (BadInputException e) {
        throw new Main.UsageError(e.getMessage());
      }
    }
    if (diffBase != null) {
      GitRevision.verify(
          scan.sourceRoot != null ? scan.sourceRoot : Path.of("").toAbsolutePath(),
          diffBase,
          "--diff-base");
    }
    if (newSince != null) NewSince.check(scan, newSince);
    ScanSession.Outcome outcome = ScanSession.run(scan, rules, err);
    Phases.mark("suppressions applied");
    ScanResult result = outcome.result();
    List<Suppressed> left = new ArrayList<>(outcome.suppressed());
    int baselined = 0;
    List<Baseline.Entry> stale = List.of();
    if (accepted != null) {
      List<String> prints =
          Fingerprints.compute(result.findings(), new SourceLines(result.sourceRoot()));
      Baseline.Match m = accepted.match(result.findings(), prints, Set.copyOf(outcome.files()));
      baselined = m.known().size();
      stale = m.stale();
      for (Finding f : m.known()) {
        left.add(new Suppressed(f, Suppressed.Kind.BASELINE, "in baseline " + baseline));
      }
      result = withFindings(result, m.fresh());
    }
    List<String> filtered = new ArrayList<>();
    if (diffBase != null) {
      Map<String, BitSet> changed =
          GitRevision.changedLines(result.sourceRoot(), diffBase, "--diff-base");
      List<Finding> onDiff =
          result.findings().stream().filter(f -> GitRevision.touches(f, changed)).toList();
      int off = result.findings().size() - onDiff.size();
      if (off > 0) filtered.add(off + " off the lines changed since " + diffBase);
      result = withFindings(result, onDiff);
    }
    if (newSince != null) {
      List<Finding> fresh =
          NewSince.fresh(
              scan,
              rules,
              new ScanSession.Outcome(
                  outcome.config(), result, outcome.suppressed(), outcome.files()),
              newSince,
              err);
      int old = result.findings().size() - fresh.size();
      if (old > 0) filtered.add(old + " present at " + newSince);
      result = withFindings(result, fresh);
    }
    Reports.Settings settings =
        new Reports.Settings(
            verbose,
            sarifCategory,
            includeSuppressed ? left : List.of(),
            scan.strict,
            outcome.suppressed().size(),
            baselined,
            linkBase);
    Reports.write(result, plan, settings, spec.commandLine().getOut());
    Phases.mark("reports written");
    if (listStale) {
      for (Baseline.Entry e : stale) {
        err.println(
            "kmodcheck: stale baseline entry: "
                + e.file()
                + ": "
                + e.ruleId()
                + (e.function().isEmpty() ? "" : " in " + e.function())
                + " ("
                + e.fingerprint()
                + "): "
                + e.message());
      }
    }
    Reports.warnIncomplete(result, err);
    double minCoverage = scan.minCoverage != null ? scan.minCoverage : -1;
    Reports.warnCoverage(result, Math.max(minCoverage, ScanStats.WARN_COVERAGE_PERCENT), err);
    err.println(
        Reports.summaryLine(
            result, outcome.suppressed().size(), baselined, stale.size(), filtered));
    if (scan.strict && result.stats().incomplete()) return Main.EXIT_USAGE;
    if (result.stats().coveragePercent() < minCoverage) {
      err.println(
          "kmodcheck: "
              + TextReport.percent(result.stats().coveragePercent())
              + " % of functions analysed, below "
              + "--min-coverage "
              + TextReport.percent(minCoverage)
              + " %");
      return Main.EXIT_USAGE;
    }
    FailOn level = failOn;
    if (level == null) {
      String configured = outcome.config().failOn();
      level = configured == null ? FailOn.warning : FailOn.valueOf(configured);
    }
    return exitCode(result.findings(), level);
  }

  private static ScanResult withFindings(ScanResult r, List<Finding> findings) {
    return new ScanResult(
        r.toolVersion(),
        r.target(),
        r.sourceRoot(),
        r.rules(),
        List.copyOf(findings),
        r.notifications(),
        r.stats());
  }

  private static int exitCode(List<Finding> findings, FailOn failOn) {
    if (failOn == FailOn.none) return Main.EXIT_OK;
    Severity threshold = Severity.valueOf(failOn.name().toUpperCase(Locale.ROOT));
    return findings.stream().anyMatch(f -> f.severity().atLeast(threshold))
        ? Main.EXIT_FINDINGS
        : Main.EXIT_OK;
  }
}
