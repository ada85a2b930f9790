package dev.kmodcheck.cli;

import dev.kmodcheck.engine.ScanResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Chooses the report writer for a format and writes it to a file or standard output. */
final class Reports {
  private Reports() {}

  static void write(ScanResult result, String format, Path output, boolean verbose, PrintWriter out)
      throws IOException {
    throw new UnsupportedOperationException("waiting for the report writers");
  }

  static String summaryLine(ScanResult result) {
    return "kmodcheck: " + result.stats().files() + " files, " + result.findings().size()
        + " findings";
  }
}
