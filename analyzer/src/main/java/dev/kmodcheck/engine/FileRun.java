package dev.kmodcheck.engine;

import dev.kmodcheck.budget.WorkBudget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Schedules one scan's files and whole-program rules on {@link Workers} and collects exactly one
 * outcome per file, whatever happens to the work: finished, failed, over its time budget (the
 * watchdog records it as skipped), or out of memory. A file that runs out of memory is tried once
 * more at the end, alone: usually another file's runaway allocation starved it, and the retry makes
 * the outcome independent of which files happened to run beside that one.
 */
final class FileRun {

  /** What the scanner does for a file and for a program; neither may throw. */
  interface Work {
    Scanner.FileOutcome file(int index, WorkBudget budget);

    /**
     * The file given up: by the watchdog ({@code cause} null), or because its job failed outside
     * the scanner's own isolation; an outcome that says why.
     */
    Scanner.FileOutcome fileAbandoned(int index, WorkBudget budget, Throwable cause);

    void program(Scanner.Partition partition, WorkBudget budget);

    /** The program's rules given up, as {@link #fileAbandoned}. */
    void programAbandoned(Scanner.Partition partition, WorkBudget budget, Throwable cause);
  }

  private final List<String> names;
  private final Scanner.Partition[] partitionOf;
  private final long timeoutMillis;
  private final Work work;
  private Scanner.FileOutcome[] outcomes;
  private final AtomicIntegerArray claimed;
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger programsDone = new AtomicInteger();
  private int programs;
  private final List<Integer> retries = new ArrayList<>();
  private Scanner.ProgressListener progress;
  private Workers workers;

  FileRun(List<String> names, Scanner.Partition[] partitionOf, long timeoutMillis, Work work) {
    this.names = names;
    this.partitionOf = partitionOf;
    this.timeoutMillis = timeoutMillis;
    this.work = work;
    this.claimed = new AtomicIntegerArray(names.size());
  }

  /**
   * Runs every file (and program) whose outcome is still null in {@code outcomes} (input order) and
   * fills it in; the others are already settled (from the cache) and only count as done.
   */
  void run(int jobs, Scanner.ProgressListener progress, Scanner.FileOutcome[] outcomes) {
    this.progress = progress;
    this.outcomes = outcomes;
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (outcomes[i] == null) {
        todo.add(i);
      } else {
        claimed.set(i, 1);
        reportDone(i);
      }
    }
    if (todo.isEmpty()) return;
    // A program runs when one of its files does (the others may come from the cache).
    Set<Scanner.Partition> running = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i : todo) if (partitionOf[i] != null) running.add(partitionOf[i]);
    programs = running.size();
    int threads = Math.max(1, Math.min(jobs, todo.size()));
    try (Workers w = new Workers(threads)) {
      workers = w;
      for (int i : todo) w.submit(fileJob(i, true), false);
      w.awaitIdle();
      List<Integer> again;
      synchronized (retries) {
        again = retries.stream().sorted().toList(); // input order, whatever order they failed in
      }
      for (int index : again) {
        w.submit(fileJob(index, false), true);
        w.awaitIdle();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", e);
    }
  }

  private void reportDone(int index) {
    if (progress != null) progress.fileDone(done.incrementAndGet(), names.size(), names.get(index));
  }

  private Workers.Job fileJob(int index, boolean firstAttempt) {
    return new Workers.Job() {
      @Override
      public long budgetMillis() {
        return timeoutMillis;
      }

      @Override
      public void run(WorkBudget budget) {
        Scanner.FileOutcome o = work.file(index, budget);
        if (o.outOfMemory && firstAttempt) {
          synchronized (retries) {
            retries.add(index);
          }
          return;
        }
        complete(index, o);
      }

      @Override
      public void abandoned(WorkBudget budget, Throwable cause) {
        complete(index, work.fileAbandoned(index, budget, cause));
      }
    };
  }

  private Workers.Job programJob(Scanner.Partition p) {
    return new Workers.Job() {
      @Override
      public long budgetMillis() {
        return timeoutMillis * p.indices.length;
      }

      @Override
      public void run(WorkBudget budget) {
        if (progress != null) progress.programStarted(p.name, programs);
        work.program(p, budget);
        programFinished();
      }

      @Override
      public void abandoned(WorkBudget budget, Throwable cause) {
        work.programAbandoned(p, budget, cause);
        programFinished();
      }
    };
  }

  private void programFinished() {
    int n = programsDone.incrementAndGet();
    if (progress != null) progress.programDone(Math.min(n, programs), programs);
  }

  /** The first outcome of a file wins; a late one (from an abandoned thread) is dropped. */
  private void complete(int index, Scanner.FileOutcome o) {
    if (!claimed.compareAndSet(index, 0, 1)) return;
    outcomes[index] = o;
    reportDone(index);
    Scanner.Partition p = partitionOf[index];
    // The last file of a program queues the whole-program rules ahead of the remaining files;
    // they drop the units, so memory holds only the programs still being parsed.
    if (p != null && p.fileDone(index, o)) workers.submit(programJob(p), true);
  }
}
