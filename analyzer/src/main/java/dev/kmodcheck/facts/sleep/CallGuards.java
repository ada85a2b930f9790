package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.facts.ContextPredicates;
import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.facts.Gfp;
import dev.kmodcheck.facts.cfg.Cfg;
import dev.kmodcheck.facts.cfg.CfgBuilder;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a function's control flow says about whether each of its calls runs, for sleep summaries.
 *
 * <p><b>Context-checked calls.</b> A call is context-checked when it comes after an {@code if}
 * whose condition tests a context predicate (context-predicates.tsv: in_interrupt(), in_atomic(),
 * irqs_disabled(), !preemptible(), ...; docs/kernel-facts.md §4.1), and the predicate's atomic
 * outcome takes a way that never reaches the call: {@code if (r < 1 && (in_reset ||
 * in_interrupt())) goto failed; might_sleep(); msleep(10);}. Precisely: some node of the condition
 * (the test or the condition parts evaluated just before it) dominates the call, the call is
 * reachable from the test's non-atomic edge, and not from its atomic edge. The function then
 * decides at run time whether it may sleep, and a caller's atomic context is not blamed on it. This
 * can miss a real bug (in_interrupt() is false under a spinlock in process context,
 * docs/kernel-facts.md §4.1), the price of precision: the code's author considered the context.
 *
 * <p><b>Parameter-guarded calls.</b> A call that runs only on paths where a parameter was tested
 * true (or false), and not reassigned since, is reported with that parameter and value, so a caller
 * passing a constant that rules the call out does not get its chain ({@code if (delay)
 * msleep(delay);} called with 0).
 */
public final class CallGuards {

  /**
   * How a call is guarded: by a context check, or by parameter {@code param} (or, when {@code
   * field} is not null, the field {@code param->field} of the struct it points to) being {@code
   * value} (true/false), or, when {@code mask} is non-zero, by {@code param & mask} being non-zero
   * ({@code value} true) or zero ({@code value} false), or, when {@code equals} is not null, by
   * {@code param == equals} (a {@code switch (param)} case).
   */
  public record Guard(
      boolean contextChecked,
      int param,
      boolean value,
      long mask,
      Long equals,
      String field,
      Expr test) {
    Guard(boolean contextChecked, int param, boolean value, long mask) {
      this(contextChecked, param, value, mask, null, null, null);
    }
  }

  private static final Guard CONTEXT = new Guard(true, -1, false, 0);
  private static final int TRUTH = 0;
  private static final int MASK_CLEAR = 1;
  private static final int MASK_SET = 2;
  private static final int EQUALS = 3;
  private static final int KINDS = 4;
  private static final int MAX_CONDITION_NODES = 32;

  private final Map<Expr.Call, Guard> guards;

  /** Calls no path reaches (after panic()), by identity. */
  private final Map<Expr.Call, Boolean> dead;

  private CallGuards(Map<Expr.Call, Guard> guards, Map<Expr.Call, Boolean> dead) {
    this.guards = guards;
    this.dead = dead;
  }

  static final CallGuards NONE = new CallGuards(Map.of(), Map.of());

  /** Whether no path from the function's entry reaches {@code call} (identity). */
  public boolean unreachable(Expr.Call call) {
    return dead.containsKey(call);
  }

  /** The guard of {@code call} (identity), or null when it runs unconditionally. */
  public Guard of(Expr.Call call) {
    return guards.get(call);
  }

  /** Guards of every call of {@code def}'s body. */
  public static CallGuards of(FunctionDef def) {
    if (def.body() == null) return NONE;
    Cfg cfg;
    try {
      cfg = CfgBuilder.build(def);
    } catch (StackOverflowError e) {
      return NONE;
    }
    Map<Expr.Call, Guard> out = new IdentityHashMap<>();
    paramGuards(cfg, def, out);
    contextChecked(cfg, out);
    Map<Expr.Call, Boolean> dead = deadCalls(cfg);
    return out.isEmpty() && dead.isEmpty() ? NONE : new CallGuards(out, dead);
  }

