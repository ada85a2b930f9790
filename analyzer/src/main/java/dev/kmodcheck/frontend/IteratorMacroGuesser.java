package dev.kmodcheck.frontend;

import java.util.Set;
import java.util.TreeSet;

/**
 * Finds, in header-less mode, unknown macros used like loop headers: {@code name(args) {} or
 * {@code name(args) stmt;} at statement start (after {@code ; { } ) :} or {@code else}). Kernel
 * code has hundreds of such iterators (for_each_efi_memory_desc, scoped_guard, driver-local
 * ones); without their definitions each one is a syntax error that hides the rest of the
 * function. They are predefined as {@code for (; (args); )}, which keeps the body, the argument
 * expressions and an unknown loop condition. A function definition never matches because its name
 * follows a type, not one of those tokens. A plain char scan (comments and literals skipped),
 * cheap next to parsing.
 */
final class IteratorMacroGuesser {

  static final String EXPANSION = "for (; (__VA_ARGS__); )";

  private IteratorMacroGuesser() {}

  /** Names to predefine as iterators, excluding the macro names in {@code known}. */
  static TreeSet<String> guess(char[] s, Set<String> known) {
    TreeSet<String> out = new TreeSet<>();
    int n = s.length;
    char prevTok = ';';
    // The previous token was the word "else" / "define" (words are only made into strings when
    // they stand at a statement start: this scan runs over every file).
    boolean prevElse = false;
    boolean prevDefine = false;
    int i = 0;
    while (i < n) {
      char c = s[i];
      if (c == '/' && i + 1 < n && s[i + 1] == '*') {
        i = skipBlockComment(s, i + 2);
        continue;
      }
      if (c == '/' && i + 1 < n && s[i + 1] == '/') {
        i = skipToEol(s, i);
        continue;
      }
      if (c == '#' && prevTok != 'w') {
        // A preprocessor line: directives are not statements.
        i = skipDirective(s, i);
        prevTok = ';';
        prevElse = prevDefine = false;
        continue;
      }
      if (c == '"' || c == '\'') {
        i = skipLiteral(s, i);
        prevTok = 'l';
        prevElse = prevDefine = false;
        continue;
      }
      if (Character.isJavaIdentifierStart(c)) {
        int start = i;
        while (i < n && Character.isJavaIdentifierPart(s[i])) {
          i++;
        }
        boolean atStatementStart =
            prevTok == ';'
                || prevTok == '{'
                || prevTok == '}'
                || prevTok == ')'
                || prevTok == ':'
                || prevElse;
        if (atStatementStart) {
          String word = new String(s, start, i - start);
          if (!isKeyword(word) && !known.contains(word)) {
            int end = matchCall(s, i);
            if (end > 0) {
              int next = skipSpace(s, end);
              if (next < n && (s[next] == '{' || Character.isJavaIdentifierStart(s[next]))) {
                out.add(word);
              }
            }
          }
        }
        prevTok = 'w';
        prevElse = is(s, start, i, "else");
        prevDefine = is(s, start, i, "define");
        continue;
      }
      if (!Character.isWhitespace(c)) {
        prevTok = c;
        prevElse = prevDefine = false;
      } else if (c == '\n' && prevTok == 'w' && prevDefine) {
        prevTok = ';';
      }
      i++;
    }
    return out;
  }

  /** Whether s[start, end) spells {@code word}. */
  private static boolean is(char[] s, int start, int end, String word) {
    if (end - start != word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (s[start + k] != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Index after the ')' matching a '(' right after {@code i} (spaces allowed), else -1. */
  private static int matchCall(char[] s, int i) {
    int j = skipSpace(s, i);
    if (j >= s.length || s[j] != '(') {
      return -1;
    }
    int depth = 0;
    for (; j < s.length; j++) {
      char c = s[j];
      if (c == '"' || c == '\'') {
        j = skipLiteral(s, j) - 1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (--depth == 0) {
          return j + 1;
        }
      } else if (c == ';' || c == '{' || c == '}') {
        return -1;
      }
    }
    return -1;
  }

  private static int skipSpace(char[] s, int i) {
    while (i < s.length) {
      if (Character.isWhitespace(s[i])) {
        i++;
      } else if (s[i] == '/' && i + 1 < s.length && s[i + 1] == '*') {
        i = skipBlockComment(s, i + 2);
      } else if (s[i] == '/' && i + 1 < s.length && s[i + 1] == '/') {
        i = skipToEol(s, i);
      } else {
        break;
      }
    }
    return i;
  }

  private static int skipBlockComment(char[] s, int i) {
    while (i + 1 < s.length && !(s[i] == '*' && s[i + 1] == '/')) {
      i++;
    }
    return Math.min(s.length, i + 2);
  }

  private static int skipToEol(char[] s, int i) {
    while (i < s.length && s[i] != '\n') {
      i++;
    }
    return i;
  }

  private static int skipDirective(char[] s, int i) {
    while (i < s.length && s[i] != '\n') {
      if (s[i] == '\\' && i + 1 < s.length && s[i + 1] == '\n') {
        i += 2;
        continue;
      }
      if (s[i] == '/' && i + 1 < s.length && s[i + 1] == '*') {
        i = skipBlockComment(s, i + 2);
        continue;
      }
      i++;
    }
    return i;
  }

  private static int skipLiteral(char[] s, int i) {
    char q = s[i++];
    while (i < s.length && s[i] != q && s[i] != '\n') {
      if (s[i] == '\\') {
        i++;
      }
      i++;
    }
    return Math.min(s.length, i + 1);
  }

  private static boolean isKeyword(String w) {
    return switch (w) {
      case "if",
          "for",
          "while",
          "switch",
          "return",
          "sizeof",
          "do",
          "else",
          "case",
          "goto",
          "typeof",
          "__typeof__",
          "__attribute__",
          "asm",
          "__asm__",
          "_Static_assert",
          "_Generic",
          "defined",
          "__builtin_offsetof",
          "volatile",
          "__volatile__",
          "static",
          "struct",
          "union",
          "enum",
          "const" ->
          true;
      default -> false;
    };
  }
}
