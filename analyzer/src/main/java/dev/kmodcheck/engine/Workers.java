package dev.kmodcheck.engine;

import dev.kmodcheck.budget.WorkBudget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The scan's worker threads. Each job runs with its own {@link WorkBudget}; a watchdog expires the
 * budget when the job's time is up (the job then stops at its next checkpoint or CDT token) and, if
 * the job still has not returned after a grace period, abandons it: the job is told so (it records
 * the file as skipped) and a fresh worker replaces the stuck thread, so one pathological file can
 * neither hang the scan nor take a worker away from it. Nothing is ever killed (Thread.stop is
 * unsafe); an abandoned thread is a daemon and ends with its job or the process.
 *
 * <p>Urgent jobs (whole-program rules, which free the units they hold) run before queued files.
 * Jobs run on threads with a deep stack even at -j 1, so the outcome of a deeply nested file does
 * not depend on the number of threads.
 */
final class Workers implements AutoCloseable {

  /** One piece of work. Both methods must not throw. */
  interface Job {
    /** Budget in milliseconds; 0 for none. */
    long budgetMillis();

    void run(WorkBudget budget);

    /**
     * Called instead of waiting for a job that overran its budget (on the watchdog thread, {@code
     * cause} null), or when {@link #run} itself threw ({@code cause}: e.g. out of memory while
     * recording an outcome). Must record that the job's work is lost.
     */
    void abandoned(WorkBudget budget, Throwable cause);
  }

  /** Deeply nested expressions recurse in CDT and in the IR walkers. */
  static final long STACK_BYTES = 64L * 1024 * 1024;

  private static final long WATCH_PERIOD_MILLIS = 50;

  private final Object lock = new Object();
  private final Deque<Job> urgent = new ArrayDeque<>();
  private final Deque<Job> queued = new ArrayDeque<>();
  private final List<Running> running = new ArrayList<>();
  private final int threads;

  /** Workers that take jobs: started ones, minus those that left, minus those abandoned. */
  private int serving;

  private int pending;
  private boolean closed;
  private Thread watchdog;

  private static final class Running {
    final Job job;
    final WorkBudget budget;
    final long start = System.nanoTime();

    /** Counted as done (finished, or given up by the watchdog). */
    boolean settled;

    /** Given up by the watchdog: its thread leaves the pool once the job returns. */
    boolean abandonedHere;

    Running(Job job, WorkBudget budget) {
      this.job = job;
      this.budget = budget;
    }

    long elapsedMillis() {
      return (System.nanoTime() - start) / 1_000_000;
    }
  }

  Workers(int threads) {
    this.threads = threads;
    for (int i = 0; i < threads; i++) startWorker();
  }

  void submit(Job job, boolean first) {
    synchronized (lock) {
      if (closed) throw new IllegalStateException("workers closed");
      pending++;
      (first ? urgent : queued).addLast(job);
      if (job.budgetMillis() > 0 && watchdog == null) startWatchdog();
      lock.notifyAll();
    }
  }

  /**
   * Waits until every submitted job (and every job they submitted) has finished or been given up.
   */
  void awaitIdle() throws InterruptedException {
    synchronized (lock) {
      while (pending > 0) lock.wait();
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
  }

  private void startWorker() {
    Thread t = new Thread(null, this::workLoop, "kmodcheck-worker", STACK_BYTES);
    t.setDaemon(true);
    synchronized (lock) {
      serving++;
    }
    try {
      t.start();
    } catch (Throwable e) {
      synchronized (lock) {
        serving--; // the watchdog tries again
      }
      throw e;
    }
  }

  private void workLoop() {
    while (true) {
      Running r = take();
      if (r == null) return;
      Throwable failure = null;
      try {
        r.budget.runOnThisThread(() -> r.job.run(r.budget));
      } catch (Throwable t) {
        failure = t;
      }
      boolean settleHere;
      synchronized (lock) {
        running.remove(r);
        settleHere = !r.settled;
        r.settled = true;
      }
      if (settleHere) {
        if (failure != null) abandonQuietly(r, failure);
        synchronized (lock) {
          pending--;
          lock.notifyAll();
        }
      }
      if (r.abandonedHere) return; // a replacement worker has taken this thread's place
    }
  }

  /**
   * The next job, registered as running; null when the workers are closed. A job leaves its queue
   * only once it is registered, so running out of memory here loses nothing (it is retried).
   */
  private Running take() {
    while (true) {
      try {
        synchronized (lock) {
          while (!closed && urgent.isEmpty() && queued.isEmpty()) lock.wait();
          if (closed) {
            serving--;
            return null;
          }
          Deque<Job> from = urgent.isEmpty() ? queued : urgent;
          Job job = from.peekFirst();
          Running r = new Running(job, new WorkBudget(job.budgetMillis()));
          running.add(r);
          from.pollFirst();
          return r;
        }
      } catch (InterruptedException e) {
        synchronized (lock) {
          serving--;
        }
        return null;
      } catch (OutOfMemoryError e) {
        pause();
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(WATCH_PERIOD_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Tells the job it is given up; a second failure there (memory) must not stop the worker. */
  private static void abandonQuietly(Running r, Throwable cause) {
    try {
      r.job.abandoned(r.budget, cause);
    } catch (Throwable again) {
      // Nothing more can be recorded; the scan's merge reports a file without an outcome.
    }
  }

  private void startWatchdog() {
    watchdog = new Thread(this::watch, "kmodcheck-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private void watch() {
    while (true) {
      try {
        if (!watchOnce()) return;
      } catch (OutOfMemoryError e) {
        // Another thread's runaway allocation; the watchdog is needed most right then.
      }
      try {
        Thread.sleep(WATCH_PERIOD_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One look at the running jobs; false once the workers are closed. */
  private boolean watchOnce() {
    List<Running> toExpire = new ArrayList<>();
    List<Running> toAbandon = new ArrayList<>();
    synchronized (lock) {
      if (closed) return false;
      for (Running r : running) {
        long budget = r.budget.millis();
        if (budget <= 0 || r.settled) continue;
        long elapsed = r.elapsedMillis();
        if (elapsed >= budget + graceMillis(budget)) {
          r.settled = true;
          r.abandonedHere = true;
          serving--;
          toAbandon.add(r);
        } else if (elapsed >= budget && !r.budget.expired()) {
          toExpire.add(r);
        }
      }
      running.removeAll(toAbandon);
    }
    for (Running r : toExpire) r.budget.expire();
    for (Running r : toAbandon) {
      try {
        r.budget.expire();
        // Told before the job counts as done, so whatever it submits keeps awaitIdle waiting.
        abandonQuietly(r, null);
      } finally {
        synchronized (lock) {
          pending--;
          lock.notifyAll();
        }
      }
    }
    // Replaces abandoned workers (again, if starting one failed for want of memory).
    while (true) {
      synchronized (lock) {
        if (closed || serving >= threads) break;
      }
      startWorker();
    }
    return true;
  }

  /** How long an expired job may take to reach a checkpoint: a quarter of its budget, 1-10 s. */
  static long graceMillis(long budgetMillis) {
    return Math.max(1000, Math.min(10_000, budgetMillis / 4));
  }
}
