package dev.kmodcheck.facts;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;

/**
 * Readable source-like text of an expression for messages and traces ({@code sizeof(*ev)},
 * {@code &rb->lock}, {@code GFP_KERNEL}), unlike {@link ExprKey}, whose fully parenthesised form
 * is a matching key. A node that a macro produced is shown by the macro's name, as the developer
 * wrote it; long texts are shortened.
 */
public final class ExprText {
  private static final int MAX = 60;
  private static final java.util.Set<String> BRANCH_HINTS = java.util.Set.of("likely", "unlikely");

  private ExprText() {}

  public static String of(Expr e) {
    return of(e, null);
  }

  /**
   * As {@link #of(Expr)}, with nodes of macro {@code within} written out: the arguments of a call
   * that the same macro produced ({@code mutex_lock(&group->mutex)} in a function a {@code
   * DEFINE_...} macro defines) say more than the macro's name.
   */
  public static String of(Expr e, String within) {
    StringBuilder sb = new StringBuilder();
    write(e, within, sb, 0);
    return sb.length() > MAX ? sb.substring(0, MAX - 3) + "..." : sb.toString();
  }

  public static String type(CType t) {
    if (t == null) return "?";
    if (t instanceof CType.Scalar s) return s.name();
    if (t instanceof CType.Typedef td) return td.name();
    if (t instanceof CType.Record r) {
      String tag = r.tag() == null || r.tag().startsWith("(") ? "{...}" : r.tag();
      return (r.union() ? "union " : "struct ") + tag;
    }
    if (t instanceof CType.Enum en) return "enum " + en.tag();
    if (t instanceof CType.Pointer p) return type(p.target()) + " *";
    if (t instanceof CType.Array a) return type(a.element()) + "[]";
    return "?";
  }

  private static void write(Expr e, String outerMacro, StringBuilder sb, int depth) {
    if (e == null) {
      sb.append('?');
      return;
    }
    if (depth > 32 || sb.length() > MAX) {
      sb.append("...");
      return;
    }
    // A whole argument produced by a macro (GFP_KERNEL, SZ_4K) reads best by the macro's name;
    // branch hints only wrap what the developer wrote.
    if (e.macro() != null && !e.macro().equals(outerMacro) && !BRANCH_HINTS.contains(e.macro())) {
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
      operand(b.left(), m, sb, d);
      sb.append(b.op().equals(",") ? ", " : " " + b.op() + " ");
      operand(b.right(), m, sb, d);
    } else if (e instanceof Expr.Unary u) {
      boolean post = u.op().startsWith("post");
      if (!post) sb.append(u.op());
      operand(u.operand(), m, sb, d);
      if (post) sb.append(u.op().substring(4));
    } else if (e instanceof Expr.Conditional c) {
      operand(c.cond(), m, sb, d);
      sb.append(" ? ");
      if (c.then() != null) operand(c.then(), m, sb, d);
      sb.append(" : ");
      operand(c.otherwise(), m, sb, d);
    } else if (e instanceof Expr.Cast c) {
      write(c.operand(), m, sb, d);
    } else if (e instanceof Expr.SizeofType s) {
      sb.append("sizeof(").append(type(s.type())).append(')');
    } else if (e instanceof Expr.SizeofExpr s) {
      sb.append("sizeof(");
      write(s.operand(), m, sb, d);
      sb.append(')');
    } else if (e instanceof Expr.AlignofType a) {
      sb.append("_Alignof(").append(type(a.type())).append(')');
    } else if (e instanceof Expr.Call c) {
      write(c.callee(), m, sb, d);
      sb.append('(');
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) sb.append(", ");
        write(c.args().get(i), m, sb, d);
      }
      sb.append(')');
    } else if (e instanceof Expr.Member mem) {
      operand(mem.base(), m, sb, d);
      sb.append(mem.arrow() ? "->" : ".").append(mem.field());
    } else if (e instanceof Expr.Index ix) {
      operand(ix.array(), m, sb, d);
      sb.append('[');
      write(ix.index(), m, sb, d);
      sb.append(']');
    } else if (e instanceof Expr.InitList) {
      sb.append("{...}");
    } else if (e instanceof Expr.CompoundLiteral c) {
      sb.append('(').append(type(c.type())).append("){...}");
    } else if (e instanceof Expr.StmtExpr) {
      sb.append("({...})");
    } else if (e instanceof Expr.Opaque o) {
      sb.append(o.text());
    }
  }

  /** Operands that are themselves operators get parentheses; names, calls and members don't. */
  private static void operand(Expr e, String outerMacro, StringBuilder sb, int depth) {
    boolean atom =
        e == null
            || (e.macro() != null && !e.macro().equals(outerMacro))
            || !(e instanceof Expr.Binary
                || e instanceof Expr.Conditional
                || e instanceof Expr.Unary u && u.op().startsWith("post"));
    if (e instanceof Expr.Cast c) e = c.operand();
    if (!atom) sb.append('(');
    write(e, outerMacro, sb, depth);
    if (!atom) sb.append(')');
  }
}
