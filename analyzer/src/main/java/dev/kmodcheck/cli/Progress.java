package dev.kmodcheck.cli;

import dev.kmodcheck.engine.Scanner;
import java.io.PrintWriter;

/**
 * A one-line progress report on stderr, only when a person is watching a terminal. It names the
 * phase: parsing (files done of all), then the whole-program checks (programs done of those that
 * run, and the one that started last), which on a large tree take seconds after the last file.
 */
final class Progress implements Scanner.ProgressListener {

  private static final long INTERVAL_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private long lastPrint;
  private boolean printed;
  private int files;
  private int totalFiles;
  private int programs;
  private int totalPrograms;
  private String program;

  Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  static Progress forTerminal(PrintWriter err) {
    // System.console() is null when input or output is redirected, as in CI and in tests.
    return new Progress(err, System.console() != null && System.getenv("CI") == null);
  }

  @Override
  public synchronized void fileDone(int done, int total, String file) {
    files = done;
    totalFiles = total;
    show(done == total);
  }

  @Override
  public synchronized void programStarted(String name, int total) {
    totalPrograms = total;
    program = name;
    show(true);
  }

  @Override
  public synchronized void programDone(int done, int total) {
    programs = done;
    totalPrograms = total;
    show(done == total);
  }

  /** The current line, without the carriage return. */
  synchronized String line() {
    StringBuilder s = new StringBuilder("kmodcheck: parsing ");
    s.append(files).append('/').append(totalFiles).append(" files");
    if (totalPrograms > 0) {
      s.append("; whole-program checks ").append(programs).append('/').append(totalPrograms);
      s.append(totalPrograms == 1 ? " program" : " programs");
      if (program != null && programs < totalPrograms) s.append(" (").append(program).append(')');
    }
    return s.toString();
  }

  private void show(boolean force) {
    if (!enabled) return;
    long now = System.nanoTime();
    if (!force && now - lastPrint < INTERVAL_NANOS) return;
    lastPrint = now;
    printed = true;
    // Erase to the end of the line: a shorter line must not leave the end of a longer one.
    err.print("\r" + line() + "\033[K");
    err.flush();
  }

  synchronized void finish() {
    if (printed) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
