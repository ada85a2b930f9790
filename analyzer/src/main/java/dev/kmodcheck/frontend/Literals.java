package dev.kmodcheck.frontend;

import java.math.BigInteger;

/** Exact values of C integer and character literal spellings (no regex: this runs per literal). */
final class Literals {

  private Literals() {}

  /** An integer literal's value and suffix flags, or null when the spelling is not one. */
  record IntValue(BigInteger value, boolean unsigned, int longness) {}

  static IntValue parseInt(String text) {
    int end = text.length();
    boolean unsigned = false;
    int longness = 0;
    while (end > 0) {
      char c = text.charAt(end - 1);
      if (c == 'u' || c == 'U') {
        unsigned = true;
      } else if (c == 'l' || c == 'L') {
        longness++;
      } else {
        break;
      }
      end--;
    }
    String body = text.substring(0, end);
    int radix = 10;
    int start = 0;
    if (body.length() > 1 && body.charAt(0) == '0') {
      char p = body.charAt(1);
      if (p == 'x' || p == 'X') {
        radix = 16;
        start = 2;
      } else if (p == 'b' || p == 'B') {
        radix = 2;
        start = 2;
      } else {
        radix = 8;
        start = 1;
      }
    }
    if (longness > 2) {
      return null;
    }
    // Most literals are short plain ASCII digits: their value fits a long, no BigInteger parse.
    int n = end - start;
    if (n > 0 && n <= 15) {
      long v = 0;
      int i = start;
      for (; i < end; i++) {
        char c = body.charAt(i);
        int d =
            c >= '0' && c <= '9'
                ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
        if (d >= radix) {
          break;
        }
        v = v * radix + d;
      }
      if (i == end) {
        return new IntValue(BigInteger.valueOf(v), unsigned, longness);
      }
    }
    String digits = body.substring(start).replace("'", "");
    if (digits.isEmpty()) {
      return null;
    }
    try {
      return new IntValue(new BigInteger(digits, radix), unsigned, longness);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Value of a character constant such as {@code 'a'}, {@code '\n'}, {@code '\x1f'}, {@code '\101'}
   * or {@code L'a'}; multi-character constants combine bytes as GCC does. Null if the spelling is
   * not understood.
   */
  static BigInteger parseChar(String text) {
    int q = text.indexOf('\'');
    int last = text.lastIndexOf('\'');
    if (q < 0 || last <= q) {
      return null;
    }
    boolean wide = q > 0;
    long value = 0;
    int i = q + 1;
    int count = 0;
    while (i < last) {
      char c = text.charAt(i++);
      long v;
      if (c != '\\') {
        v = c;
      } else {
        if (i >= last) {
          return null;
        }
        char e = text.charAt(i++);
        switch (e) {
          case 'n' -> v = '\n';
          case 't' -> v = '\t';
          case 'r' -> v = '\r';
          case 'a' -> v = 7;
          case 'b' -> v = '\b';
          case 'f' -> v = '\f';
          case 'v' -> v = 11;
          case 'e' -> v = 27;
          case 'x' -> {
            int s = i;
            while (i < last && Character.digit(text.charAt(i), 16) >= 0) {
              i++;
            }
            if (s == i) {
              return null;
            }
            v = Long.parseLong(text.substring(s, Math.min(i, s + 15)), 16);
          }
          default -> {
            if (e >= '0' && e <= '7') {
              int s = i - 1;
              while (i < last && i < s + 3 && text.charAt(i) >= '0' && text.charAt(i) <= '7') {
                i++;
              }
              v = Long.parseLong(text.substring(s, i), 8);
            } else {
              v = e;
            }
          }
        }
      }
      value = wide ? v : (value << 8) | (v & 0xff);
      count++;
    }
    if (count == 0) {
      return null;
    }
    if (!wide && count == 1) {
      // Plain char is signed on x86_64: '\xff' is -1.
      value = (byte) value;
    }
    return BigInteger.valueOf(value);
  }
}
