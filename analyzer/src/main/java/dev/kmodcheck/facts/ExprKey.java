package dev.kmodcheck.facts;

import dev.kmodcheck.ir.Expr;

/**
 * A canonical text for an expression, independent of source position and macro provenance:
 * {@code priv->lock}, {@code !atomic}, {@code flags & 4}. Used to correlate a branch condition
 * with a later one (a lock taken and released under the same condition) and a lock argument with
 * its unlock.
 */
public final class ExprKey {
  private ExprKey() {}

  public static String of(Expr e) {
    StringBuilder sb = new StringBuilder();
    write(e, sb, 0);
    return sb.toString();
  }

  private static void write(Expr e, StringBuilder sb, int depth) {
    if (e == null) {
      sb.append("?");
      return;
    }
    if (depth > 64) {
      sb.append("...");
      return;
    }
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
      sb.append('(');
      write(b.left(), sb, d);
      sb.append(' ').append(b.op()).append(' ');
      write(b.right(), sb, d);
      sb.append(')');
    } else if (e instanceof Expr.Unary u) {
      boolean post = u.op().startsWith("post");
      if (!post) sb.append(u.op());
      sb.append('(');
      write(u.operand(), sb, d);
      sb.append(')');
      if (post) sb.append(u.op().substring(4));
    } else if (e instanceof Expr.Conditional c) {
      sb.append('(');
      write(c.cond(), sb, d);
      sb.append(" ? ");
      write(c.then(), sb, d);
      sb.append(" : ");
      write(c.otherwise(), sb, d);
      sb.append(')');
    } else if (e instanceof Expr.Cast c) {
      write(c.operand(), sb, d);
    } else if (e instanceof Expr.SizeofType s) {
      sb.append("sizeof(").append(s.type()).append(')');
    } else if (e instanceof Expr.SizeofExpr s) {
      sb.append("sizeof(");
      write(s.operand(), sb, d);
      sb.append(')');
    } else if (e instanceof Expr.AlignofType a) {
      sb.append("_Alignof(").append(a.type()).append(')');
    } else if (e instanceof Expr.Call c) {
      write(c.callee(), sb, d);
      sb.append('(');
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) sb.append(", ");
        write(c.args().get(i), sb, d);
      }
      sb.append(')');
    } else if (e instanceof Expr.Member m) {
      write(m.base(), sb, d);
      sb.append(m.arrow() ? "->" : ".").append(m.field());
    } else if (e instanceof Expr.Index ix) {
      write(ix.array(), sb, d);
      sb.append('[');
      write(ix.index(), sb, d);
      sb.append(']');
    } else if (e instanceof Expr.InitList l) {
      sb.append("{...}");
    } else if (e instanceof Expr.CompoundLiteral c) {
      sb.append("(compound)");
    } else if (e instanceof Expr.StmtExpr s) {
      sb.append("({...})@").append(s.range().line());
    } else if (e instanceof Expr.Opaque o) {
      sb.append(o.text());
    }
  }
}
