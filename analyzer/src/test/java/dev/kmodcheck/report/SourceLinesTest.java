package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines as fingerprints need them: exactly those of {@link String#lines} on the decoded file. */
class SourceLinesTest {

  @TempDir Path root;

  private static final byte[][] INPUTS = {
    "".getBytes(StandardCharsets.UTF_8),
    "\n".getBytes(StandardCharsets.UTF_8),
    "one".getBytes(StandardCharsets.UTF_8),
    "one\ntwo\n".getBytes(StandardCharsets.UTF_8),
    "one\r\ntwo\r\n\r\nfour".getBytes(StandardCharsets.UTF_8),
    "lone\rcarriage\n\rreturns\r".getBytes(StandardCharsets.UTF_8),
    "\uFEFFbom then \u00e9t\u00e9 \u4e2d\u6587\n\tkmalloc(n);\n".getBytes(StandardCharsets.UTF_8),
    {'a', (byte) 0xE9, '\n', (byte) 0xC3, '\n', 'b', (byte) 0xF0, (byte) 0x9F, '\r', '\n', 'c'},
  };

  @Test
  void everyLineEqualsTheDecodedFilesLine() throws IOException {
    for (int k = 0; k < INPUTS.length; k++) {
      String name = "f" + k + ".c";
      Files.write(root.resolve(name), INPUTS[k]);
      List<String> expected = new String(INPUTS[k], StandardCharsets.UTF_8).lines().toList();
      SourceLines lines = new SourceLines(root);
      for (int line = 1; line <= expected.size(); line++) {
        assertEquals(
            Optional.of(expected.get(line - 1)), lines.line(name, line), name + ":" + line);
      }
      assertEquals(Optional.empty(), lines.line(name, expected.size() + 1), name + " past the end");
    }
  }

  @Test
  void aMissingFileHasNoLines() {
    assertEquals(Optional.empty(), new SourceLines(root).line("nope.c", 1));
    assertEquals(Optional.empty(), new SourceLines(null).line("nope.c", 1));
  }
}
