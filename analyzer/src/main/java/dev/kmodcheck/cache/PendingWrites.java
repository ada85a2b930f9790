package dev.kmodcheck.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * Cache writes left running after a scan returned (the index is written while the caller applies
 * suppressions and writes reports, a sixth of a re-scan). Process-wide, because the writes must be
 * complete before the process ends and before any later scan reads an index.
 */
public final class PendingWrites {

  private static final List<Thread> RUNNING = new ArrayList<>();

  private PendingWrites() {}

  /** Runs {@code write} on a daemon thread that {@link #await} waits for. */
  public static void start(Runnable write) {
    Thread t = new Thread(write, "kmodcheck-cache-write");
    t.setDaemon(true);
    synchronized (RUNNING) {
      RUNNING.add(t);
    }
    t.start();
  }

  /** Waits for every write {@link #start} began, also those begun while it waits. */
  public static void await() {
    while (true) {
      Thread t;
      synchronized (RUNNING) {
        if (RUNNING.isEmpty()) return;
        t = RUNNING.get(0);
      }
      boolean interrupted = false;
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true; // the index must be complete before anything else reads it
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      synchronized (RUNNING) {
        RUNNING.remove(t);
      }
    }
  }
}
