package dev.kmodcheck.cli;

import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.report.AtomicOutput;
import dev.kmodcheck.report.JsonReport;
import dev.kmodcheck.report.ReportWriter;
import dev.kmodcheck.report.SarifReport;
import dev.kmodcheck.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Chooses the report writer for a format and writes it to a file or standard output. */
final class Reports {
  private Reports() {}

  static ReportWriter writerFor(String format, boolean verbose) {
    return switch (format) {
      case "json" -> new JsonReport();
      case "sarif" -> new SarifReport();
      default -> new TextReport(verbose);
    };
  }

  static void write(ScanResult result, String format, Path output, boolean verbose, PrintWriter out)
      throws IOException {
    ReportWriter writer = writerFor(format, verbose);
    if (output == null || output.toString().equals(AtomicOutput.STDOUT)) {
      writer.write(result, out);
      out.flush();
      return;
    }
    try {
      AtomicOutput.writeReport(output, writer, result);
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      throw new Main.UsageError(
          m.contains(output.toString()) ? m : "cannot write report to " + output + ": " + m);
    }
  }

  static String summaryLine(ScanResult result) {
    return TextReport.summaryLine(result);
  }
}
