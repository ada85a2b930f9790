package dev.kmodcheck.engine;

import java.lang.management.ManagementFactory;

/**
 * Opt-in phase timestamps on standard error ({@code -Dkmodcheck.phases}, e.g. through
 * KMODCHECK_JAVA_OPTS): where a cached re-scan spends its time is what the 2-second target turns
 * on, and a profiler's sampling at that scale says little (docs/performance.md).
 */
public final class Phases {
  private static final boolean ON = System.getProperty("kmodcheck.phases") != null;
  private static final long START = System.nanoTime();

  private Phases() {}

  public static boolean on() {
    return ON;
  }

  /** Prints the milliseconds since the JVM started and since this class was first used. */
  public static void mark(String phase) {
    if (!ON) return;
    long jvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    System.err.printf(
        "kmodcheck: phase %-32s %6d ms since JVM start, %6d ms in run%n",
        phase, jvm, (System.nanoTime() - START) / 1_000_000);
  }
}
