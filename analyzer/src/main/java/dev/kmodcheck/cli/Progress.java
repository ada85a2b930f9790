package dev.kmodcheck.cli;

import dev.kmodcheck.engine.Scanner;
import java.io.PrintWriter;

/** A one-line progress counter on stderr, only when a person is watching a terminal. */
final class Progress implements Scanner.ProgressListener {

  private static final long INTERVAL_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private long lastPrint;
  private boolean printed;

  private Progress(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  static Progress forTerminal(PrintWriter err) {
    // System.console() is null when input or output is redirected, as in CI and in tests.
    return new Progress(err, System.console() != null && System.getenv("CI") == null);
  }

  @Override
  public synchronized void fileDone(int done, int total, String file) {
    if (!enabled) return;
    long now = System.nanoTime();
    if (now - lastPrint < INTERVAL_NANOS && done != total) return;
    lastPrint = now;
    printed = true;
    err.print("\rkmodcheck: " + done + "/" + total + " files");
    err.flush();
  }

  synchronized void finish() {
    if (printed) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
