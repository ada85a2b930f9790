package dev.kmodcheck.check;

import java.util.Locale;

/**
 * How much an atomic-context finding depends on what the tool cannot decide. A {@link #CERTAIN}
 * finding's chain runs whenever the call does; a {@link #CONDITIONAL} one runs only under branch
 * conditions on run-time state (device mode, flags the callers pass in variables, error codes) that
 * the message names. Only certain findings keep their rule's severity; conditional ones are notes,
 * visible in every format but below the default CI gate (docs/evaluation.md measures both).
 */
public enum Confidence {
  CERTAIN,
  CONDITIONAL;

  /** The JSON and SARIF spelling: "certain", "conditional". */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
