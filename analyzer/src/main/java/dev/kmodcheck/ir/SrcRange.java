package dev.kmodcheck.ir;

import java.io.Serializable;
import java.util.Objects;

/**
 * A region of a source file, as SARIF wants it: 1-based lines and columns, end column exclusive.
 * {@code file} is the path relative to the source root, with '/' separators. Nodes produced by a
 * macro expansion carry the range of the expansion in the file being analysed.
 */
public record SrcRange(String file, int line, int column, int endLine, int endColumn)
    implements Comparable<SrcRange>, Serializable {

  public static final SrcRange UNKNOWN = new SrcRange("", 0, 0, 0, 0);

  // Written out, with the values the generated ones give: the generated methods go through method
  // handles, which a re-scan's cold JVM runs slowly over hundreds of thousands of ranges.
  @Override
  public boolean equals(Object o) {
    return o instanceof SrcRange r
        && line == r.line
        && column == r.column
        && endLine == r.endLine
        && endColumn == r.endColumn
        && Objects.equals(file, r.file);
  }

  @Override
  public int hashCode() {
    int h = Objects.hashCode(file);
    h = 31 * h + line;
    h = 31 * h + column;
    h = 31 * h + endLine;
    return 31 * h + endColumn;
  }

  /**
   * Whether the file belongs to the scanned project: the frontend names files inside the source
   * root relative to it, and everything else (kernel headers read in build-aware mode) by an
   * absolute path, a path that leaves the root, or the shim's bracketed name.
   */
  public boolean inProject() {
    return !file.startsWith("/")
        && !file.startsWith("../")
        && !file.startsWith("<")
        && !(file.length() > 1 && file.charAt(1) == ':');
  }

  public String shortText() {
    return file + ":" + line;
  }

  @Override
  public int compareTo(SrcRange o) {
    int c = file.compareTo(o.file);
    if (c != 0) return c;
    c = Integer.compare(line, o.line);
    if (c != 0) return c;
    c = Integer.compare(column, o.column);
    if (c != 0) return c;
    c = Integer.compare(endLine, o.endLine);
    if (c != 0) return c;
    return Integer.compare(endColumn, o.endColumn);
  }
}
