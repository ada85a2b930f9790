package dev.kmodcheck.check;

import java.util.Locale;

/** Finding severity, ordered from most to least severe; maps 1:1 to SARIF levels. */
public enum Severity {
  ERROR("error"),
  WARNING("warning"),
  NOTE("note");

  private final String sarifLevel;

  Severity(String sarifLevel) {
    this.sarifLevel = sarifLevel;
  }

  public String sarifLevel() {
    return sarifLevel;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True if this severity is at least as severe as {@code threshold}. */
  public boolean atLeast(Severity threshold) {
    return ordinal() <= threshold.ordinal();
  }
}
