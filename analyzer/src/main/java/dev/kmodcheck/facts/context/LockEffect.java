package dev.kmodcheck.facts.context;

import java.util.List;

/**
 * A function's net effect on atomic state when it returns, for callers: locks it leaves held
 * ({@code acquired}, e.g. a lock wrapper or sparse __acquires) and locks of its caller it releases
 * ({@code released}, by {@link AtomicCause#lock()} text or kind; sparse __releases).
 */
public record LockEffect(List<AtomicCause> acquired, List<String> released) {
  public static final LockEffect NONE = new LockEffect(List.of(), List.of());

  public boolean isNone() {
    return acquired.isEmpty() && released.isEmpty();
  }
}
