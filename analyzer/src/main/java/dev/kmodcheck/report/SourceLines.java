package dev.kmodcheck.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Source lines of the analysed files, each file read at most once. Keyed by the resolved path
 * (source root + relative path), so one instance can serve several reports of the same scan.
 * Thread-safe.
 */
public final class SourceLines {

  private final Path root;
  private final Map<Path, Optional<Text>> files = new ConcurrentHashMap<>();

  /**
   * @param root the absolute source root the relative paths resolve against; null: no sources
   */
  public SourceLines(Path root) {
    this.root = root == null ? null : root.toAbsolutePath().normalize();
  }

  /**
   * The text of 1-based line {@code line} of {@code relativePath}, without its line end; empty if
   * the file cannot be read or has no such line. Lines end as {@link String#lines} ends them.
   */
  public Optional<String> line(String relativePath, int line) {
    if (root == null || relativePath == null || relativePath.isEmpty() || line < 1) {
      return Optional.empty();
    }
    Path file = root.resolve(relativePath).normalize();
    return files.computeIfAbsent(file, SourceLines::read).flatMap(t -> t.line(line));
  }

  /**
   * A file's bytes and where its lines start. Only the lines asked for are decoded: a whole-tree
   * report fingerprints findings in hundreds of files (20 MB for drivers/), one line of each.
   */
  private record Text(byte[] bytes, int[] starts, int count) {

    static Text of(byte[] b) {
      int[] starts = new int[64];
      int n = 0;
      int lineStart = 0;
      for (int i = 0; i < b.length; i++) {
        if (b[i] != '\n' && b[i] != '\r') continue;
        if (n == starts.length) starts = Arrays.copyOf(starts, n * 2);
        starts[n++] = lineStart;
        if (b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\n') i++;
        lineStart = i + 1;
      }
      if (lineStart < b.length) {
        if (n == starts.length) starts = Arrays.copyOf(starts, n + 1);
        starts[n++] = lineStart;
      }
      return new Text(b, starts, n);
    }

    Optional<String> line(int line) {
      if (line > count) return Optional.empty();
      int from = starts[line - 1];
      int to = from;
      while (to < bytes.length && bytes[to] != '\n' && bytes[to] != '\r') to++;
      // Kernel sources are UTF-8 or ASCII; a stray Latin-1 byte must not make the line
      // unreadable, and new String(...) replaces malformed input instead of throwing.
      return Optional.of(new String(bytes, from, to - from, StandardCharsets.UTF_8));
    }
  }

  private static Optional<Text> read(Path file) {
    try {
      return Optional.of(Text.of(Files.readAllBytes(file)));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
