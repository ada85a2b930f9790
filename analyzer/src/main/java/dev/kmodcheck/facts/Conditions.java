package dev.kmodcheck.facts;

import dev.kmodcheck.ir.Expr;
import java.util.Map;
import java.util.Set;

/** What a branch condition tests, without what does not change its truth. */
public final class Conditions {
  private Conditions() {}

  private static final Map<String, String> NEGATED =
      Map.of("==", "!=", "!=", "==", "<", ">=", ">=", "<", ">", "<=", "<=", ">");
  private static final Map<String, String> MIRRORED =
      Map.of("==", "==", "!=", "!=", "<", ">", ">", "<", "<=", ">=", ">=", "<=");
  /**
   * Calls that only test their arguments: configuration tests (header-less scans see {@code
   * IS_ENABLED(CONFIG_X)} as a call, and cannot decide it, but it reads the same each time) and
   * error-pointer tests.
   */
  private static final Set<String> PURE_TESTS = Set.of("IS_ENABLED", "IS_BUILTIN", "IS_MODULE",
      "IS_REACHABLE", "IS_ERR", "IS_ERR_OR_NULL", "IS_ERR_VALUE");

  /** The comparison operator that holds exactly when {@code op} does not, or null. */
  public static String negatedOp(String op) {
    return NEGATED.get(op);
  }

  /** The operator for the operands swapped ({@code 4 < n} is {@code n > 4}), or null. */
  public static String mirroredOp(String op) {
    return MIRRORED.get(op);
  }

  /** True for a call that only tests its arguments and gives the same answer each time. */
  public static boolean isPureTest(Expr.Call call) {
    return call.calleeName() != null && PURE_TESTS.contains(call.calleeName())
        && call.args().size() == 1;
  }

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
