package dev.kmodcheck.engine;

import dev.kmodcheck.check.Finding;

/**
 * A finding left out of the reports: by a comment in the source ({@code inSource}) or by the
 * baseline ({@code external}), the SARIF suppression kinds. {@code --include-suppressed} puts them
 * in SARIF with a {@code suppressions} entry, which GitHub code scanning ignores.
 *
 * @param justification the comment's reason, or where the baseline is
 */
public record Suppressed(Finding finding, Kind kind, String justification) {

  public enum Kind {
    IN_SOURCE("inSource"),
    BASELINE("external");

    private final String sarif;

    Kind(String sarif) {
      this.sarif = sarif;
    }

    public String sarifKind() {
      return sarif;
    }
  }
}
