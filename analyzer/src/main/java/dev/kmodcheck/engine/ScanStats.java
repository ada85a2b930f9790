package dev.kmodcheck.engine;

/**
 * Counters of one scan. {@code millis} is wall time (excluded from determinism comparisons). {@code
 * filesFromCache} counts files whose results came from {@code --cache} without parsing; it is shown
 * in the text summary only, so JSON and SARIF are the same with and without a cache.
 *
 * @param parseProblems syntax problems in all files
 * @param filesWithProblems files with at least one syntax problem
 * @param filesSkipped files not analysed (parser failure, time budget, memory); each has an error
 *     notification naming the cause
 * @param ruleFailures times a rule failed on a file or a program: its findings there may be
 *     incomplete (each has an error notification); other rules' findings are kept
 * @param functionsLost function definitions that parse problems at file scope swallowed: no rule
 *     saw them (not counted in {@code functions})
 * @param linesLost source lines inside parse problems (at file scope or in functions)
 */
public record ScanStats(
    int files,
    long lines,
    int functions,
    int parseProblems,
    int filesWithProblems,
    int filesSkipped,
    int filesFromCache,
    int ruleFailures,
    int functionsLost,
    long linesLost,
    long millis) {

  /**
   * Below this share of functions analysed, a scan warns on standard error even without -v, and
   * {@code --strict} fails it.
   */
  public static final double WARN_COVERAGE_PERCENT = 95.0;

  /**
   * Percentage of the functions found in the sources (analysed or lost) that were analysed; 100
   * when there are none.
   */
  public double coveragePercent() {
    int all = functions + functionsLost;
    return all == 0 ? 100.0 : 100.0 * functions / all;
  }

  /** Counters of a scan without rule failures (they are counted since issue 7). */
  public ScanStats(
      int files,
      long lines,
      int functions,
      int parseProblems,
      int filesWithProblems,
      int filesSkipped,
      int filesFromCache,
      long millis) {
    this(
        files,
        lines,
        functions,
        parseProblems,
        filesWithProblems,
        filesSkipped,
        filesFromCache,
        0,
        0,
        0,
        millis);
  }

  /**
   * Whether some code was not analysed, or not by every rule: a skipped file, a failed rule, or
   * parse problems that cost more than {@link #WARN_COVERAGE_PERCENT} of the functions.
   */
  public boolean incomplete() {
    return filesSkipped > 0 || ruleFailures > 0 || coveragePercent() < WARN_COVERAGE_PERCENT;
  }
}
