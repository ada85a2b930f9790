package dev.kmodcheck.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the kernel-knowledge tables (alloc-apis.tsv, sleep-apis.tsv, ...): one row per line,
 * tab-separated cells, blank lines and '#' comments skipped. A malformed row fails with the table
 * name and line number, so a user extending a table sees where.
 */
public final class DataTable {
  private DataTable() {}

  /** Parses a table from a stream. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(InputStream in) throws IOException;
  }

  /**
   * Calls {@code row} with the cells of every data row. A row with fewer than {@code columns}
   * cells, or one that {@code row} rejects with IllegalArgumentException, fails with "source:line:
   * reason".
   */
  public static void read(InputStream in, String source, int columns, Consumer<String[]> row)
      throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] cells = line.split("\t", -1);
      try {
        if (cells.length < columns) {
          throw new IllegalArgumentException(
              "expected " + columns + " tab-separated columns, got " + cells.length);
        }
        row.accept(cells);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
      }
    }
  }

  /** Loads a table shipped in the jar next to {@code anchor} (an absolute resource path works). */
  public static <T> T load(Class<?> anchor, String resource, Parser<T> parser) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " is missing from the jar");
      return parser.parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
