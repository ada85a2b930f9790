package dev.kmodcheck.facts;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;

/**
 * Whether an expression is an integer constant expression in the C sense (C11 6.6): the kernel's
 * {@code __is_constexpr()} and {@code __builtin_constant_p()} switch between compile-time and
 * saturating run-time arithmetic on this.
 */
final class Constness {

  private static final int MAX_DEPTH = 200;

  private Constness() {}

  static boolean isIntegerConstant(Expr e) {
    return ice(e, 0);
  }

  private static boolean ice(Expr e, int depth) {
    if (e == null || depth > MAX_DEPTH) return false;
    int d = depth + 1;
    if (e instanceof Expr.IntLit || e instanceof Expr.CharLit) return true;
    if (e instanceof Expr.SizeofType || e instanceof Expr.AlignofType) {
      return true; // no variable-length arrays in kernel code (-Wvla)
    }
    if (e instanceof Expr.SizeofExpr) return true;
    if (e instanceof Expr.Ident id) return id.kind() == Expr.IdKind.ENUMERATOR;
    if (e instanceof Expr.Unary u) {
      return (u.op().equals("-") || u.op().equals("+") || u.op().equals("~") || u.op().equals("!"))
          && ice(u.operand(), d);
    }
    if (e instanceof Expr.Binary b) {
      return !b.isAssignment() && !b.op().equals(",") && ice(b.left(), d) && ice(b.right(), d);
    }
    if (e instanceof Expr.Conditional c) {
      return ice(c.cond(), d) && (c.then() == null || ice(c.then(), d)) && ice(c.otherwise(), d);
    }
    if (e instanceof Expr.Cast c) {
      CType t = TypeLayout.strip(c.type());
      return !(t instanceof CType.Pointer) && ice(c.operand(), d);
    }
    return false;
  }
}
