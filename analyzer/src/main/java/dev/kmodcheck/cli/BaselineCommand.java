package dev.kmodcheck.cli;

import dev.kmodcheck.check.Rule;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.report.AtomicOutput;
import dev.kmodcheck.report.Baseline;
import dev.kmodcheck.report.Fingerprints;
import dev.kmodcheck.report.SourceLines;
import dev.kmodcheck.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmodcheck baseline PATH... -o FILE}: records today's findings (after configuration and
 * suppression comments) so that {@code check --baseline FILE} fails only on new ones.
 */
@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Record the current findings in a baseline file; 'check --baseline FILE' then reports"
            + " only new ones.")
final class BaselineCommand implements Callable<Integer> {

  static final String DEFAULT_FILE = "kmodcheck-baseline.json";

  private final List<Rule> rules;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ScanOptions scan;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Baseline file to write, atomically (default: " + DEFAULT_FILE + ").")
  Path output = Path.of(DEFAULT_FILE);

  BaselineCommand(List<Rule> rules) {
    this.rules = rules;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Reports.checkWritable(new Reports.Destination("baseline", output));
    ScanSession.Outcome outcome = ScanSession.run(scan, rules, err);
    ScanResult result = outcome.result();
    List<String> prints =
        Fingerprints.compute(result.findings(), new SourceLines(result.sourceRoot()));
    Baseline baseline = Baseline.of(result.findings(), prints);
    try {
      AtomicOutput.write(output, baseline::write);
    } catch (IOException e) {
      throw new Main.UsageError(e.getMessage());
    }
    err.println(
        "kmodcheck: baseline "
            + output
            + ": "
            + baseline.entries().size()
            + (baseline.entries().size() == 1 ? " finding" : " findings")
            + " recorded");
    // A baseline of a scan that missed code lacks those findings: they would show up as new later.
    Reports.warnIncomplete(result, err);
    if (result.stats().incomplete()) {
      err.println(
          "kmodcheck: the baseline may lack findings: files skipped: "
              + result.stats().filesSkipped()
              + ", rule failures: "
              + result.stats().ruleFailures()
              + ", functions analysed: "
              + TextReport.percent(result.stats().coveragePercent())
              + " %");
      if (scan.strict) return Main.EXIT_USAGE;
    }
    return Main.EXIT_OK;
  }
}