  private static Map<Expr.Call, Boolean> deadCalls(Cfg cfg) {
    BitSet live = reach(cfg, cfg.entry(), -1);
    Map<Expr.Call, Boolean> dead = new IdentityHashMap<>();
    for (int x = 0; x < cfg.size(); x++) {
      if (cfg.kind(x) == Cfg.Kind.CALL && !live.get(x)) dead.put((Expr.Call) cfg.payload(x), true);
    }
    return dead;
  }

  /** "atomic" value of a context predicate tested by a branch, or null when it is none. */
  static Boolean atomicWhen(Expr cond) {
    ContextPredicates.Test t = ContextPredicates.direct(cond);
    return t == null ? null : t.atomicWhen();
  }

  // ---- context checks ----

  private static void contextChecked(Cfg cfg, Map<Expr.Call, Guard> out) {
    int n = cfg.size();
    List<Integer>[] preds = null;
    Map<String, Expr> single = null;
    for (int b = 0; b < n; b++) {
      if (cfg.kind(b) != Cfg.Kind.BRANCH) continue;
      Expr cond = (Expr) cfg.payload(b);
      Boolean atomic = atomicWhen(cond);
      if (atomic == null && cond instanceof Expr.Ident id && id.kind() == Expr.IdKind.LOCAL) {
        // bool not_atomic = !in_atomic() && !irqs_disabled(); ... if (not_atomic) msleep();
        if (single == null) single = singleValues(cfg);
        Expr v = single.get(id.name());
        if (v != null) atomic = atomicWhenOf(v);
      }
      if (atomic == null) continue;
      if (preds == null) preds = predecessors(cfg);
      int atomicEdge = atomic ? cfg.next(b) : cfg.alt(b);
      int safeEdge = atomic ? cfg.alt(b) : cfg.next(b);
      // Back at the same test (a retry loop), the context is still atomic: it takes the atomic
      // edge again (intel_guc_send_busy_loop: busy-wait, goto retry).
      BitSet fromAtomic = reach(cfg, atomicEdge, b);
      BitSet fromSafe = reach(cfg, safeEdge, -1);
      List<BitSet> avoiding = new ArrayList<>();
      for (int d : conditionNodes(cfg, preds, b)) avoiding.add(reach(cfg, cfg.entry(), d));
      for (int s = fromSafe.nextSetBit(0); s >= 0; s = fromSafe.nextSetBit(s + 1)) {
        if (cfg.kind(s) != Cfg.Kind.CALL || fromAtomic.get(s)) continue;
        for (BitSet r : avoiding) {
          if (!r.get(s)) {
            out.put((Expr.Call) cfg.payload(s), CONTEXT);
            break;
          }
        }
      }
    }
  }

  /** Locals assigned exactly once, with that value. */
  private static Map<String, Expr> singleValues(Cfg cfg) {
    Map<String, Expr> out = new HashMap<>();
    Map<String, Integer> count = new HashMap<>();
    for (int x = 0; x < cfg.size(); x++) {
      if (cfg.kind(x) != Cfg.Kind.ASSIGN) continue;
      Cfg.Assign a = (Cfg.Assign) cfg.payload(x);
      if (count.merge(a.target(), 1, Integer::sum) == 1 && a.value() != null) {
        out.put(a.target(), a.value());
      } else {
        out.remove(a.target());
      }
    }
    return out;
  }

  /**
   * The value of a combination of context predicates ({@code !in_atomic() && !irqs_disabled()})
   * that means "atomic", when all its predicates agree; null otherwise.
   */
  static Boolean atomicWhenOf(Expr e) {
    ContextPredicates.Test t = ContextPredicates.of(CfgBuilder.strip(e));
    return t == null ? null : t.atomicWhen();
  }

