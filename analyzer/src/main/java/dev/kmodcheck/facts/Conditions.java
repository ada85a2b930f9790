package dev.kmodcheck.facts;

import dev.kmodcheck.ir.Expr;

/** What a branch condition tests, without what does not change its truth. */
public final class Conditions {
  private Conditions() {}

  /** Casts, {@code likely()}/{@code unlikely()}/{@code __builtin_expect()} and {@code !!}. */
  public static Expr strip(Expr e) {
    while (true) {
      if (e instanceof Expr.Cast c) {
        e = c.operand();
      } else if (e instanceof Expr.Call c && !c.args().isEmpty()
          && ("likely".equals(c.calleeName()) || "unlikely".equals(c.calleeName())
              || "__builtin_expect".equals(c.calleeName()))) {
        e = c.args().get(0);
      } else if (e instanceof Expr.Unary u && u.op().equals("!")
          && u.operand() instanceof Expr.Unary v && v.op().equals("!")) {
        e = v.operand();
      } else {
        return e;
      }
    }
  }
}
