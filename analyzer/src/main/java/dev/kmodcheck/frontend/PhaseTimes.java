package dev.kmodcheck.frontend;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.LongAdder;

/**
 * CPU time spent in CDT (preprocess and parse) and in the IR translation, summed over all threads.
 * Thread CPU time, unlike wall time, is not inflated by other processes on a busy machine, so
 * ParseMeasure can compare variants reliably. Off unless the JVM supports thread CPU time.
 */
final class PhaseTimes {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final boolean ON = THREADS.isCurrentThreadCpuTimeSupported();
  static final LongAdder CDT_NANOS = new LongAdder();
  static final LongAdder TRANSLATE_NANOS = new LongAdder();

  private PhaseTimes() {}

  static long now() {
    return ON ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  static void add(long start, long parsed, long translated) {
    CDT_NANOS.add(parsed - start);
    TRANSLATE_NANOS.add(translated - parsed);
  }
}
