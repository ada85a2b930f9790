package dev.kmodcheck.engine;

import dev.kmodcheck.check.Rule;
import dev.kmodcheck.frontend.BadInputException;
import java.util.List;

/** Runs a scan: finds the files, parses them in parallel, runs the rules, sorts the findings. */
public final class Scanner {

  private final List<Rule> rules;

  public Scanner(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Bad input (missing path, no C files, bad compile database) throws with a one-line message. */
  public ScanResult scan(ScanRequest request) throws BadInputException {
    throw new UnsupportedOperationException("TODO");
  }
}
