package dev.kmodcheck.budget;

import java.util.concurrent.TimeUnit;

/**
 * The time one piece of scan work (a file, or a program's whole-program rules) may take. The engine
 * installs one per work item on the worker thread and expires it when the time is up; the parser
 * and long-running analyses then stop at their next {@link #checkpoint()} by throwing {@link
 * BudgetExceededException}. Interrupts are not used: CDT and file channels react to them in ways
 * that could poison shared caches.
 */
public final class WorkBudget {

  private static final ThreadLocal<WorkBudget> CURRENT = new ThreadLocal<>();

  private final long millis;
  private volatile boolean expired;
  private Runnable onExpire;

  /** A budget of {@code millis} milliseconds, not yet installed on any thread. */
  public WorkBudget(long millis) {
    this.millis = millis;
  }

  public long millis() {
    return millis;
  }

  /** The seconds of the budget, for messages ("60 s"). */
  public String describe() {
    long seconds = TimeUnit.MILLISECONDS.toSeconds(millis);
    return seconds > 0 ? seconds + " s" : millis + " ms";
  }

  /** The budget of the work running on this thread, or null outside budgeted work. */
  public static WorkBudget current() {
    return CURRENT.get();
  }

  /** Runs {@code work} with this budget installed as the current thread's. */
  public void runOnThisThread(Runnable work) {
    WorkBudget outer = CURRENT.get();
    CURRENT.set(this);
    try {
      work.run();
    } finally {
      CURRENT.set(outer);
    }
  }

  /** Throws if the current thread's work is over its budget; cheap enough for inner loops. */
  public static void checkpoint() {
    WorkBudget b = CURRENT.get();
    if (b != null && b.expired) throw new BudgetExceededException(b);
  }

  public boolean expired() {
    return expired;
  }

  /**
   * Registers how to stop code that cannot call {@link #checkpoint()} (CDT's parser); runs it at
   * once if the budget has already expired. {@code null} unregisters.
   */
  public synchronized void onExpire(Runnable cancel) {
    onExpire = cancel;
    if (expired && cancel != null) cancel.run();
  }

  /** Called by the engine's watchdog when the time is up. */
  public void expire() {
    Runnable cancel;
    synchronized (this) {
      expired = true;
      cancel = onExpire;
    }
    if (cancel != null) cancel.run();
  }
}
