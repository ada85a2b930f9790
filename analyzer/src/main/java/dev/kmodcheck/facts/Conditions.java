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
  private static final Set<String> PURE_TESTS =
      Set.of(
          "IS_ENABLED",
          "IS_BUILTIN",
          "IS_MODULE",
          "IS_REACHABLE",
          "IS_ERR",
          "IS_ERR_OR_NULL",
          "IS_ERR_VALUE");

  /** The comparison operator that holds exactly when {@code op} does not, or null. */
  public static String negatedOp(String op) {
    return NEGATED.get(op);
  }

  /** The operator for the operands swapped ({@code 4 < n} is {@code n > 4}), or null. */
  public static String mirroredOp(String op) {
    return MIRRORED.get(op);
  }

  /**
   * C library functions whose result depends only on the memory their arguments point to: a second
   * {@code strcmp(p->name, "softirq")} on a path gives the first one's answer, as a second read of
   * {@code p->name} would.
   */
  private static final Set<String> PURE_FUNCTIONS =
      Set.of(
          "strcmp",
          "strncmp",
          "strcasecmp",
          "strncasecmp",
          "memcmp",
          "strlen",
          "strnlen",
          "strstarts",
          "str_has_prefix",
          "sysfs_streq");

  /** True for a call of a function that reads its arguments and changes nothing. */
  public static boolean isPureFunction(Expr.Call call) {
    return call.calleeName() != null && PURE_FUNCTIONS.contains(call.calleeName());
  }

  /** True for a call that only tests its arguments and gives the same answer each time. */
  public static boolean isPureTest(Expr.Call call) {
    return call.calleeName() != null
        && PURE_TESTS.contains(call.calleeName())
        && call.args().size() == 1;
  }

  /**
   * The key a branch's path assumption is stored under ({@link ExprKey} text) and whether the
   * condition is that key's negation: a comparison is written so that a test and its opposite share
   * one key ({@code !=}, {@code <=} and {@code >=} as the negation of {@code ==}, {@code >} and
   * {@code <}; a constant left operand moved right), so a path that took {@code n > 4} knows the
   * answer of {@code n <= 4}.
   */
  public record Key(String text, boolean negated) {}

  public static Key key(Expr cond) {
    if (!(cond instanceof Expr.Binary b) || negatedOp(b.op()) == null) {
      return new Key(ExprKey.of(cond), false);
    }
    Expr left = b.left();
    Expr right = b.right();
    String op = b.op();
    if (isConstant(left) && !isConstant(right)) {
      left = b.right();
      right = b.left();
      op = mirroredOp(op);
    }
    boolean negated = op.equals("!=") || op.equals("<=") || op.equals(">=");
    if (negated) op = negatedOp(op);
    Expr canonical =
        op.equals(b.op()) && left == b.left()
            ? b
            : new Expr.Binary(b.range(), b.macro(), op, left, right);
    return new Key(ExprKey.of(canonical), negated);
  }

  /** A literal or enumerator, possibly cast or negated. */
  private static boolean isConstant(Expr e) {
    while (true) {
      if (e instanceof Expr.Cast c) {
        e = c.operand();
      } else if (e instanceof Expr.Unary u
          && (u.op().equals("-") || u.op().equals("~") || u.op().equals("!"))) {
        e = u.operand();
      } else {
        break;
      }
    }
    return e instanceof Expr.IntLit
        || e instanceof Expr.CharLit
        || e instanceof Expr.Ident id && id.kind() == Expr.IdKind.ENUMERATOR;
  }

  /** Casts, {@code likely()}/{@code unlikely()}/{@code __builtin_expect()} and {@code !!}. */
  public static Expr strip(Expr e) {
    while (true) {
      if (e instanceof Expr.Cast c) {
        e = c.operand();
      } else if (e instanceof Expr.Call c
          && !c.args().isEmpty()
          && ("likely".equals(c.calleeName())
              || "unlikely".equals(c.calleeName())
              || "__builtin_expect".equals(c.calleeName()))) {
        e = c.args().get(0);
      } else if (e instanceof Expr.Unary u
          && u.op().equals("!")
          && u.operand() instanceof Expr.Unary v
          && v.op().equals("!")) {
        e = v.operand();
      } else {
        return e;
      }
    }
  }
}
