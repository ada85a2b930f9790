package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.ir.Expr;

/**
 * A gfp argument as the author wrote it ("GFP_KERNEL", "GFP_KERNEL | __GFP_ZERO"), rebuilt from
 * the macro names the frontend records on expanded nodes; null when it is not made of flag names
 * (a variable, a parameter), so the message can say something else.
 */
final class GfpText {

  private GfpText() {}

  static String of(Expr e) {
    if (e == null) return null;
    String m = e.macro();
    if (m != null && (m.startsWith("GFP_") || m.startsWith("__GFP_"))) return m;
    if (e instanceof Expr.Ident id && id.name().contains("GFP_")) return id.name();
    if (e instanceof Expr.Cast c) return of(c.operand());
    if (e instanceof Expr.Binary b && (b.op().equals("|") || b.op().equals("&"))) {
      String l = of(b.left());
      String r = of(b.right());
      return l == null || r == null ? null : l + " " + b.op() + " " + r;
    }
    if (e instanceof Expr.Unary u && u.op().equals("~")) {
      String o = of(u.operand());
      return o == null ? null : "~" + o;
    }
    return null;
  }
}
