package dev.kmodcheck.facts;

import dev.kmodcheck.ir.Expr;
import java.util.Set;

/**
 * The one expression renderer, in two styles. {@link ExprKey}: a canonical, fully parenthesised
 * text independent of macros, to match one expression with another. {@link ExprText}: readable
 * source-like text for messages, where a node a macro produced reads as the macro's name, only
 * operators nested in operators get parentheses, and long texts are shortened.
 */
final class ExprWriter {
  private static final int MAX_TEXT = 60;
  private static final Set<String> BRANCH_HINTS = Set.of("likely", "unlikely");

  private final boolean key;
  private final StringBuilder sb = new StringBuilder();

  private ExprWriter(boolean key) {
    this.key = key;
  }

  static String key(Expr e) {
    ExprWriter w = new ExprWriter(true);
    w.write(e, null, 0);
    return w.sb.toString();
  }

  static String text(Expr e, String within) {
    ExprWriter w = new ExprWriter(false);
    w.write(e, within, 0);
    StringBuilder sb = w.sb;
    return sb.length() > MAX_TEXT ? sb.substring(0, MAX_TEXT - 3) + "..." : sb.toString();
  }

  private void write(Expr e, String outerMacro, int depth) {
    if (e == null) {
      sb.append('?');
      return;
    }
    if (key ? depth > 64 : depth > 32 || sb.length() > MAX_TEXT) {
      sb.append("...");
      return;
    }
    // A whole argument produced by a macro (GFP_KERNEL, SZ_4K) reads best by the macro's name;
    // branch hints only wrap what the developer wrote.
    if (!key
        && e.macro() != null
        && !e.macro().equals(outerMacro)
        && !BRANCH_HINTS.contains(e.macro())) {
      sb.append(e.macro());
      return;
    }
    String m = e.macro();
    int d = depth + 1;
    if (e instanceof Expr.Ident id) {
      sb.append(id.name());
    } else if (e instanceof Expr.IntLit l) {
      sb.append(l.value());
    } else if (e instanceof Expr.CharLit c) {
      sb.append(c.value());
    } else if (e instanceof Expr.FloatLit f) {
      sb.append(f.text());
    } else if (e instanceof Expr.StringLit s) {
      sb.append(s.text());
    } else if (e instanceof Expr.Binary b) {
      open();
      operand(b.left(), m, d);
      sb.append(!key && b.op().equals(",") ? ", " : " " + b.op() + " ");
      operand(b.right(), m, d);
      close();
    } else if (e instanceof Expr.Unary u) {
      boolean post = u.op().startsWith("post");
      if (!post) sb.append(u.op());
      if (key) {
        sb.append('(');
        write(u.operand(), m, d);
        sb.append(')');
      } else {
        operand(u.operand(), m, d);
      }
      if (post) sb.append(u.op().substring(4));
    } else if (e instanceof Expr.Conditional c) {
      open();
      operand(c.cond(), m, d);
      sb.append(" ? ");
      if (key || c.then() != null) operand(c.then(), m, d);
      sb.append(" : ");
      operand(c.otherwise(), m, d);
      close();
    } else if (e instanceof Expr.Cast c) {
      write(c.operand(), m, d);
    } else if (e instanceof Expr.SizeofType s) {
      sb.append("sizeof(").append(key ? s.type() : ExprText.type(s.type())).append(')');
    } else if (e instanceof Expr.SizeofExpr s) {
      sb.append("sizeof(");
      write(s.operand(), m, d);
      sb.append(')');
    } else if (e instanceof Expr.AlignofType a) {
      sb.append("_Alignof(").append(key ? a.type() : ExprText.type(a.type())).append(')');
    } else if (e instanceof Expr.Call c) {
      write(c.callee(), m, d);
      sb.append('(');
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) sb.append(", ");
        write(c.args().get(i), m, d);
      }
      sb.append(')');
    } else if (e instanceof Expr.Member mem) {
      operand(mem.base(), m, d);
      sb.append(mem.arrow() ? "->" : ".").append(mem.field());
    } else if (e instanceof Expr.Index ix) {
      operand(ix.array(), m, d);
      sb.append('[');
      write(ix.index(), m, d);
      sb.append(']');
    } else if (e instanceof Expr.InitList) {
      sb.append("{...}");
    } else if (e instanceof Expr.CompoundLiteral c) {
      sb.append(key ? "(compound)" : "(" + ExprText.type(c.type()) + "){...}");
    } else if (e instanceof Expr.StmtExpr s) {
      sb.append("({...})");
      // Two statement expressions are the same only where they are written.
      if (key) sb.append('@').append(s.range().line());
    } else if (e instanceof Expr.Opaque o) {
      sb.append(o.text());
    }
  }

  /** A key parenthesises every operator; text only operators nested in operators. */
  private void open() {
    if (key) sb.append('(');
  }

  private void close() {
    if (key) sb.append(')');
  }

  /**
   * An operand: in the key style as written (operators bring their own parentheses); in the text
   * style, operands that are themselves operators get parentheses, names, calls and members don't.
   */
  private void operand(Expr e, String outerMacro, int depth) {
    if (key) {
      write(e, outerMacro, depth);
      return;
    }
    boolean atom =
        e == null
            || (e.macro() != null && !e.macro().equals(outerMacro))
            || !(e instanceof Expr.Binary
                || e instanceof Expr.Conditional
                || e instanceof Expr.Unary u && u.op().startsWith("post"));
    if (e instanceof Expr.Cast c) e = c.operand();
    if (!atom) sb.append('(');
    write(e, outerMacro, depth);
    if (!atom) sb.append(')');
  }
}
