package dev.kmodcheck.facts;

import java.nio.charset.StandardCharsets;

/** Lengths of C string literals as spelled in the source. */
final class StringLits {

  private StringLits() {}

  /**
   * Number of chars (without the terminating NUL) of a narrow string literal spelled with its
   * quotes, adjacent literals concatenated ({@code "ab" "c"} is 3); null for wide or UTF-16/32
   * literals and anything malformed. UTF-8 text counts its bytes.
   */
  static Integer length(String spelling) {
    if (spelling == null) return null;
    String s = spelling.trim();
    int i = 0;
    int len = 0;
    boolean any = false;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (s.startsWith("u8\"", i)) {
        i += 2;
      } else if (c != '"') {
        return null;
      }
      i++; // opening quote
      any = true;
      while (true) {
        if (i >= s.length()) return null;
        char ch = s.charAt(i);
        if (ch == '"') {
          i++;
          break;
        }
        if (ch == '\\') {
          if (i + 1 >= s.length()) return null;
          char n = s.charAt(i + 1);
          if (n == 'x') {
            int j = i + 2;
            while (j < s.length() && Character.digit(s.charAt(j), 16) >= 0) j++;
            if (j == i + 2) return null;
            i = j;
          } else if (n >= '0' && n <= '7') {
            int j = i + 1;
            while (j < s.length() && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7') j++;
            i = j;
          } else if (n == 'u' || n == 'U') {
            return null; // universal character names: byte count depends on the encoding
          } else {
            i += 2;
          }
          len++;
        } else {
          int cp = s.codePointAt(i);
          len += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
          i += Character.charCount(cp);
        }
      }
    }
    return any ? len : null;
  }
}
