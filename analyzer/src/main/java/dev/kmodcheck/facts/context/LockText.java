package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.VarDecl;
import java.util.ArrayList;
import java.util.List;

/**
 * Lock texts ({@link ExprKey} form, e.g. {@code &(f->lock)}): translating a callee's text to the
 * caller's arguments, and reading sparse annotation text ({@code __acquires(&f->lock)}) into the
 * same form.
 */
final class LockText {
  private LockText() {}

  /**
   * Replaces each parameter name of the callee (a whole identifier that is not a field name) by the
   * caller's argument text; {@code p->x} with argument {@code &(s)} becomes {@code s.x}, as the
   * caller would write it.
   */
  static String substitute(String text, List<String> params, List<Expr> args) {
    if (params.isEmpty()) return text;
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isJavaIdentifierStart(c)) {
        int start = i;
        while (i < n && Character.isJavaIdentifierPart(text.charAt(i))) i++;
        String word = text.substring(start, i);
        int p = field(text, start) ? -1 : params.indexOf(word);
        if (p < 0 || p >= args.size()) {
          out.append(word);
          continue;
        }
        String arg = ExprKey.of(args.get(p));
        boolean arrow = text.startsWith("->", i);
        if (arrow && arg.startsWith("&(") && arg.endsWith(")") && balanced(arg, 2)) {
          out.append(arg, 2, arg.length() - 1).append('.');
          i += 2;
        } else if (simple(arg)) {
          out.append(arg);
        } else {
          out.append('(').append(arg).append(')');
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** True when {@code text} names variable {@code var} (a whole identifier, not a field name). */
  static boolean mentions(String text, String var) {
    int from = 0;
    while (true) {
      int at = text.indexOf(var, from);
      if (at < 0) return false;
      int end = at + var.length();
      boolean whole =
          (at == 0 || !Character.isJavaIdentifierPart(text.charAt(at - 1)))
              && (end == text.length() || !Character.isJavaIdentifierPart(text.charAt(end)));
      if (whole && !field(text, at)) return true;
      from = at + 1;
    }
  }

  /** {@code text} with variable {@code from} written as variable {@code to}. */
  static String rename(String text, String from, String to) {
    return substitute(
        text,
        List.of(from),
        List.of(new Expr.Ident(SrcRange.UNKNOWN, null, to, Expr.IdKind.LOCAL, null, null)));
  }

  private static boolean field(String text, int start) {
    return start > 0
        && (text.charAt(start - 1) == '.'
            || (start > 1 && text.charAt(start - 1) == '>' && text.charAt(start - 2) == '-'));
  }

  /**
   * The text with each parameter name (a whole identifier that is not a field name) written as its
   * position, {@code $0}, {@code $1}, ...: a lock of a kernel summary, which {@link #substitute}
   * later fills with a module's arguments (parameters {@code $0}, {@code $1}, ...).
   */
  static String positional(String text, List<String> params) {
    List<Expr> positions = new ArrayList<>(params.size());
    for (String p : positions(params.size())) {
      positions.add(new Expr.Ident(SrcRange.UNKNOWN, null, p, Expr.IdKind.PARAM, null, null));
    }
    return substitute(text, params, positions);
  }

  /** "$0", "$1", ... for {@code n} parameters. */
  static List<String> positions(int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add("$" + i);
    return out;
  }

  private static boolean simple(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isJavaIdentifierPart(c)
          || c == '.'
          || c == '-'
          || c == '>'
          || c == '['
          || c == ']')) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code s} is one parenthesised group: "(a)(b)" is not. */
  static boolean wraps(String s) {
    return s.startsWith("(") && balanced(s, 1);
  }

  /** True when the parenthesis opened just before {@code from} closes at the very end. */
  private static boolean balanced(String s, int from) {
    int depth = 1;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      else if (c == ')' && --depth == 0) return i == s.length() - 1;
    }
    return false;
  }

  /**
   * Reads annotation text such as {@code &f->lock}, {@code &priv->lock}, {@code dev->mutex} or
   * {@code &x.y[2]} of function {@code fn} into {@link ExprKey} form of the lock's address; unknown
   * syntax comes back unchanged (whitespace removed).
   */
  static String canonical(String text, FunctionDef fn) {
    String t = text.replaceAll("\\s+", "");
    String out;
    try {
      Parser p = new Parser(t);
      out = p.unary();
      if (p.pos != t.length()) return t;
    } catch (IllegalArgumentException e) {
      return t;
    }
    // Sparse annotations name the lock object (tp->lock) or its address (&tp->lock); lock calls
    // take the address, so use that form, except for a parameter that already is a pointer.
    if (out.startsWith("&(") || out.startsWith("*(")) return out;
    for (VarDecl p : fn.params()) {
      if (p.name().equals(out) && !(p.type() instanceof CType.Array)) return out;
    }
    return "&(" + out + ")";
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    String unary() {
      if (eat("&")) return "&(" + unary() + ")";
      if (eat("*")) return "*(" + unary() + ")";
      return postfix();
    }

    String postfix() {
      String base = primary();
      while (pos < s.length()) {
        if (eat("->")) base = base + "->" + ident();
        else if (eat(".")) base = base + "." + ident();
        else if (eat("[")) {
          int close = s.indexOf(']', pos);
          if (close < 0) throw new IllegalArgumentException();
          base = base + "[" + s.substring(pos, close) + "]";
          pos = close + 1;
        } else break;
      }
      return base;
    }

    String primary() {
      if (eat("(")) {
        String inner = unary();
        if (!eat(")")) throw new IllegalArgumentException();
        return inner;
      }
      return ident();
    }

    String ident() {
      int start = pos;
      while (pos < s.length() && Character.isJavaIdentifierPart(s.charAt(pos))) pos++;
      if (start == pos) throw new IllegalArgumentException();
      return s.substring(start, pos);
    }

    boolean eat(String tok) {
      if (s.startsWith(tok, pos)) {
        pos += tok.length();
        return true;
      }
      return false;
    }
  }
}
