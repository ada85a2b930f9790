package dev.kmodcheck.frontend;

import java.util.ArrayList;
import java.util.List;

/** Splits a POSIX-shell-quoted command line into words (quotes and backslashes, no expansion). */
final class ShellWords {

  private ShellWords() {}

  /** The words, or null when a quote is left open. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    int n = line.length();
    for (int i = 0; i < n; i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          return null;
        }
        cur.append(line, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '"') {
        i++;
        while (i < n && line.charAt(i) != '"') {
          char d = line.charAt(i);
          if (d == '\\' && i + 1 < n && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
            d = line.charAt(++i);
          }
          cur.append(d);
          i++;
        }
        if (i >= n) {
          return null;
        }
        inWord = true;
      } else if (c == '\\' && i + 1 < n) {
        cur.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }
}
