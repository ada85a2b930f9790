package dev.kmodcheck.ir;

/**
 * A syntax problem the parser reported; it may hide declarations or calls.
 *
 * @param lostFunctions function definitions the problem swallowed whole (a problem at file scope
 *     whose text holds {@code (...) { ... }} bodies), so that no rule sees them; 0 for a problem
 *     inside a function, which loses only part of that function
 */
public record ParseProblem(SrcRange range, String message, int lostFunctions) {

  public ParseProblem(SrcRange range, String message) {
    this(range, message, 0);
  }

  /** Source lines the problem covers, none of which is analysed. */
  public int lostLines() {
    return Math.max(1, range.endLine() - range.line() + 1);
  }
}
