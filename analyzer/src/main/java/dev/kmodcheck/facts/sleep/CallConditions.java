package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.facts.CValue;
import dev.kmodcheck.facts.Conditions;
import dev.kmodcheck.facts.ExprText;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The branch conditions each call of a function is written under: the {@code if} arms, {@code
 * switch} cases, {@code ?:} arms and right operands of {@code &&}/{@code ||} that enclose it,
 * outermost first, and the tests of earlier {@code if}s in the same block that leave it ({@code
 * return} or {@code goto}) when they read run-time state (a field, a predicate, a global): after
 * {@code if (!hcd_uses_dma(hcd)) return;} the rest runs only with DMA, just as inside {@code if
 * (hcd_uses_dma(hcd)) { ... }}. An early exit on a local or a parameter is an error check or a
 * guard the summaries key by ({@code if (ret) return ret;}) and makes nothing conditional, except a
 * lookup's hit: {@code if (con) return con;} right after a pointer came from a call leaves the rest
 * to the case where nothing was found ({@link Lookup}). A label ends them (a goto may arrive there
 * without the test). Loops are not conditions (their bodies are the normal path). Sleep summaries
 * use this to tell a chain that runs whenever its first call does from one that depends on run-time
 * state.
 */
public final class CallConditions {

  /**
   * One enclosing condition: {@code test} must be true ({@code holds}) or false; for a switch case,
   * {@code test} is the selector and {@code cases} the labels that lead to the call (empty for
   * {@code default}); {@code exit} when it comes from an earlier early exit rather than an
   * enclosing branch.
   */
  record Condition(Expr test, boolean holds, List<Expr> cases, boolean exit, Lookup miss) {
    Condition(Expr test, boolean holds, List<Expr> cases) {
      this(test, holds, cases, false, null);
    }

    Condition(Expr test, boolean holds, List<Expr> cases, boolean exit) {
      this(test, holds, cases, exit, null);
    }
  }

  /**
   * A local holding what {@code call} found: the early exit {@code if (con) return con;} returns it
   * when the lookup hit, so the code after it runs only when the lookup found nothing. Whether the
   * object exists is the caller's run-time state (a connection created when the node connected), so
   * a chain through the "create on miss" code is conditional on it.
   */
  record Lookup(String local, Expr.Call call) {}

  static final CallConditions NONE = new CallConditions(Map.of());

  private final Map<Expr.Call, List<Condition>> byCall;

  private CallConditions(Map<Expr.Call, List<Condition>> byCall) {
    this.byCall = byCall;
  }

  /** The conditions enclosing {@code call} (identity), outermost first; empty when none. */
  List<Condition> of(Expr.Call call) {
    return byCall.getOrDefault(call, List.of());
  }

  /**
   * The conditions {@code call} of {@code def} is written under that nothing decides ({@link
   * #undecided(Condition, ValueEvaluator, CallGuards.Guard, String)}), outermost first, at most
   * {@code max}.
   */
  public List<String> undecided(
      FunctionDef def, Expr.Call call, CallGuards.Guard guard, ValueEvaluator ev, int max) {
    List<Condition> written = of(call);
    if (written.isEmpty()) return List.of();
    List<VarDecl> ps = def.params();
    String guarded =
        guard == null || guard.param() < 0 || guard.param() >= ps.size()
            ? null
            : ps.get(guard.param()).name();
    List<String> out = new ArrayList<>();
    for (Condition written1 : written) {
      for (Condition c : conjuncts(written1)) {
        String text = undecided(c, ev, guard, guarded);
        if (text != null && out.size() < max && !out.contains(text)) out.add(text);
      }
    }
    return out;
  }

  /**
   * The parts a condition holds by: {@code A && B} true is A true and B true, {@code A || B} false
   * is A false and B false, so a parameter test beside a device-state test ({@code !(flags &
   * NO_KIQ) && amdgpu_sriov_runtime(adev)}) is judged apart from it.
   */
  private static List<Condition> conjuncts(Condition c) {
    if (c.cases() != null) return List.of(c);
    Expr e = strip(c.test());
    boolean holds = c.holds();
    while (e instanceof Expr.Unary u && u.op().equals("!")) {
      holds = !holds;
      e = strip(u.operand());
    }
    if (e instanceof Expr.Binary b && b.op().equals(holds ? "&&" : "||")) {
      List<Condition> out =
          new ArrayList<>(conjuncts(new Condition(b.left(), holds, null, c.exit(), c.miss())));
      out.addAll(conjuncts(new Condition(b.right(), holds, null, c.exit(), c.miss())));
      return out;
    }
    return List.of(c);
  }

