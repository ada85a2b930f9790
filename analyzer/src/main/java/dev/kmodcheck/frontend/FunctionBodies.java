package dev.kmodcheck.frontend;

import java.util.Arrays;

/**
 * Blanks the bodies of file-scope function definitions in a header's text, so that a unit which
 * does not own the header (see {@link ModuleHeaderPlan}) parses only the prototypes. The owner unit
 * parses the header in full and translates its functions once for the whole scan.
 *
 * <p>The result has the same length and the same line breaks as the input, so every offset, line
 * and column in the header stays valid: the body's opening brace becomes {@code ;} and everything
 * up to the matching closing brace becomes spaces (newlines kept). A body is a brace at depth 0
 * that follows a declarator's closing parenthesis (after any {@code __attribute__((...))}); a brace
 * after {@code struct}/{@code union}/{@code enum}, an initializer or a macro argument list ending
 * in another token is left alone.
 *
 * <p>Comments, string and character literals and preprocessor lines (with continuations) are
 * skipped. When a header cannot be read with certainty (unbalanced braces, or a preprocessor
 * conditional inside a body, where the two branches may open different numbers of braces) the
 * method returns null and the caller keeps the full text.
 */
final class FunctionBodies {

  private FunctionBodies() {}

  /** The text with function bodies blanked, the input itself if it has none, or null if unsure. */
  static char[] strip(char[] src) {
    char[] out = null;
    int depth = 0;
    int bodyStart = -1; // offset of the '{' of the body being blanked, at depth 1
    boolean lineStart = true;
    int n = src.length;
    int i = 0;
    while (i < n) {
      char c = src[i];
      if (c == '\n') {
        lineStart = true;
        i++;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        i++;
        continue;
      }
      if (c == '#' && lineStart) {
        int end = directiveEnd(src, i);
        if (bodyStart >= 0 && isConditional(src, i + 1, end)) {
          return null;
        }
        i = end;
        continue;
      }
      lineStart = false;
      if (c == '/' && i + 1 < n && src[i + 1] == '*') {
        int close = indexOf(src, i + 2, '*', '/');
        if (close < 0) return null;
        i = close + 2;
        continue;
      }
      if (c == '/' && i + 1 < n && src[i + 1] == '/') {
        i = lineEnd(src, i);
        continue;
      }
      if (c == '"' || c == '\'') {
        int end = literalEnd(src, i);
        if (end < 0) return null;
        i = end;
        continue;
      }
      if (c == '{') {
        if (depth == 0 && isFunctionBody(src, i)) {
          bodyStart = i;
        }
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth < 0) return null;
        if (depth == 0 && bodyStart >= 0) {
          if (out == null) out = Arrays.copyOf(src, n);
          blank(out, bodyStart, i);
          bodyStart = -1;
        }
      }
      i++;
    }
    if (depth != 0 || bodyStart >= 0) return null;
    return out == null ? src : out;
  }

  private static void blank(char[] out, int open, int close) {
    out[open] = ';';
    for (int k = open + 1; k <= close; k++) {
      if (out[k] != '\n' && out[k] != '\r') out[k] = ' ';
    }
  }

  /** Whether the '{' at {@code brace} (depth 0) opens a function body. */
  private static boolean isFunctionBody(char[] s, int brace) {
    int p = skipBack(s, brace - 1);
    while (p >= 0 && s[p] == ')') {
      int open = matchingOpen(s, p);
      if (open < 0) return false;
      int q = skipBack(s, open - 1);
      int wordEnd = q + 1;
      while (q >= 0 && isIdent(s[q])) q--;
      String word = new String(s, q + 1, wordEnd - q - 1);
      if (word.equals("__attribute__") || word.equals("__attribute")) {
        p = skipBack(s, q);
        continue;
      }
      // A declarator "name(...)" or "(*name(...))(...)"; not a keyword such as sizeof.
      return !word.isEmpty() && !Character.isDigit(word.charAt(0)) && !isKeyword(word)
          || word.isEmpty() && q >= 0 && s[q] == ')';
    }
    return false;
  }

  private static boolean isKeyword(String w) {
    return switch (w) {
      case "sizeof",
          "typeof",
          "__typeof__",
          "__typeof",
          "_Alignas",
          "alignas",
          "_Alignof",
          "__alignof__",
          "asm",
          "__asm__",
          "__asm",
          "if",
          "while",
          "for",
          "switch",
          "return" ->
          true;
      default -> false;
    };
  }

  /** The last non-blank offset at or before {@code p} (comments are not expected there), or -1. */
  private static int skipBack(char[] s, int p) {
    while (p >= 0 && Character.isWhitespace(s[p])) p--;
    return p;
  }

  /** The '(' matching the ')' at {@code close}, scanning backwards, or -1. */
  private static int matchingOpen(char[] s, int close) {
    int d = 0;
    for (int k = close; k >= 0; k--) {
      if (s[k] == ')') {
        d++;
      } else if (s[k] == '(') {
        d--;
        if (d == 0) return k;
      } else if (s[k] == ';' || s[k] == '{' || s[k] == '}' || s[k] == '#') {
        return -1;
      }
    }
    return -1;
  }

  private static boolean isIdent(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  private static boolean isConditional(char[] s, int from, int end) {
    int k = from;
    while (k < end && (s[k] == ' ' || s[k] == '\t')) k++;
    int w = k;
    while (k < end && Character.isLetter(s[k])) k++;
    String d = new String(s, w, k - w);
    return d.startsWith("if") || d.equals("else") || d.equals("elif") || d.equals("endif");
  }

  /** Offset just after a preprocessor line, following backslash continuations. */
  private static int directiveEnd(char[] s, int i) {
    int n = s.length;
    while (i < n) {
      char c = s[i];
      if (c == '\n') {
        int k = i - 1;
        if (k >= 0 && s[k] == '\r') k--;
        if (k >= 0 && s[k] == '\\') {
          i++;
          continue;
        }
        return i;
      }
      if (c == '/' && i + 1 < n && s[i + 1] == '*') {
        int close = indexOf(s, i + 2, '*', '/');
        if (close < 0) return n;
        i = close + 2;
        continue;
      }
      i++;
    }
    return n;
  }

  private static int lineEnd(char[] s, int i) {
    while (i < s.length && s[i] != '\n') i++;
    return i;
  }

  private static int indexOf(char[] s, int from, char a, char b) {
    for (int k = from; k + 1 < s.length; k++) {
      if (s[k] == a && s[k + 1] == b) return k;
    }
    return -1;
  }

  /** Offset after the closing quote of the literal starting at {@code i}, or -1. */
  private static int literalEnd(char[] s, int i) {
    char q = s[i];
    for (int k = i + 1; k < s.length; k++) {
      char c = s[k];
      if (c == '\\') {
        k++;
      } else if (c == q) {
        return k + 1;
      } else if (c == '\n') {
        return -1;
      }
    }
    return -1;
  }
}
