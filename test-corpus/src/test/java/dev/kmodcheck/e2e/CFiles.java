package dev.kmodcheck.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes small kernel-style C sources for a test and finds lines in them. */
final class CFiles {

  private CFiles() {}

  static Path write(Path dir, String name, String... lines) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 1-based number of the only line containing {@code needle}. */
  static int lineOf(Path file, String needle) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      int found = 0;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).contains(needle)) {
          if (found != 0) throw new IllegalArgumentException(needle + " occurs twice in " + file);
          found = i + 1;
        }
      }
      if (found == 0) throw new IllegalArgumentException(needle + " not in " + file);
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