  /**
   * How condition {@code c} reads when nothing decides it ("amdgpu_sriov_runtime(adev)", "!(flags &
   * 0x4)", "event == 3"), or null when it is decided or is not a condition on run-time state: a
   * constant the evaluator knows, a context predicate (handled by {@link CallGuards}), the test of
   * {@code guard} (the parameter, or a field holding its value, that the summary already keys the
   * call by, so callers decide it), or the normal path of a pointer check ({@code if (p)}, {@code
   * if (!IS_ERR(p))}), which the code takes whenever it is not failing.
   */
  static String undecided(Condition c, ValueEvaluator ev, CallGuards.Guard guard, String guarded) {
    Expr e = strip(c.test());
    boolean holds = c.holds();
    if (c.miss() != null && requiresNull(e, holds, c.miss().local(), ev)) {
      return ExprText.of(c.miss().call()) + " == NULL";
    }
    if (c.exit() && !readsState(e)) return null;
    if (guarded != null
        && readsValue(e, guarded, guard.field(), guard.mask() != 0 || guard.equals() != null)) {
      return null;
    }
    if (guard != null && guard.test() != null && contains(e, guard.test())) return null;
    if (c.cases() != null) {
      if (ev.eval(e) != null) return null;
      String sel = ExprText.of(e);
      if (c.cases().isEmpty()) return "switch (" + sel + ") default";
      StringBuilder sb = new StringBuilder();
      for (Expr k : c.cases()) {
        if (sb.length() > 0) sb.append(" || ");
        sb.append(sel).append(" == ").append(ExprText.of(k));
      }
      return sb.toString();
    }
    while (true) {
      if (e instanceof Expr.Unary u && u.op().equals("!")) {
        holds = !holds;
        e = strip(u.operand());
      } else {
        break;
      }
    }
    if (CallGuards.atomicWhen(e) != null || CallGuards.atomicWhen(c.test()) != null) return null;
    if (ev.eval(e) != null) return null;
    // p != NULL, p == NULL: a truth test of p.
    if (e instanceof Expr.Binary b && (b.op().equals("!=") || b.op().equals("=="))) {
      Expr other = null;
      if (isZero(b.right(), ev)) other = strip(b.left());
      else if (isZero(b.left(), ev)) other = strip(b.right());
      if (other != null && isPointer(ev.typeOf(other))) {
        if (holds == b.op().equals("!=")) return null;
        return ExprText.of(other) + " == NULL";
      }
    }
    if (holds && isPointer(ev.typeOf(e))) return null;
    if (!holds
        && e instanceof Expr.Call call
        && call.calleeName() != null
        && (call.args().size() == 1 && ERROR_POINTER_TESTS.contains(call.calleeName())
            || ASSERTIONS.contains(call.calleeName()))) {
      return null;
    }
    String text = ExprText.of(e);
    if (holds) return text;
    if (e instanceof Expr.Binary b) {
      String flipped = Conditions.negatedOp(b.op());
      if (flipped != null)
        return ExprText.of(b.left()) + " " + flipped + " " + ExprText.of(b.right());
    }
    return e instanceof Expr.Ident || e instanceof Expr.Member || e instanceof Expr.Call
        ? "!" + text
        : "!(" + text + ")";
  }

  /** Whether {@code e} being {@code holds} means the local {@code name} is NULL. */
  private static boolean requiresNull(Expr e, boolean holds, String name, ValueEvaluator ev) {
    while (e instanceof Expr.Unary u && u.op().equals("!")) {
      holds = !holds;
      e = strip(u.operand());
    }
    if (isLocal(e, name)) return !holds;
    if (e instanceof Expr.Binary b && (b.op().equals("!=") || b.op().equals("=="))) {
      boolean tested =
          isLocal(strip(b.left()), name) && isZero(b.right(), ev)
              || isLocal(strip(b.right()), name) && isZero(b.left(), ev);
      return tested && holds == b.op().equals("==");
    }
    return false;
  }

  private static boolean isLocal(Expr e, String name) {
    return e instanceof Expr.Ident id && id.kind() == Expr.IdKind.LOCAL && id.name().equals(name);
  }

