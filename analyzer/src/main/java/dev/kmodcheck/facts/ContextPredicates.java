package dev.kmodcheck.facts;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.kernel.DataTable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The context predicates code tests to decide whether it may sleep (context-predicates.tsv:
 * in_interrupt(), in_atomic(), irqs_disabled(), !preemptible(), oops_in_progress, ...;
 * docs/kernel-facts.md §4.1), with the value that means "atomic" and what the predicate sees.
 */
public final class ContextPredicates {
  private ContextPredicates() {}

  /** What a predicate sees of atomic context. */
  public enum Scope {
    /** Exactly hardirq, softirq and BH-disabled sections (in_interrupt()). */
    INTERRUPT,
    /** Only some of those (in_hardirq(), in_serving_softirq()). */
    PART,
    /** Atomic context as a whole, as far as the kernel can tell (in_atomic(), irqs_disabled()). */
    ATOMIC
  }

  /**
   * A tested predicate: {@code atomicWhen} is the value of the tested expression that means
   * "atomic".
   */
  public record Test(boolean atomicWhen, Scope scope) {
    Test negated() {
      return new Test(!atomicWhen, scope);
    }
  }

  private static final String TABLE = "/dev/kmodcheck/kernel/context-predicates.tsv";
  private static volatile Map<String, Test> predicates;

  /** The predicate {@code cond} is (a call, macro or global of the table), or null. */
  public static Test direct(Expr cond) {
    Map<String, Test> table = table();
    if (cond.macro() != null && table.containsKey(cond.macro())) return table.get(cond.macro());
    if (cond instanceof Expr.Call c && c.args().isEmpty() && c.calleeName() != null) {
      return table.get(c.calleeName());
    }
    if (cond instanceof Expr.Ident id
        && id.kind() != Expr.IdKind.LOCAL
        && id.kind() != Expr.IdKind.PARAM) {
      return table.get(id.name());
    }
    return null;
  }

  /**
   * The predicate a combination ({@code !in_atomic() && !irqs_disabled()}) amounts to when all its
   * predicates agree on the atomic value through {@code !}, {@code &&} and {@code ||}; the scope is
   * the common one, else {@link Scope#PART}. Null when it tests something else.
   */
  public static Test of(Expr e) {
    e = Conditions.strip(e);
    Test direct = direct(e);
    if (direct != null) return direct;
    if (e instanceof Expr.Unary u && u.op().equals("!")) {
      Test inner = of(u.operand());
      return inner == null ? null : inner.negated();
    }
    if (e instanceof Expr.Binary b && (b.op().equals("&&") || b.op().equals("||"))) {
      Test l = of(b.left());
      Test r = of(b.right());
      if (l == null || r == null || l.atomicWhen() != r.atomicWhen()) return null;
      return new Test(l.atomicWhen(), l.scope() == r.scope() ? l.scope() : Scope.PART);
    }
    return null;
  }

  private static Map<String, Test> table() {
    Map<String, Test> t = predicates;
    if (t != null) return t;
    synchronized (ContextPredicates.class) {
      if (predicates != null) return predicates;
      Map<String, Test> m = new HashMap<>();
      DataTable.load(
          ContextPredicates.class,
          TABLE,
          in -> {
            DataTable.read(
                in,
                "context-predicates.tsv",
                4,
                c -> {
                  if (!(c[1].equals("true") || c[1].equals("false"))) {
                    throw new IllegalArgumentException("second column must be true or false");
                  }
                  Scope scope;
                  try {
                    scope = Scope.valueOf(c[2].toUpperCase(Locale.ROOT));
                  } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                        "third column must be interrupt, part or atomic");
                  }
                  m.put(c[0], new Test(Boolean.parseBoolean(c[1]), scope));
                });
            return m;
          });
      predicates = Map.copyOf(m);
      return predicates;
    }
  }
}
