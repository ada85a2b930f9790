package dev.kmodcheck.frontend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Header files read once and shared by all translation units and worker threads of one {@link
 * Frontend}: kernel headers are included by thousands of .c files, so reading and decoding them per
 * unit would dominate build-aware scans. Existence checks (one per include-path candidate) are
 * cached too.
 */
final class HeaderCache {

  private final ConcurrentHashMap<String, Boolean> exists = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SourceText> texts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, char[]> withoutBodies = new ConcurrentHashMap<>();

  /** Whether a regular file is there; a name no path can hold (a NUL in it) is not. */
  boolean exists(String path) {
    return exists.computeIfAbsent(path, HeaderCache::isRegularFile);
  }

  static boolean isRegularFile(String path) {
    try {
      return Files.isRegularFile(Path.of(path));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** The file's text, or null when it cannot be read (treated like a missing include). */
  SourceText text(String path) {
    try {
      return texts.computeIfAbsent(
          path,
          p -> {
            try {
              return SourceText.read(Path.of(p));
            } catch (InvalidPathException e) {
              throw new UncheckedIOException(new IOException(e.getMessage(), e));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      return null;
    }
  }

  /**
   * The header's characters with function bodies blanked ({@link FunctionBodies}), or its full text
   * when that cannot be done safely; null when it cannot be read. Offsets are unchanged, so {@link
   * #cached} still maps them to lines.
   */
  char[] withoutBodies(String path) {
    SourceText text = text(path);
    if (text == null) {
      return null;
    }
    return withoutBodies.computeIfAbsent(
        path,
        p -> {
          char[] stripped = FunctionBodies.strip(text.chars);
          return stripped == null ? text.chars : stripped;
        });
  }

  /** Text of a header already served to CDT, for computing line/column of nodes in it. */
  SourceText cached(String path) {
    return texts.get(path);
  }
}
