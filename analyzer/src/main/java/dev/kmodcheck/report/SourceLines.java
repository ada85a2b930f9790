package dev.kmodcheck.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  private final Map<Path, Optional<List<String>>> files = new ConcurrentHashMap<>();

  /**
   * @param root the absolute source root the relative paths resolve against; null: no sources
   */
  public SourceLines(Path root) {
    this.root = root == null ? null : root.toAbsolutePath().normalize();
  }

  /**
   * The text of 1-based line {@code line} of {@code relativePath}, without its line end; empty if
   * the file cannot be read or has no such line.
   */
  public Optional<String> line(String relativePath, int line) {
    if (root == null || relativePath == null || relativePath.isEmpty() || line < 1) {
      return Optional.empty();
    }
    Path file = root.resolve(relativePath).normalize();
    Optional<List<String>> lines = files.computeIfAbsent(file, SourceLines::read);
    return lines.filter(l -> line <= l.size()).map(l -> l.get(line - 1));
  }

  private static Optional<List<String>> read(Path file) {
    try {
      // Kernel sources are UTF-8 or ASCII; a stray Latin-1 byte must not make the file unreadable,
      // and new String(...) replaces malformed input instead of throwing.
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      return Optional.of(text.lines().toList());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
