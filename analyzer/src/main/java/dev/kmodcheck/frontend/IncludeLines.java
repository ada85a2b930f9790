package dev.kmodcheck.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the quoted #include lines of a file that every preprocessor configuration reaches: those
 * outside any #if/#ifdef/#ifndef block, where a header's include guard (a leading {@code #ifndef X}
 * directly followed by {@code #define X}) does not count as a block. Block comments are skipped;
 * anything unusual makes the scan give up on the rest of the file (fewer certain includes is the
 * safe direction).
 */
final class IncludeLines {

  private IncludeLines() {}

  static List<String> unconditionalQuoted(char[] s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int guardDepth = 0; // 1 while inside the include guard
    boolean first = true; // no directive seen yet
    String guardCandidate = null; // name of a leading #ifndef, until the next directive
    boolean inComment = false;
    int n = s.length;
    int i = 0;
    while (i < n) {
      int lineEnd = i;
      while (lineEnd < n && s[lineEnd] != '\n') lineEnd++;
      int k = i;
      if (inComment) {
        int close = find(s, k, lineEnd, '*', '/');
        if (close < 0) {
          i = lineEnd + 1;
          continue;
        }
        inComment = false;
        k = close + 2;
      }
      while (k < lineEnd && (s[k] == ' ' || s[k] == '\t')) k++;
      if (k < lineEnd && s[k] == '#') {
        int w = k + 1;
        while (w < lineEnd && (s[w] == ' ' || s[w] == '\t')) w++;
        int we = w;
        while (we < lineEnd && Character.isLetter(s[we])) we++;
        String d = new String(s, w, we - w);
        String arg = new String(s, we, lineEnd - we).trim();
        String pending = guardCandidate;
        guardCandidate = null;
        switch (d) {
          case "if", "ifdef" -> depth++;
          case "ifndef" -> {
            depth++;
            if (first) guardCandidate = word(arg);
          }
          case "endif" -> {
            depth--;
            if (depth < guardDepth) guardDepth = depth;
            if (depth < 0) return out;
          }
          case "define" -> {
            if (pending != null && pending.equals(word(arg)) && depth == 1) guardDepth = 1;
          }
          case "include" -> {
            if (depth == guardDepth && arg.length() > 2 && arg.charAt(0) == '"') {
              int close = arg.indexOf('"', 1);
              if (close > 1) out.add(arg.substring(1, close));
            }
          }
          default -> {}
        }
        first = false;
        // A directive continued on the next line: skip the continuation lines.
        while (lineEnd < n && lineEnd > 0 && endsWithBackslash(s, i, lineEnd)) {
          i = lineEnd + 1;
          lineEnd = i;
          while (lineEnd < n && s[lineEnd] != '\n') lineEnd++;
        }
      } else {
        // Code or comments: only track whether a block comment stays open past this line.
        for (int c = k; c < lineEnd; c++) {
          if (s[c] == '/' && c + 1 < lineEnd && s[c + 1] == '/') break;
          if (s[c] == '/' && c + 1 < lineEnd && s[c + 1] == '*') {
            int close = find(s, c + 2, lineEnd, '*', '/');
            if (close < 0) {
              inComment = true;
              break;
            }
            c = close + 1;
          } else if (s[c] == '"' || s[c] == '\'') {
            char q = s[c];
            c++;
            while (c < lineEnd && s[c] != q) {
              if (s[c] == '\\') c++;
              c++;
            }
          }
        }
        if (k < lineEnd && !inComment && first && !blankOrComment(s, k, lineEnd)) {
          first = false;
        }
      }
      i = lineEnd + 1;
    }
    return out;
  }

  /**
   * Whether the file protects itself against a second inclusion (a leading {@code #ifndef X} /
   * {@code #define X} pair, or {@code #pragma once}). Headers without are often templates included
   * several times under different macros, so their functions depend on the including file.
   */
  static boolean isGuarded(char[] s) {
    String text = new String(s);
    if (text.contains("#pragma once")) return true;
    Matcher m = Pattern.compile("(?m)^\\s*#\\s*(\\w+)[ \\t]*(\\w*)").matcher(text);
    if (!m.find() || !m.group(1).equals("ifndef") || m.group(2).isEmpty()) return false;
    String guard = m.group(2);
    return m.find() && m.group(1).equals("define") && m.group(2).equals(guard);
  }

  private static boolean blankOrComment(char[] s, int k, int end) {
    return k >= end || s[k] == '/' || s[k] == '*' || s[k] == '\r';
  }

  private static boolean endsWithBackslash(char[] s, int start, int lineEnd) {
    int e = lineEnd - 1;
    if (e >= start && s[e] == '\r') e--;
    return e >= start && s[e] == '\\';
  }

  private static String word(String arg) {
    int e = 0;
    while (e < arg.length() && (Character.isLetterOrDigit(arg.charAt(e)) || arg.charAt(e) == '_')) {
      e++;
    }
    return arg.substring(0, e);
  }

  private static int find(char[] s, int from, int end, char a, char b) {
    for (int k = from; k + 1 < end; k++) {
      if (s[k] == a && s[k + 1] == b) return k;
    }
    return -1;
  }
}
