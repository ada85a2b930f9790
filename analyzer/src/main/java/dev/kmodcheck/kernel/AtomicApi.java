package dev.kmodcheck.kernel;

import java.util.List;

/**
 * One row of atomic-apis.tsv: a kernel API entering or leaving atomic context (docs/kernel-facts.md
 * §4.3).
 *
 * @param kinds what the call turns on (ENTER, TRY_ENTER, GUARD) or off (EXIT), outermost first
 * @param lockArg 0-based index of the lock argument, or -1 when the API has no lock object
 */
public record AtomicApi(
    String name, Effect effect, List<AtomicKind> kinds, int lockArg, String source) {

  /** How the call changes the atomic state. */
  public enum Effect {
    ENTER,
    EXIT,
    /** Held only on the paths where the call's value is non-zero (trylocks, dec_and_lock). */
    TRY_ENTER,
    /** A lock class of guard(name)(args) / scoped_guard(name, args): held until scope end. */
    GUARD
  }
}
