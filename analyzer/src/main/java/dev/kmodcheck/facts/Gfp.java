package dev.kmodcheck.facts;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.VarDecl;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Whether a gfp_t argument may block. Bit {@code __GFP_DIRECT_RECLAIM} (0x400) is the sole decider
 * (docs/kernel-facts.md §2.3: {@code gfpflags_allow_blocking}). Flags are followed through casts,
 * macros, locals initialised once, {@code |}, {@code &} and {@code ~}, ternaries (under path
 * assumptions), and parameters of the enclosing function, whose blocking is then up to the caller.
 * Precision first: anything not provable is {@link Kind#UNKNOWN} and does not count.
 */
public final class Gfp {

  /** {@code ___GFP_DIRECT_RECLAIM}, identical in 6.1 and 6.12 (docs/kernel-facts.md §2.1). */
  public static final BigInteger DIRECT_RECLAIM = BigInteger.valueOf(0x400);

  private static final int MAX_DEPTH = 64;
  private static final int MAX_TEXT = 60;

  public enum Kind {
    /** The flags provably have __GFP_DIRECT_RECLAIM (on at least one branch, see note). */
    BLOCKS,
    /** The flags provably lack __GFP_DIRECT_RECLAIM. */
    NO_BLOCK,
    /** The flags block when any of the enclosing function's parameters {@code params} does. */
    PARAMS,
    /**
     * The flags block when parameter {@code params.get(0)} is true: {@code can_sleep ? GFP_KERNEL :
     * GFP_ATOMIC}.
     */
    WHEN_PARAM_TRUE,
    /** The flags block when parameter {@code params.get(0)} is false. */
    WHEN_PARAM_FALSE,
    /**
     * The flags block only outside interrupt context: {@code in_interrupt() ? GFP_ATOMIC :
     * GFP_KERNEL} still sleeps under a spinlock in process context, not in an IRQ handler, softirq
     * or BH-disabled section (docs/kernel-facts.md §4.1).
     */
    BLOCKS_OUTSIDE_INTERRUPT,
    /**
     * The code picks the flags by asking whether it is atomic ({@code in_atomic() ? GFP_ATOMIC :
     * GFP_KERNEL}): it considered its context, so the blocking arm is not blamed on its callers, as
     * a call avoided by a context check is not (CallGuards); nor is it a non-blocking value.
     */
    CONTEXT_CHECKED,
    /** Not provable. */
    UNKNOWN
  }

  /**
   * @param params 0-based parameter indices of the enclosing function (PARAMS, WHEN_PARAM_*),
   *     ascending
   * @param text the flags as written, for messages ("GFP_KERNEL", "flags | __GFP_ZERO")
   * @param note why a conditional counts ("GFP_KERNEL on one branch"), or null
   */
  public record Verdict(Kind kind, List<Integer> params, String text, String note) {
    public boolean blocks() {
      return kind == Kind.BLOCKS;
    }

    /** "GFP_KERNEL", or "GFP_KERNEL on one branch" for an unresolved conditional. */
    public String reason() {
      return note != null ? note : text;
    }
  }

  private final ValueEvaluator ev;
  private final FunctionDef function;

  /** The macro of the call the flags are an argument of: it is not the flags' own name. */
  private final String callMacro;

  private Gfp(ValueEvaluator ev, String callMacro) {
    this.ev = ev;
    this.function = ev.function();
    this.callMacro = callMacro;
  }

  /** The verdict for gfp argument {@code arg}, under the assumptions {@code ev} carries. */
  public static Verdict of(Expr arg, ValueEvaluator ev) {
    return of(arg, ev, (String) null);
  }

  /**
   * As {@link #of(Expr, ValueEvaluator)}; {@code callMacro} is the macro the enclosing call came
   * from (its name is then not used as the name of the flags).
   */
  public static Verdict of(Expr arg, ValueEvaluator ev, String callMacro) {
    return new Gfp(ev, callMacro).analyse(arg, 0);
  }

  /** As above, evaluated under the path {@code assumptions} (ExprKey text to truth). */
  public static Verdict of(Expr arg, ValueEvaluator ev, Map<String, Boolean> assumptions) {
    return of(arg, ev.withAssumptions(assumptions), (String) null);
  }

  /** Whether a provable flags value allows direct reclaim. */
  public static boolean allowsBlocking(BigInteger flags) {
    return flags.and(DIRECT_RECLAIM).signum() != 0;
  }

  // ---------------------------------------------------------------- analysis

  private Verdict analyse(Expr e, int depth) {
    e = stripCasts(e);
    if (e == null || depth > MAX_DEPTH) return unknown(e);
    int d = depth + 1;
    // Before evaluating the whole: the arm taken names the flags better than the ternary.
    if (e instanceof Expr.Conditional c) return conditional(c, d);
    CValue v = ev.eval(e);
    if (v != null) return constant(allowsBlocking(v.value()), describe(e, 0));
    if (e instanceof Expr.Ident id) return ident(id, d);
    if (e instanceof Expr.Binary b) return binary(b, d);
    return unknown(e);
  }

  private Verdict ident(Expr.Ident id, int d) {
    if (id.kind() == Expr.IdKind.PARAM) {
      int k = paramIndex(id.name());
      return k < 0 ? unknown(id) : new Verdict(Kind.PARAMS, List.of(k), id.name(), null);
    }
    if (id.kind() == Expr.IdKind.LOCAL) {
      VarDecl decl = singleInit(id.name());
      if (decl == null) return unknown(id);
      Verdict inner = analyse(decl.init(), d);
      if (inner.kind == Kind.UNKNOWN) return unknown(id);
      return new Verdict(inner.kind, inner.params, describe(id, 0), inner.note);
    }
    return unknown(id);
  }

  private Verdict binary(Expr.Binary b, int d) {
    String op = b.op();
    if (!op.equals("|") && !op.equals("&")) return unknown(b);
    Verdict l = analyse(b.left(), d);
    Verdict r = analyse(b.right(), d);
    String text = l.text + " " + op + " " + r.text;
    String note = l.note != null ? l.note : r.note;
    if (op.equals("|")) {
      // A set bit on either side survives whatever the other side is.
      if (l.kind == Kind.BLOCKS) return new Verdict(Kind.BLOCKS, List.of(), text, l.note);
      if (r.kind == Kind.BLOCKS) return new Verdict(Kind.BLOCKS, List.of(), text, r.note);
      if (l.kind == Kind.NO_BLOCK) return relabel(r, text);
      if (r.kind == Kind.NO_BLOCK) return relabel(l, text);
      if (l.kind == Kind.PARAMS || r.kind == Kind.PARAMS) {
        return new Verdict(Kind.PARAMS, gfpParams(l, r), text, note);
      }
      return unknown(b);
    }
    // &: a clear bit on either side clears the result.
    if (l.kind == Kind.NO_BLOCK || r.kind == Kind.NO_BLOCK) {
      return new Verdict(Kind.NO_BLOCK, List.of(), text, null);
    }
    if (l.kind == Kind.BLOCKS && r.kind != Kind.UNKNOWN && l.note == null) return relabel(r, text);
    if (r.kind == Kind.BLOCKS && l.kind != Kind.UNKNOWN && r.note == null) return relabel(l, text);
    if (l.kind == Kind.PARAMS && r.kind == Kind.PARAMS && l.params.equals(r.params)) {
      return relabel(l, text);
    }
    return unknown(b);
  }

  private Verdict conditional(Expr.Conditional c, int d) {
    Expr thenExpr = c.then() != null ? c.then() : c.cond(); // GNU x ?: y
    Boolean known = ev.assumed(c.cond());
    if (known == null) {
      CValue cond = ev.eval(c.cond());
      if (cond != null) known = cond.isTrue();
    }
    if (known != null) return analyse(known ? thenExpr : c.otherwise(), d);
    Verdict a = analyse(thenExpr, d);
    Verdict b = analyse(c.otherwise(), d);
    String text = describe(c, 0);
    if (a.kind == Kind.BLOCKS && b.kind == Kind.BLOCKS && a.note == null && b.note == null) {
      return new Verdict(Kind.BLOCKS, List.of(), text, null);
    }
    Verdict byContext = conditionOnContext(c.cond(), a, b, text);
    if (byContext != null) return byContext;
    Verdict byParam = conditionOnParameter(c.cond(), a, b, text);
    if (byParam != null) return byParam;
    for (Verdict arm : List.of(a, b)) {
      if (arm.kind == Kind.BLOCKS) {
        String note = arm.note != null ? arm.note : arm.text + " on one branch";
        return new Verdict(Kind.BLOCKS, List.of(), text, note);
      }
    }
    if (a.kind == Kind.PARAMS || b.kind == Kind.PARAMS) {
      String note = (a.kind == Kind.PARAMS ? a.text : b.text) + " on one branch";
      return new Verdict(Kind.PARAMS, gfpParams(a, b), text, note);
    }
    if (a.kind == Kind.NO_BLOCK && b.kind == Kind.NO_BLOCK) {
      return new Verdict(Kind.NO_BLOCK, List.of(), text, null);
    }
    return unknown(c);
  }

  /**
   * {@code in_interrupt() ? GFP_ATOMIC : GFP_KERNEL} and the like: the arm taken in atomic context
   * does not block and the other does. Null when the condition is not a context predicate, or when
   * it sees only part of interrupt context (in_hardirq() is false in a softirq, where the blocking
   * arm runs).
   */
  private Verdict conditionOnContext(Expr cond, Verdict a, Verdict b, String text) {
    ContextPredicates.Test test = ContextPredicates.of(cond);
    if (test == null || test.scope() == ContextPredicates.Scope.PART) return null;
    Verdict atomicArm = test.atomicWhen() ? a : b;
    Verdict otherArm = test.atomicWhen() ? b : a;
    if (atomicArm.kind != Kind.NO_BLOCK || otherArm.kind != Kind.BLOCKS) return null;
    if (test.scope() == ContextPredicates.Scope.ATOMIC) {
      return new Verdict(Kind.CONTEXT_CHECKED, List.of(), text, null);
    }
    String note = otherArm.reason() + " outside interrupt context";
    return new Verdict(Kind.BLOCKS_OUTSIDE_INTERRUPT, List.of(), text, note);
  }

  /**
   * {@code p ? blocking : non-blocking} (or reversed, or {@code !p}) where p is a parameter: the
   * caller's argument decides.
   */
  private Verdict conditionOnParameter(Expr cond, Verdict a, Verdict b, String text) {
    boolean negated = false;
    boolean onlyWhenTrue = false;
    Expr e = stripCasts(cond);
    if (e instanceof Expr.Unary u && u.op().equals("!")) {
      negated = true;
      e = stripCasts(u.operand());
    }
    // (flags & SLEEPABLE) ? GFP_KERNEL : GFP_ATOMIC: the blocking arm needs flags non-zero, so a
    // caller passing 0 gets GFP_ATOMIC; a non-zero flags value decides nothing.
    if (e instanceof Expr.Binary mask && mask.op().equals("&")) {
      Expr l = stripCasts(mask.left());
      Expr r = stripCasts(mask.right());
      e = l instanceof Expr.Ident li && li.kind() == Expr.IdKind.PARAM ? l : r;
      onlyWhenTrue = true;
    }
    if (!(e instanceof Expr.Ident id) || id.kind() != Expr.IdKind.PARAM) return null;
    int k = paramIndex(id.name());
    if (k < 0 || a.note != null || b.note != null) return null;
    boolean thenBlocks;
    if (a.kind == Kind.BLOCKS && b.kind == Kind.NO_BLOCK) {
      thenBlocks = true;
    } else if (a.kind == Kind.NO_BLOCK && b.kind == Kind.BLOCKS) {
      thenBlocks = false;
    } else {
      return null;
    }
    if (onlyWhenTrue && thenBlocks == negated) return null;
    Kind kind = thenBlocks != negated ? Kind.WHEN_PARAM_TRUE : Kind.WHEN_PARAM_FALSE;
    String note =
        (thenBlocks ? a.text : b.text) + " when " + (thenBlocks ? "" : "!") + ExprText.of(cond);
    return new Verdict(kind, List.of(k), text, note);
  }

  /** The parameters of the PARAMS verdicts among {@code vs}. */
  private static List<Integer> gfpParams(Verdict... vs) {
    TreeSet<Integer> s = new TreeSet<>();
    for (Verdict v : vs) {
      if (v.kind == Kind.PARAMS) s.addAll(v.params);
    }
    return List.copyOf(s);
  }

  private static Verdict relabel(Verdict v, String text) {
    return new Verdict(v.kind, v.params, text, v.note);
  }

  private Verdict constant(boolean blocks, String text) {
    return new Verdict(blocks ? Kind.BLOCKS : Kind.NO_BLOCK, List.of(), text, null);
  }

  private Verdict unknown(Expr e) {
    return new Verdict(Kind.UNKNOWN, List.of(), e == null ? "?" : describe(e, 0), null);
  }

  private int paramIndex(String name) {
    if (function == null) return -1;
    List<VarDecl> ps = function.params();
    for (int i = 0; i < ps.size(); i++) {
      if (name.equals(ps.get(i).name())) return i;
    }
    return -1;
  }

  /** The one declaration of local {@code name} with an initialiser, if nothing changes it. */
  private VarDecl singleInit(String name) {
    Mutations m = ev.mutations();
    if (m == null || m.mayChange(name)) return null;
    List<VarDecl> decls = m.locals(name);
    if (decls.size() != 1) return null;
    VarDecl v = decls.get(0);
    return v.init() == null || v.isStatic() || v.isExtern() ? null : v;
  }

  private static Expr stripCasts(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }

  // ---------------------------------------------------------------- text

  /** The flags as the source names them: the macro when they came from one. */
  private String describe(Expr e, int depth) {
    String s = describeRaw(e, depth);
    return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT - 3) + "..." : s;
  }

  private String describeRaw(Expr e, int depth) {
    if (e == null) return "?";
    if (e.macro() != null && !e.macro().equals(callMacro)) return e.macro();
    if (depth > 8) return "...";
    int d = depth + 1;
    if (e instanceof Expr.Cast c) return describeRaw(c.operand(), d);
    if (e instanceof Expr.Ident id) {
      VarDecl local = id.kind() == Expr.IdKind.LOCAL ? singleInit(id.name()) : null;
      return local == null ? id.name() : id.name() + " = " + describeRaw(local.init(), d + 4);
    }
    if (e instanceof Expr.IntLit lit)
      return "0x" + lit.value().toString(16).toLowerCase(Locale.ROOT);
    if (e instanceof Expr.Binary b) {
      return describeRaw(b.left(), d) + " " + b.op() + " " + describeRaw(b.right(), d);
    }
    if (e instanceof Expr.Unary u && !u.op().startsWith("post")) {
      Expr o = stripCasts(u.operand());
      boolean simple = o instanceof Expr.Ident || o.macro() != null || o instanceof Expr.IntLit;
      String inner = describeRaw(o, d);
      return u.op() + (simple ? inner : "(" + inner + ")");
    }
    if (e instanceof Expr.Conditional c) {
      List<String> parts = new ArrayList<>();
      parts.add(ExprText.of(c.cond()));
      parts.add(describeRaw(c.then() != null ? c.then() : c.cond(), d));
      parts.add(describeRaw(c.otherwise(), d));
      return parts.get(0) + " ? " + parts.get(1) + " : " + parts.get(2);
    }
    return ExprText.of(e);
  }
}