  private static final Set<String> ERROR_POINTER_TESTS =
      Set.of("IS_ERR", "IS_ERR_OR_NULL", "IS_ERR_VALUE");

  /** Tests that warn when they hold: the code goes on when they do not, the normal path. */
  private static final Set<String> ASSERTIONS =
      Set.of("WARN_ON", "WARN_ON_ONCE", "WARN", "WARN_ONCE", "BUG_ON", "WARN_ON_SMP");

  public static boolean isPointer(CType t) {
    while (t instanceof CType.Typedef td) t = td.resolved();
    return t instanceof CType.Pointer || t instanceof CType.Array;
  }

  private static boolean isZero(Expr e, ValueEvaluator ev) {
    Expr x = strip(e);
    CValue v = ev.eval(x);
    return v != null && !v.isTrue();
  }

  /** Casts, likely()/unlikely() and double negations aside (the shared condition reading). */
  private static Expr strip(Expr e) {
    return Conditions.strip(e);
  }

  /** Whether {@code part} (identity) is {@code e} or one of its operands. */
  private static boolean contains(Expr e, Expr part) {
    boolean[] found = {false};
    IrWalk.expressions(e, x -> found[0] |= x == part);
    return found[0];
  }

  /**
   * Whether {@code e} reads more than locals and parameters: a field, an element, a call, a global.
   */
  private static boolean readsState(Expr e) {
    boolean[] found = {false};
    IrWalk.expressions(
        e,
        x -> {
          if (x instanceof Expr.Member
              || x instanceof Expr.Index
              || x instanceof Expr.Call
              || x instanceof Expr.Ident id && id.kind() == Expr.IdKind.GLOBAL) {
            found[0] = true;
          }
        });
    return found[0];
  }

  /**
   * Whether {@code e} reads the value the guard keys by: the variable {@code name} itself, or its
   * {@code field} when the guard is a field's ({@code name->field}). A field reached through it
   * ({@code chan->cl->tx_block} beside a guard that {@code chan} is not NULL) is other state, and
   * so is a predicate given the pointer ({@code is_ready(chan)}), unless the guard tests bits or
   * values ({@code callsRead}: {@code test_bit(X, &flags)}).
   */
  private static boolean readsValue(Expr e, String name, String field, boolean callsRead) {
    if (e == null) return false;
    if (e instanceof Expr.Ident id) return id.name().equals(name) && field == null;
    if (e instanceof Expr.Member m) {
      if (strip(m.base()) instanceof Expr.Ident id && id.name().equals(name)) {
        return m.field().equals(field);
      }
      return readsValue(m.base(), name, field, callsRead);
    }
    if (e instanceof Expr.Index i) {
      boolean element = strip(i.array()) instanceof Expr.Ident id && id.name().equals(name);
      return !element && readsValue(i.array(), name, field, callsRead)
          || readsValue(i.index(), name, field, callsRead);
    }
    if (e instanceof Expr.Unary u && u.op().equals("*")) {
      return !(strip(u.operand()) instanceof Expr.Ident id && id.name().equals(name))
          && readsValue(u.operand(), name, field, callsRead);
    }
    if (e instanceof Expr.Unary u) return readsValue(u.operand(), name, field, callsRead);
    if (e instanceof Expr.Cast c) return readsValue(c.operand(), name, field, callsRead);
    if (e instanceof Expr.Binary b) {
      return readsValue(b.left(), name, field, callsRead)
          || readsValue(b.right(), name, field, callsRead);
    }
    if (e instanceof Expr.Conditional c) {
      return readsValue(c.cond(), name, field, callsRead)
          || readsValue(c.then(), name, field, callsRead)
          || readsValue(c.otherwise(), name, field, callsRead);
    }
    if (e instanceof Expr.Call c) {
      if (!callsRead) return false;
      for (Expr a : c.args()) if (readsValue(a, name, field, true)) return true;
    }
    return false;
  }

  public static CallConditions of(FunctionDef def) {
    if (def.body() == null) return NONE;
    Map<Expr.Call, List<Condition>> out = new IdentityHashMap<>();
    try {
      new Walker(out).stmt(def.body(), List.of());
    } catch (StackOverflowError e) {
      return NONE;
    }
    return out.isEmpty() ? NONE : new CallConditions(out);
  }

  private static final class Walker {
    private final Map<Expr.Call, List<Condition>> out;

    Walker(Map<Expr.Call, List<Condition>> out) {
      this.out = out;
    }

