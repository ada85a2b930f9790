package dev.kmodcheck.report;

import dev.kmodcheck.engine.ScanResult;
import java.io.IOException;
import java.io.Writer;

/** Renders a scan result in one output format. Output must be deterministic. */
public interface ReportWriter {
  void write(ScanResult result, Writer out) throws IOException;
}
