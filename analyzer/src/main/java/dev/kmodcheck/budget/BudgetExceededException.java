package dev.kmodcheck.budget;

/** Thrown at a {@link WorkBudget#checkpoint()} once the work's time is up. */
public final class BudgetExceededException extends RuntimeException {

  public BudgetExceededException(WorkBudget budget) {
    super("exceeded the time budget of " + budget.describe(), null, false, false);
  }
}