    private static List<Condition> with(List<Condition> outer, Condition c) {
      List<Condition> l = new ArrayList<>(outer.size() + 1);
      l.addAll(outer);
      l.add(c);
      return List.copyOf(l);
    }

    void stmt(Stmt s, List<Condition> under) {
      WorkBudget.checkpoint();
      if (s == null) return;
      if (s instanceof Stmt.Block b) {
        block(b, under);
      } else if (s instanceof Stmt.ExprStmt e) {
        expr(e.expr(), under);
      } else if (s instanceof Stmt.Decl d) {
        for (VarDecl v : d.vars()) expr(v.init(), under);
      } else if (s instanceof Stmt.If i) {
        expr(i.cond(), under);
        stmt(i.then(), with(under, new Condition(i.cond(), true, null)));
        stmt(i.otherwise(), with(under, new Condition(i.cond(), false, null)));
      } else if (s instanceof Stmt.While w) {
        expr(w.cond(), under);
        stmt(w.body(), under);
      } else if (s instanceof Stmt.DoWhile d) {
        stmt(d.body(), under);
        expr(d.cond(), under);
      } else if (s instanceof Stmt.For f) {
        stmt(f.init(), under);
        expr(f.cond(), under);
        expr(f.step(), under);
        stmt(f.body(), under);
      } else if (s instanceof Stmt.Switch sw) {
        expr(sw.selector(), under);
        switchBody(sw, under);
      } else if (s instanceof Stmt.Return r) {
        expr(r.value(), under);
      } else if (s instanceof Stmt.Label l) {
        stmt(l.body(), under);
      }
    }

    /** A block's statements, each after the early exits before it (see the class comment). */
    private void block(Stmt.Block b, List<Condition> under) {
      List<Condition> current = under;
      Map<String, Expr.Call> found = new HashMap<>();
      for (Stmt t : b.stmts()) {
        if (t instanceof Stmt.Label) {
          current = under;
          found.clear();
        }
        stmt(t, current);
        if (t instanceof Stmt.If i && i.otherwise() == null && leaves(i.then())) {
          current = with(current, new Condition(i.cond(), false, null, true, hit(i, found)));
        }
        remember(t, found);
      }
    }

    /**
     * The locals {@code t} leaves holding a call's result ({@code con = __find_con(id, r);}); any
     * other write to a local, anywhere in {@code t}, forgets it.
     */
    private static void remember(Stmt t, Map<String, Expr.Call> found) {
      if (found.isEmpty() && !(t instanceof Stmt.ExprStmt) && !(t instanceof Stmt.Decl)) return;
      IrWalk.expressions(
          t,
          x -> {
            if (x instanceof Expr.Binary b
                && b.op().endsWith("=")
                && b.op().length() <= 3
                && !b.op().equals("==")
                && !b.op().equals("!=")
                && !b.op().equals("<=")
                && !b.op().equals(">=")
                && strip(b.left()) instanceof Expr.Ident id) {
              found.remove(id.name());
            } else if (x instanceof Expr.Unary u
                && u.op().equals("&")
                && strip(u.operand()) instanceof Expr.Ident id) {
              found.remove(id.name());
            }
          },
          v -> found.remove(v.name()));
      if (t instanceof Stmt.ExprStmt e
          && e.expr() instanceof Expr.Binary b
          && b.op().equals("=")
          && strip(b.left()) instanceof Expr.Ident id
          && id.kind() == Expr.IdKind.LOCAL
          && strip(b.right()) instanceof Expr.Call call) {
        found.put(id.name(), call);
      } else if (t instanceof Stmt.Decl d) {
        for (VarDecl v : d.vars()) {
          if (v.init() != null && strip(v.init()) instanceof Expr.Call call) {
            found.put(v.name(), call);
          }
        }
      }
    }

    /**
     * The lookup an early exit returns the result of when it hit: {@code if (con || !alloc) return
     * con;} with {@code con} holding a call's result; null for any other exit.
     */
    private static Lookup hit(Stmt.If i, Map<String, Expr.Call> found) {
      if (found.isEmpty()) return null;
      Stmt exit = i.then();
      while (exit instanceof Stmt.Block blk && !blk.stmts().isEmpty()) {
        exit = blk.stmts().get(blk.stmts().size() - 1);
      }
      if (!(exit instanceof Stmt.Return r)
          || !(r.value() != null
              && strip(r.value()) instanceof Expr.Ident id
              && id.kind() == Expr.IdKind.LOCAL)) {
        return null;
      }
      Expr.Call call = found.get(id.name());
      // A pointer the lookup found; an int is an error code (if (ret) return ret;), the normal
      // path's check.
      if (call == null || !isPointer(id.type()) || !testsTruth(strip(i.cond()), id.name())) {
        return null;
      }
      return new Lookup(id.name(), call);
    }