  /** The test and the nodes of its condition evaluated just before it (branches and calls). */
  private static List<Integer> conditionNodes(Cfg cfg, List<Integer>[] preds, int b) {
    List<Integer> out = new ArrayList<>();
    Deque<Integer> todo = new ArrayDeque<>();
    BitSet seen = new BitSet();
    todo.add(b);
    seen.set(b);
    while (!todo.isEmpty() && out.size() < MAX_CONDITION_NODES) {
      int x = todo.poll();
      out.add(x);
      if (preds[x] == null) continue;
      for (int p : preds[x]) {
        Cfg.Kind k = cfg.kind(p);
        if (!seen.get(p) && (k == Cfg.Kind.BRANCH || k == Cfg.Kind.CALL || k == Cfg.Kind.NOP)) {
          seen.set(p);
          todo.add(p);
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Integer>[] predecessors(Cfg cfg) {
    List<Integer>[] preds = new List[cfg.size()];
    for (int x = 0; x < cfg.size(); x++) {
      for (int s : cfg.successors(x)) {
        if (s < 0) continue;
        if (preds[s] == null) preds[s] = new ArrayList<>(2);
        preds[s].add(x);
      }
    }
    return preds;
  }

  /** Nodes reachable from {@code from} (inclusive) without passing {@code avoid}. */
  private static BitSet reach(Cfg cfg, int from, int avoid) {
    BitSet seen = new BitSet(cfg.size());
    if (from < 0 || from == avoid) return seen;
    Deque<Integer> todo = new ArrayDeque<>();
    todo.add(from);
    seen.set(from);
    while (!todo.isEmpty()) {
      for (int s : cfg.successors(todo.poll())) {
        if (s >= 0 && s != avoid && !seen.get(s)) {
          seen.set(s);
          todo.add(s);
        }
      }
    }
    return seen;
  }

  // ---- parameter tests (must-analysis: facts that hold on every path) ----

  /**
   * The tested operands: parameters the body does not reassign, by index, and fields {@code p->f}
   * of pointer parameters the body neither reassigns nor stores into, numbered after the
   * parameters.
   */
  private static final class Operands {
    final Map<String, Integer> params = new HashMap<>();
    final Map<String, Integer> allParams = new HashMap<>();
    final Set<String> assigned = new HashSet<>();
    final List<String[]> fields = new ArrayList<>();
    final Map<String, Integer> fieldIds = new HashMap<>();

    /** Field operands are numbered from here: by position, as unnamed parameters have no name. */
    int arity;

    /** At the branch being read: lvalues that hold a parameter's value on every path there. */
    Map<String, Integer> aliases = Map.of();

    int of(Expr e) {
      while (e instanceof Expr.Cast c) e = c.operand();
      if (!aliases.isEmpty() && (e instanceof Expr.Member || e instanceof Expr.Ident)) {
        Integer p = aliases.get(ExprKey.of(e));
        if (p != null) return p;
      }
      if (e instanceof Expr.Ident id && id.kind() == Expr.IdKind.PARAM) {
        Integer p = params.get(id.name());
        return p == null ? -1 : p;
      }
      if (e instanceof Expr.Member m
          && m.arrow()
          && CfgBuilder.strip(m.base()) instanceof Expr.Ident id
          && id.kind() == Expr.IdKind.PARAM
          && allParams.containsKey(id.name())
          && !assigned.contains(id.name())
          && !assigned.contains(id.name() + "->" + m.field())) {
        Integer k =
            fieldIds.computeIfAbsent(
                id.name() + "->" + m.field(),
                key -> {
                  fields.add(new String[] {id.name(), m.field()});
                  return arity + fields.size() - 1;
                });
        return k;
      }
      return -1;
    }

    /** The parameter index of an operand (the pointer's, for a field). */
    int paramOf(int operand) {
      return operand < arity ? operand : allParams.get(fields.get(operand - arity)[0]);
    }

    String fieldOf(int operand) {
      return operand < arity ? null : fields.get(operand - arity)[1];
    }
  }

  private static void paramGuards(Cfg cfg, FunctionDef def, Map<Expr.Call, Guard> out) {
    Operands ops = new Operands();
    Map<String, Integer> params = ops.params;
    List<VarDecl> ps = def.params();
    ops.arity = ps.size();
    for (int i = 0; i < ps.size(); i++) {
      // An unnamed parameter (C23; a header-less SYSCALL_DEFINE3) cannot be tested.
      if (ps.get(i).name().isEmpty()) continue;
      params.put(ps.get(i).name(), i);
      ops.allParams.put(ps.get(i).name(), i);
    }
    for (int x = 0; x < cfg.size(); x++) {
      if (cfg.kind(x) == Cfg.Kind.ASSIGN) ops.assigned.add(((Cfg.Assign) cfg.payload(x)).target());
    }
    // A parameter the body assigns no longer is the caller's argument; one it only sets to 0
    // (t4_wr_mbox_meat_timeout: "if (timeout < 0) sleep_ok = false;") still is whenever a test
    // finds it non-zero, so only such "positive" facts are kept for it.
    Set<Integer> zeroed = new HashSet<>();
    for (int x = 0; x < cfg.size(); x++) {
      if (cfg.kind(x) != Cfg.Kind.ASSIGN) continue;
      Cfg.Assign a = (Cfg.Assign) cfg.payload(x);
      Integer p = a.root() == null ? null : params.get(a.root());
      if (p == null) continue;
      if (a.target().equals(a.root()) && a.value() != null && isZero(a.value())) {
        zeroed.add(p);
      } else {
        params.remove(a.root());
      }
    }
    Map<Integer, Map<String, Integer>> aliasAt = StoreAliases.at(cfg, ops.params);
    boolean tested = false;
    for (int x = 0; x < cfg.size() && !tested; x++) {
      // (a branch or a switch on a parameter)
      ops.aliases = aliasAt.getOrDefault(x, Map.of());
      tested =
          (cfg.kind(x) == Cfg.Kind.BRANCH && paramTest((Expr) cfg.payload(x), ops) != null)
              || (cfg.kind(x) == Cfg.Kind.SWITCH && ops.of((Expr) cfg.payload(x)) >= 0);
    }
    if (!tested) return;
    int n = cfg.size();
    // Facts per node: fact id (KINDS * param + kind) -> 1/0 (truth), the mask (mask facts: the
    // latest test on the path; paths that tested different masks meet to nothing), the case
    // value (EQUALS); null = not reached yet (top).
    List<TreeMap<Integer, Long>> in = new ArrayList<>(n);
    for (int i = 0; i < n; i++) in.add(null);
    Deque<Integer> work = new ArrayDeque<>();
    in.set(cfg.entry(), new TreeMap<>());
    work.add(cfg.entry());
    while (!work.isEmpty()) {
      WorkBudget.checkpoint();
      int x = work.poll();
      TreeMap<Integer, Long> f = in.get(x);
      ops.aliases = aliasAt.getOrDefault(x, Map.of());
      switch (cfg.kind(x)) {
        case BRANCH -> {
          Test test = paramTest((Expr) cfg.payload(x), ops);
          TreeMap<Integer, Long> t = f;
          TreeMap<Integer, Long> e = f;
          if (test != null) {
            int base = KINDS * test.param();
            boolean onlyPositive = zeroed.contains(test.param());
            t = new TreeMap<>(f);
            e = new TreeMap<>(f);
            if (test.onTrue() >= 0 && (!onlyPositive || test.onTrue() == 1)) {
              fact(t, base + TRUTH, test.onTrue(), x);
            }
            if (test.onFalse() >= 0 && (!onlyPositive || test.onFalse() == 1)) {
              fact(e, base + TRUTH, test.onFalse(), x);
            }
            if (test.mask() != 0) {
              fact(t, base + MASK_SET, test.mask(), x);
              if (!onlyPositive) fact(e, base + MASK_CLEAR, test.mask(), x);
            }
            if (test.eqOnTrue() != null) fact(t, base + EQUALS, test.eqOnTrue(), x);
            if (test.eqOnFalse() != null) fact(e, base + EQUALS, test.eqOnFalse(), x);
          }
          flow(in, work, cfg.next(x), t);
          flow(in, work, cfg.alt(x), e);
        }
        case SWITCH -> {
          int p = ops.of((Expr) cfg.payload(x));
          for (int s : cfg.successors(x)) {
            Long k = p < 0 ? null : caseValue(cfg, s);
            if (k != null && k == 0 && zeroed.contains(p)) k = null;
            TreeMap<Integer, Long> g = f;
            if (k != null) {
              g = new TreeMap<>(f);
              fact(g, KINDS * p + EQUALS, k, x);
            }
            flow(in, work, s, g);
          }
        }
        default -> {
          for (int s : cfg.successors(x)) flow(in, work, s, f);
        }
      }
    }
    for (int x = 0; x < n; x++) {
      TreeMap<Integer, Long> f = in.get(x);
      if (cfg.kind(x) != Cfg.Kind.CALL || f == null || f.isEmpty()) continue;
      // A call keeps one guard: the one its callers most likely decide with a constant.
      // Parameters before fields (ct->enabled and instance->mask_interrupts are device state;
      // flags & SEND_NB and pend the caller's choice); among those, the test nearest the call
      // (if (!padapter) goto exit; ... if (wait_ack)); then the strongest fact: a case value,
      // mask bits set (implies truth), truth, mask bits clear.
      Guard g = null;
      for (int tier = 0; tier < 2 && g == null; tier++) {
        g = guardOf(cfg, f, ops, tier == 1);
      }
      out.put((Expr.Call) cfg.payload(x), g);
    }
  }

  /** The constant of the {@code case} label a switch edge leads to, or null (default, end). */
  private static Long caseValue(Cfg cfg, int node) {
    if (node < 0
        || cfg.kind(node) != Cfg.Kind.NOP
        || !(cfg.payload(node) instanceof Stmt.Case c)
        || c.value() == null) {
      return null;
    }
    BigInteger k = CfgBuilder.constant(c.value());
    return k == null || k.bitLength() > 62 ? null : k.longValue();
  }

  /** The guard from the facts about parameters (or fields), as {@code paramGuards} ranks them. */
  private static Guard guardOf(Cfg cfg, TreeMap<Integer, Long> f, Operands ops, boolean fields) {
    long nearest = Long.MAX_VALUE;
    for (Map.Entry<Integer, Long> fact : f.entrySet()) {
      if (fact.getKey() < 0 || (ops.fieldOf(fact.getKey() / KINDS) != null) != fields) continue;
      Long at = f.get(origin(fact.getKey()));
      if (at != null) nearest = Math.min(nearest, at);
    }
    for (int round = 0; round < 2 * 4; round++) {
      boolean onlyNearest = round < 4;
      int kind = new int[] {EQUALS, MASK_SET, TRUTH, MASK_CLEAR}[round % 4];
      for (Map.Entry<Integer, Long> fact : f.entrySet()) {
        if (fact.getKey() < 0 || fact.getKey() % KINDS != kind) continue;
        int op = fact.getKey() / KINDS;
        if ((ops.fieldOf(op) != null) != fields) continue;
        if (onlyNearest && !Long.valueOf(nearest).equals(f.get(origin(fact.getKey())))) continue;
        int p = ops.paramOf(op);
        String field = ops.fieldOf(op);
        Long at = f.get(origin(fact.getKey()));
        Expr test = at == null ? null : (Expr) cfg.payload(at.intValue());
        return switch (kind) {
          case EQUALS -> new Guard(false, p, true, 0, fact.getValue(), field, test);
          case TRUTH -> new Guard(false, p, fact.getValue() != 0, 0, null, field, test);
          default -> new Guard(false, p, kind == MASK_SET, fact.getValue(), null, field, test);
        };
      }
    }
    return null;
  }

  /**
   * Records fact {@code key} = {@code value}, and the branch that established it under the key
   * {@link #origin}: CFG nodes are numbered backwards, so the smallest is the test nearest the
   * calls after it. Paths that established a fact at different tests meet to no origin.
   */
  private static void fact(TreeMap<Integer, Long> facts, int key, long value, int node) {
    facts.put(key, value);
    facts.put(origin(key), (long) node);
  }

  private static int origin(int factKey) {
    return -1 - factKey;
  }

  private static void flow(
      List<TreeMap<Integer, Long>> in, Deque<Integer> work, int to, TreeMap<Integer, Long> f) {
    if (to < 0) return;
    TreeMap<Integer, Long> old = in.get(to);
    if (old == null) {
      in.set(to, f);
      work.add(to);
      return;
    }
    TreeMap<Integer, Long> meet = null;
    for (Map.Entry<Integer, Long> e : old.entrySet()) {
      if (!e.getValue().equals(f.get(e.getKey()))) {
        if (meet == null) meet = new TreeMap<>(old);
        meet.remove(e.getKey());
      }
    }
    if (meet != null) {
      in.set(to, meet);
      work.add(to);
    }
  }

  /**
   * What a branch says about a parameter on each edge: its truth ({@code onTrue}/{@code onFalse}:
   * -1 nothing, 0 false, 1 true), and for {@code p & MASK} with a constant mask ({@code mask}, 0
   * when none) that the bits are set on the true edge and clear on the false edge. {@code p},
   * {@code p != 0} and {@code p == 0} decide both edges; {@code p & MASK}'s true edge also says p
   * is true.
   */
  private record Test(
      int param, int onTrue, int onFalse, long mask, Long eqOnTrue, Long eqOnFalse) {
    Test(int param, int onTrue, int onFalse, long mask) {
      this(param, onTrue, onFalse, mask, null, null);
    }
  }

  private static Test paramTest(Expr cond, Operands params) {
    int p = param(cond, params);
    if (p >= 0) return new Test(p, 1, 0, 0);
    // gfpflags_allow_blocking(gfp) is gfp & __GFP_DIRECT_RECLAIM (docs/kernel-facts.md §2.3): the
    // header's inline, which header-less code calls as an unknown function.
    if (cond instanceof Expr.Call c
        && "gfpflags_allow_blocking".equals(c.calleeName())
        && c.args().size() == 1) {
      p = param(CfgBuilder.strip(c.args().get(0)), params);
      return p < 0 ? null : new Test(p, 1, -1, Gfp.DIRECT_RECLAIM.longValue());
    }
    if (!(cond instanceof Expr.Binary b)) return null;
    Expr l = CfgBuilder.strip(b.left());
    Expr r = CfgBuilder.strip(b.right());
    switch (b.op()) {
      case "&" -> {
        p = param(l, params);
        Expr maskExpr = r;
        if (p < 0) {
          p = param(r, params);
          maskExpr = l;
        }
        if (p < 0) return null;
        BigInteger m = CfgBuilder.constant(maskExpr);
        boolean usable = m != null && m.signum() > 0 && m.bitLength() < 63;
        return new Test(p, 1, -1, usable ? m.longValue() : 0);
      }
      case "!=", "==" -> {
        boolean zeroRight = isZero(r);
        boolean zeroLeft = !zeroRight && isZero(l);
        if (zeroRight || zeroLeft) {
          p = param(zeroRight ? l : r, params);
          if (p < 0) return null;
          return b.op().equals("!=") ? new Test(p, 1, 0, 0) : new Test(p, 0, 1, 0);
        }
        // p == K (K a non-zero constant): p is K on the equal edge, and non-zero there.
        p = param(l, params);
        BigInteger k = CfgBuilder.constant(r);
        if (p < 0) {
          p = param(r, params);
          k = CfgBuilder.constant(l);
        }
        if (p < 0 || k == null || k.bitLength() > 62) return null;
        Long kv = k.longValue();
        return b.op().equals("==")
            ? new Test(p, 1, -1, 0, kv, null)
            : new Test(p, -1, 1, 0, null, kv);
      }
      case ">", ">=", "<", "<=" -> {
        // wait_ms > 0, 0 < timeout, retries >= 1: the true edge excludes zero, so the parameter
        // is true there; the false edge says nothing about a signed parameter.
        boolean paramLeft = param(l, params) >= 0;
        p = paramLeft ? param(l, params) : param(r, params);
        BigInteger k = CfgBuilder.constant(paramLeft ? r : l);
        if (p < 0 || k == null) return null;
        String op = paramLeft ? b.op() : mirror(b.op());
        boolean excludesZero =
            switch (op) {
              case ">" -> k.signum() >= 0;
              case ">=" -> k.signum() > 0;
              case "<" -> k.signum() <= 0;
              default -> k.signum() < 0;
            };
        return excludesZero ? new Test(p, 1, -1, 0) : null;
      }
      default -> {
        return null;
      }
    }
  }

  /** The operator with its operands swapped: {@code 0 < p} is {@code p > 0}. */
  private static String mirror(String op) {
    return switch (op) {
      case ">" -> "<";
      case "<" -> ">";
      case ">=" -> "<=";
      default -> ">=";
    };
  }

  private static boolean isZero(Expr e) {
    BigInteger k = CfgBuilder.constant(e);
    return k != null && k.signum() == 0;
  }

  private static int param(Expr e, Operands params) {
    return params.of(e);
  }
}
