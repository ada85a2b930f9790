package dev.kmodcheck.frontend;

import dev.kmodcheck.budget.WorkBudget;
import org.eclipse.cdt.core.parser.NullLogService;
import org.eclipse.cdt.internal.core.util.ICancelable;
import org.eclipse.cdt.internal.core.util.ICanceler;

/**
 * CDT's way to stop a parse from another thread: when the log service given to
 * getASTTranslationUnit is an {@link ICanceler}, CDT hands it a cancelable for the running scanner
 * and parser, which then fail with ParseError(TIMEOUT_OR_CANCELLED) at their next token. This log
 * passes that cancelable to the current thread's {@link WorkBudget}, so an expired budget stops the
 * parse. Macro expansion in progress is not interrupted (CDT checks only between tokens).
 */
final class CancelableParseLog extends NullLogService implements ICanceler {

  private final WorkBudget budget;
  private volatile boolean canceled;

  /** A log for one parse on this thread; without a budget it never cancels. */
  CancelableParseLog() {
    this.budget = WorkBudget.current();
  }

  @Override
  public void setCancelable(ICancelable cancelable) {
    if (budget == null) return;
    budget.onExpire(
        cancelable == null
            ? null
            : () -> {
              canceled = true;
              cancelable.cancel();
            });
  }

  @Override
  public void setCanceled(boolean value) {
    canceled = value;
  }

  @Override
  public boolean isCanceled() {
    return canceled;
  }
}