    /**
     * Whether {@code cond} holds whenever the local {@code name} is non-NULL: it, or an || of it.
     */
    private static boolean testsTruth(Expr cond, String name) {
      if (isLocal(cond, name)) return true;
      if (cond instanceof Expr.Binary b && b.op().equals("!=")) {
        return isLocal(strip(b.left()), name) && isNullLiteral(b.right())
            || isLocal(strip(b.right()), name) && isNullLiteral(b.left());
      }
      return cond instanceof Expr.Binary b
          && b.op().equals("||")
          && (testsTruth(strip(b.left()), name) || testsTruth(strip(b.right()), name));
    }

    private static boolean isNullLiteral(Expr e) {
      Expr x = strip(e);
      return x instanceof Expr.IntLit lit && lit.value().signum() == 0
          || x instanceof Expr.Ident id && id.name().equals("NULL");
    }

    /** Whether {@code s} always ends in a return or a goto. */
    private static boolean leaves(Stmt s) {
      if (s instanceof Stmt.Block b) {
        return !b.stmts().isEmpty() && leaves(b.stmts().get(b.stmts().size() - 1));
      }
      return s instanceof Stmt.Return || s instanceof Stmt.Goto;
    }

    /**
     * The statements of a switch body, each under the case labels written right before it ({@code
     * case A: case B:} together); code that falls through from one case into the next is read as
     * the later case's.
     */
    private void switchBody(Stmt.Switch sw, List<Condition> under) {
      if (!(sw.body() instanceof Stmt.Block b)) {
        stmt(sw.body(), with(under, new Condition(sw.selector(), true, List.of())));
        return;
      }
      List<Expr> labels = new ArrayList<>();
      boolean labelsOpen = false;
      List<Condition> current = with(under, new Condition(sw.selector(), true, List.of()));
      for (Stmt t : b.stmts()) {
        if (t instanceof Stmt.Case c) {
          if (!labelsOpen) labels = new ArrayList<>();
          labelsOpen = true;
          // default: any value not listed; it reads as the selector's switch with no case.
          if (c.value() == null) {
            labels = null;
          } else if (labels != null) {
            labels.add(c.value());
          }
          current =
              with(
                  under,
                  new Condition(
                      sw.selector(), true, labels == null ? List.of() : List.copyOf(labels)));
          continue;
        }
        labelsOpen = false;
        stmt(t, current);
      }
    }

    void expr(Expr e, List<Condition> under) {
      if (e == null) return;
      if (e instanceof Expr.Call c) {
        out.put(c, under);
        expr(c.callee(), under);
        for (Expr a : c.args()) expr(a, under);
      } else if (e instanceof Expr.Binary b) {
        expr(b.left(), under);
        if (b.op().equals("&&")) {
          expr(b.right(), with(under, new Condition(b.left(), true, null)));
        } else if (b.op().equals("||")) {
          expr(b.right(), with(under, new Condition(b.left(), false, null)));
        } else {
          expr(b.right(), under);
        }
      } else if (e instanceof Expr.Unary u) {
        expr(u.operand(), under);
      } else if (e instanceof Expr.Conditional c) {
        expr(c.cond(), under);
        expr(c.then(), with(under, new Condition(c.cond(), true, null)));
        expr(c.otherwise(), with(under, new Condition(c.cond(), false, null)));
      } else if (e instanceof Expr.Cast c) {
        expr(c.operand(), under);
      } else if (e instanceof Expr.Member m) {
        expr(m.base(), under);
      } else if (e instanceof Expr.Index i) {
        expr(i.array(), under);
        expr(i.index(), under);
      } else if (e instanceof Expr.InitList l) {
        for (Expr.Designated d : l.items()) expr(d.value(), under);
      } else if (e instanceof Expr.CompoundLiteral c) {
        expr(c.init(), under);
      } else if (e instanceof Expr.StmtExpr s) {
        stmt(s.body(), under);
      }
    }
  }
}
