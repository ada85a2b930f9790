package dev.kmodcheck.frontend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The characters of one file as CDT sees them, plus the line-start table that turns CDT's char
 * offsets into 1-based line/column pairs. Decoding never fails: invalid UTF-8 becomes U+FFFD (one
 * char per bad byte sequence, so offsets stay consistent with what CDT parsed), and a leading BOM
 * is replaced by a space rather than removed so that columns on line 1 do not shift.
 */
final class SourceText {

  final char[] chars;
  private final int[] lineStarts;

  SourceText(char[] chars) {
    this.chars = chars;
    this.lineStarts = computeLineStarts(chars);
  }

  static SourceText read(Path file) throws IOException {
    return decode(Files.readAllBytes(file));
  }

  static SourceText decode(byte[] bytes) {
    char[] chars = new String(bytes, StandardCharsets.UTF_8).toCharArray();
    if (chars.length > 0 && chars[0] == '\uFEFF') {
      chars[0] = ' ';
    }
    return new SourceText(chars);
  }

  private static int[] computeLineStarts(char[] chars) {
    int[] starts = new int[64];
    int n = 1;
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] == '\n') {
        if (n == starts.length) {
          starts = Arrays.copyOf(starts, n * 2);
        }
        starts[n++] = i + 1;
      }
    }
    return Arrays.copyOf(starts, n);
  }

  /** Number of lines; a final line without newline counts, an empty file has none. */
  int lineCount() {
    if (chars.length == 0) {
      return 0;
    }
    int n = lineStarts.length;
    return chars[chars.length - 1] == '\n' ? n - 1 : n;
  }

  /** 1-based line of a char offset. */
  int lineOf(int offset) {
    int i = Arrays.binarySearch(lineStarts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** 1-based column of a char offset on the given 1-based line. */
  int columnOf(int offset, int line) {
    return offset - lineStarts[line - 1] + 1;
  }
}
