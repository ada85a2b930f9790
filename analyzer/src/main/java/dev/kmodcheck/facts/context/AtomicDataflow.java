package dev.kmodcheck.facts.context;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.facts.Conditions;
import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.facts.ExprText;
import dev.kmodcheck.facts.cfg.Cfg;
import dev.kmodcheck.facts.cfg.CfgBuilder;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.kernel.AtomicApi;
import dev.kmodcheck.kernel.AtomicApis;
import dev.kmodcheck.kernel.AtomicKind;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Forward may-analysis of atomic state over one function's CFG. A node keeps up to {@link
 * #MAX_STATES} distinct path states (held causes + branch assumptions); beyond that, states with
 * the same held causes are joined (assumptions intersected), then all of them. A branch on a
 * condition already assumed follows only the consistent edge, which is what makes "lock and unlock
 * under the same flag" and early-return unlocks precise. A node that keeps changing is widened to a
 * single state, so loops terminate.
 */
final class AtomicDataflow {
  static final int MAX_STATES = 8;
  static final int MAX_STATES_AT_CALL = 16;
  private static final int WIDEN_AFTER = 24;
  private static final AtomicCause[] NO_CAUSES = {};
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** A program function that a call reaches: its parameter names and lock effect. */
  /**
   * A called function's lock effect. {@code releaseKinds}, when not null, says for a released lock
   * text what kinds the release ends (a kernel summary's {@code netif_addr_unlock_bh()} ends bottom
   * halves off as well as the spinlock): it is then released as the table's unlock API would be,
   * also dropping a lock-less {@code local_bh_disable()} of the matching wrapper.
   */
  record Callee(
      String name,
      List<String> params,
      LockEffect effect,
      Map<String, List<AtomicKind>> releaseKinds) {
    Callee(String name, List<String> params, LockEffect effect) {
      this(name, params, effect, null);
    }
  }

  /**
   * Removes held causes: by lock text and kinds, by lock text only (kinds null), or by kind. {@code
   * written} is the lock as the unlock names it when {@code lock} reads otherwise (a local replaced
   * by its value): a held lock known by either text is the one released.
   */
  private record Release(List<AtomicKind> kinds, String lock, boolean enablesIrqs, String written) {
    Release(List<AtomicKind> kinds, String lock) {
      this(kinds, lock, false, null);
    }

    boolean names(String[] held) {
      return lock != null
          && (Arrays.binarySearch(held, lock) >= 0
              || (written != null && Arrays.binarySearch(held, written) >= 0));
    }
  }

  /** Results: atomic states before each call, and the states reaching the function's end. */
  /**
   * Results: atomic states before each call, the states reaching the function's end, scope-guard
   * causes, and causes whose lock is named through a local variable of this function (a caller
   * cannot name that lock, so it must not inherit it as held).
   */
  record Result(
      IdentityHashMap<Expr.Call, List<PathState>> atCalls,
      List<LockState> atExit,
      Set<AtomicCause> scoped,
      Set<AtomicCause> localRooted,
      Set<Expr.Call> alsoPreemptible) {}

  /** Locals assigned one and the same side-effect-free value everywhere they are assigned. */
  private final Set<String> oneValue = new HashSet<>();

  private final Cfg cfg;
  private final AtomicApis apis;
  private final Function<Expr.Call, Callee> callees;
  private final List<AtomicCause> entry;

  private final AtomicCause[][] acquires;
  private final Release[][] releases;
  private final String[][] forgets;
  private final AtomicCause[][] onTrue;
  private final String[] branchKey;

  /** Per branch: its condition is the negation of {@code branchKey} ({@code n <= 4}: n > 4). */
  private final boolean[] branchNegated;

  /**
   * Per branch testing {@code x & K} or {@code x == K} (K a non-zero constant): the key of x, which
   * must be non-zero for the test to hold, so a path that assumed x false (it unlocked under {@code
   * if (flags)}) does not take it.
   */
  private final String[] nonZeroOperand;

  private final Map<Object, Set<AtomicCause>> scopeCauses = new IdentityHashMap<>();
  private final Set<AtomicCause> scoped = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<AtomicCause> localRooted = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * Lock effects need "held on every returning path": then a state holding more must not absorb one
   * holding less, or a path that returns without the lock is lost.
   */
  private boolean exactHeld;

  private final Map<String, String[]> identsOfKey = new HashMap<>();

  /** Entry causes whose lock text resolves differently through this function's locals. */
  private final Map<AtomicCause, String> entryLock = new IdentityHashMap<>();

  private final Set<AtomicCause> entrySet = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<AtomicCause, String[]> baseNames = new IdentityHashMap<>();

  /** Per assigned variable: its only assigned value, or {@link #NO_VALUE}. */
  private final Map<String, Expr> singleValue = new HashMap<>();

  private static final Expr NO_VALUE =
      new Expr.Ident(null, null, "?", Expr.IdKind.UNRESOLVED, null, null);

  private final List<LockState>[] in;
  private final int[] changes;
  private final boolean[] queued;
  private final PriorityQueue<Integer> work = new PriorityQueue<>(Collections.reverseOrder());

  AtomicDataflow(
      Cfg cfg, AtomicApis apis, Function<Expr.Call, Callee> callees, List<AtomicCause> entry) {
    this(cfg, apis, callees, entry, Set.of());
  }

  /**
   * @param params the function's parameter names: an entry cause's lock text (written in the
   *     function's terms, e.g. from {@code __must_hold(&tgt->lock)}) is matched through the same
   *     local-variable resolution as the body's lock calls, and parameters are not locals
   */
  @SuppressWarnings("unchecked")
  AtomicDataflow(
      Cfg cfg,
      AtomicApis apis,
      Function<Expr.Call, Callee> callees,
      List<AtomicCause> entry,
      Set<String> params) {
    this.cfg = cfg;
    this.apis = apis;
    this.callees = callees;
    this.entry = entry;
    int n = cfg.size();
    acquires = new AtomicCause[n][];
    releases = new Release[n][];
    forgets = new String[n][];
    onTrue = new AtomicCause[n][];
    branchKey = new String[n];
    branchNegated = new boolean[n];
    nonZeroOperand = new String[n];
    in = new List[n];
    changes = new int[n];
    queued = new boolean[n];
    prepare();
    entrySet.addAll(entry);
    for (AtomicCause c : entry) {
      if (c.lock() == null) continue;
      Set<String> locals = new HashSet<>();
      for (String id : identifiers(c.lock())) {
        if (!params.contains(id) && singleValue.containsKey(id)) locals.add(id);
      }
      String resolved = resolveLocals(c.lock(), locals);
      if (!resolved.equals(c.lock())) entryLock.put(c, resolved);
    }
  }

  /** A held cause's lock text as this function's lock calls name it. */
  private String lockOf(AtomicCause c) {
    String t = entryLock.get(c);
    return t != null ? t : c.lock();
  }

  /**
   * The names an unlock may release {@code c} by when it is acquired: its lock text and, for a lock
   * call of this function, the text as written there. An entry cause is known only by its lock text
   * in this function's terms (what the caller wrote names the caller's variables).
   */
  private String[] baseNames(AtomicCause c) {
    return baseNames.computeIfAbsent(
        c,
        x -> {
          TreeSet<String> n = new TreeSet<>();
          if (lockOf(x) != null) n.add(lockOf(x));
          if (x.shown() != null && !entrySet.contains(x)) n.add(x.shown());
          return n.toArray(new String[0]);
        });
  }

  private LockState acquire(LockState s, AtomicCause[] causes) {
    if (causes.length == 0) return s;
    String[][] n = new String[causes.length][];
    for (int i = 0; i < n.length; i++) n[i] = baseNames(causes[i]);
    return s.acquire(causes, n);
  }

  // ---- per-node effects, computed once ----

  private void prepare() {
    Map<String, String> valueKeys = new HashMap<>();
    Set<String> mixed = new HashSet<>();
    Set<String> declared = new HashSet<>();
    for (int node = 0; node < cfg.size(); node++) {
      if (cfg.kind(node) != Cfg.Kind.ASSIGN) continue;
      Cfg.Assign a = (Cfg.Assign) cfg.payload(node);
      singleValue.merge(a.target(), a.value() == null ? NO_VALUE : a.value(), (x, y) -> NO_VALUE);
      if (a.declares()) declared.add(a.target());
      // A declaration without initializer (or p++, rare for a lock pointer) says nothing.
      if (a.value() == null) continue;
      Expr v = CfgBuilder.strip(a.value());
      String k = pure(v) ? ExprKey.of(v) : null;
      if (k == null || LockText.mentions(k, a.target())) {
        mixed.add(a.target());
      } else if (!k.equals(valueKeys.computeIfAbsent(a.target(), t -> k))) {
        mixed.add(a.target());
      }
    }
    // Locals only: a parameter holds its argument before any assignment.
    for (String t : valueKeys.keySet()) {
      if (!mixed.contains(t) && declared.contains(t)) oneValue.add(t);
    }
    Map<Expr.Call, AtomicCause[]> tryCalls = new IdentityHashMap<>();
    Set<String> named = new HashSet<>();
    Map<String, List<Integer>> expansions = new LinkedHashMap<>();
    // Highest node first: that is evaluation order (the builder works backwards).
    for (int node = cfg.size() - 1; node >= 0; node--) {
      Cfg.Kind kind = cfg.kind(node);
      if (kind == Cfg.Kind.CALL) {
        Expr.Call call = (Expr.Call) cfg.payload(node);
        forgets[node] = addressTaken(call);
        AtomicApi api = apis.call(call.calleeName());
        if (api == null && call.macro() != null && apis.call(call.macro()) != null) {
          expansions.computeIfAbsent(expansion(call), k -> new ArrayList<>()).add(node);
          continue;
        }
        if (api != null && call.macro() != null) named.add(expansion(call));
        prepareCall(
            node, call, api, call.calleeName(), api == null ? null : lockArg(call, api), tryCalls);
      } else if (kind == Cfg.Kind.SCOPE_ENTER) {
        Cfg.Guard g = (Cfg.Guard) cfg.payload(node);
        AtomicApi api = apis.guard(g.lockClass());
        if (api == null) continue;
        Expr lockExpr =
            api.lockArg() >= 0 && api.lockArg() < g.args().size()
                ? g.args().get(api.lockArg())
                : null;
        String written = lockExpr == null ? null : ExprKey.of(lockExpr);
        String lock =
            written == null ? null : resolveLocals(written, localIdents(List.of(lockExpr)));
        String desc =
            (g.scope() instanceof Stmt.For ? "scoped_guard(" : "guard(")
                + g.lockClass()
                + ")"
                + (lock == null ? "" : " on " + written)
                + " "
                + phrase(api.kinds());
        AtomicCause[] causes =
            causes(
                api.kinds(),
                lock,
                g.range(),
                desc,
                written == null || written.equals(lock) ? null : written);
        acquires[node] = causes;
        Set<AtomicCause> set =
            scopeCauses.computeIfAbsent(
                g.scope(), k -> Collections.newSetFromMap(new IdentityHashMap<>()));
        set.addAll(Arrays.asList(causes));
        scoped.addAll(Arrays.asList(causes));
      }
    }
    // Real headers: spin_lock_irqsave(l, f) is a macro around _raw_spin_lock_irqsave(...), and
    // one expansion may hold several calls. The last one in evaluation order takes the lock (the
    // others run before it); the first one of an unlocking macro releases it.
    for (Map.Entry<String, List<Integer>> e : expansions.entrySet()) {
      if (named.contains(e.getKey())) continue;
      List<Integer> nodes = e.getValue();
      Expr.Call first = (Expr.Call) cfg.payload(nodes.get(0));
      AtomicApi api = apis.call(first.macro());
      int node = api.effect() == AtomicApi.Effect.EXIT ? nodes.get(0) : nodes.get(nodes.size() - 1);
      Expr.Call call = (Expr.Call) cfg.payload(node);
      Expr lock = api.lockArg() >= 0 ? macroLockArg(call, api.lockArg()) : null;
      prepareCall(node, call, api, first.macro(), lock, tryCalls);
    }
    Map<String, Integer> assignCount = new HashMap<>();
    Map<String, AtomicCause[]> tryVars = new HashMap<>();
    for (int node = 0; node < cfg.size(); node++) {
      if (cfg.kind(node) != Cfg.Kind.ASSIGN) continue;
      Cfg.Assign a = (Cfg.Assign) cfg.payload(node);
      assignCount.merge(a.target(), 1, Integer::sum);
      if (a.value() != null
          && CfgBuilder.strip(a.value()) instanceof Expr.Call c
          && tryCalls.containsKey(c)) {
        tryVars.put(a.target(), tryCalls.get(c));
      }
    }
    for (int node = 0; node < cfg.size(); node++) {
      if (cfg.kind(node) != Cfg.Kind.BRANCH) continue;
      Expr cond = (Expr) cfg.payload(node);
      if (cond instanceof Expr.Call c) {
        onTrue[node] = tryCalls.get(c);
      } else if (cond instanceof Expr.Ident id
          && tryVars.containsKey(id.name())
          && assignCount.getOrDefault(id.name(), 0) == 1) {
        onTrue[node] = tryVars.get(id.name());
      }
      if (!sideEffects(cond)) {
        Conditions.Key key = Conditions.key(cond);
        branchKey[node] = key.text();
        branchNegated[node] = key.negated();
        Expr operand = nonZeroOperand(cond);
        if (operand != null) nonZeroOperand[node] = ExprKey.of(operand);
      }
    }
  }

  /** x for {@code x & K} and {@code x == K} with K a non-zero constant (either side); else null. */
  private static Expr nonZeroOperand(Expr cond) {
    if (!(cond instanceof Expr.Binary b) || !(b.op().equals("&") || b.op().equals("=="))) {
      return null;
    }
    BigInteger r = CfgBuilder.constant(b.right());
    BigInteger l = CfgBuilder.constant(b.left());
    if (r != null && r.signum() != 0 && l == null) return CfgBuilder.strip(b.left());
    if (l != null && l.signum() != 0 && r == null) return CfgBuilder.strip(b.right());
    return null;
  }

  private static String expansion(Expr.Call call) {
    return call.macro() + "@" + call.range();
  }

  private static Expr lockArg(Expr.Call call, AtomicApi api) {
    int i = api.lockArg();
    return i >= 0 && i < call.args().size() ? call.args().get(i) : null;
  }

  /** Effects of a call: a table API (shown as {@code shown}) or a program function. */
  private void prepareCall(
      int node,
      Expr.Call call,
      AtomicApi api,
      String shown,
      Expr lockExpr,
      Map<Expr.Call, AtomicCause[]> tryCalls) {
    String name = call.calleeName();
    if (api != null) {
      Set<String> locals = localIdents(lockExpr == null ? List.of() : List.of(lockExpr));
      String written = lockExpr == null ? null : ExprKey.of(lockExpr);
      String lock = written == null ? null : resolveLocals(written, locals);
      // A macro's own arguments are gone after expansion: name it with its lock.
      String text =
          shown.equals(name)
              ? callText(shown, call)
              : shown + "(" + (written == null ? "" : written) + ")";
      String asWritten = written == null || written.equals(lock) ? null : written;
      switch (api.effect()) {
        case ENTER ->
            acquires[node] =
                markLocal(
                    causes(
                        api.kinds(),
                        lock,
                        call.range(),
                        text + " " + phrase(api.kinds()),
                        asWritten),
                    locals);
        case TRY_ENTER ->
            tryCalls.put(
                call,
                markLocal(
                    causes(
                        api.kinds(),
                        lock,
                        call.range(),
                        text + " succeeded: it " + phrase(api.kinds()),
                        asWritten),
                    locals));
        // spin_unlock_irq(), local_irq_enable(): interrupts are on afterwards, whichever lock
        // disabled them (evdev: spin_lock_irq(a); spin_lock(b); spin_unlock(a);
        // spin_unlock_irq(b)); the _irqrestore forms restore what their own save saw.
        case EXIT ->
            releases[node] =
                new Release[] {
                  new Release(
                      api.kinds(),
                      lock,
                      shown.endsWith("_irq") || shown.equals("local_irq_enable"),
                      asWritten)
                };
        default -> {}
      }
      return;
    }
    Callee callee = name == null ? null : callees.apply(call);
    if (callee == null || callee.effect() == null || callee.effect().isNone()) return;
    LockEffect eff = callee.effect();
    Set<String> argLocals = localIdents(call.args());
    List<Release> rel = new ArrayList<>();
    for (String r : eff.released()) {
      AtomicKind k = kindNamed(r);
      List<AtomicKind> kinds = callee.releaseKinds() == null ? null : callee.releaseKinds().get(r);
      String written = k != null ? null : LockText.substitute(r, callee.params(), call.args());
      String lock = written == null ? null : resolveLocals(written, argLocals);
      rel.add(
          k != null
              ? new Release(List.of(k), null)
              : new Release(kinds, lock, false, written.equals(lock) ? null : written));
    }
    releases[node] = rel.toArray(new Release[0]);
    List<AtomicCause> acq = new ArrayList<>();
    for (AtomicCause c : eff.acquired()) {
      String written =
          c.lock() == null ? null : LockText.substitute(c.lock(), callee.params(), call.args());
      String lock = written == null ? null : resolveLocals(written, argLocals);
      acq.add(
          new AtomicCause(
              c.kind(),
              lock,
              call.range(),
              callText(name, call)
                  + " returns holding "
                  + (lock == null ? c.kind() : written)
                  + " ("
                  + c.description()
                  + " at "
                  + c.range().shortText()
                  + ")",
              written == null || written.equals(lock) ? null : written));
    }
    acquires[node] = markLocal(acq.toArray(NO_CAUSES), argLocals);
  }

  /**
   * A lock text with each local variable that is assigned exactly once, from an expression without
   * side effects, replaced by that expression ({@code ab = ar->ab}: {@code &(ab->base_lock)}
   * becomes {@code &(ar->ab->base_lock)}), so that callers and callees that name the same lock
   * through different locals agree. Both the lock and the unlock of one function are rewritten
   * alike, so matching inside the function does not change. The substituted locals are added to
   * {@code locals}' view only through the value's own locals.
   */
  private String resolveLocals(String text, Set<String> locals) {
    if (text == null || locals.isEmpty()) return text;
    String out = text;
    for (int round = 0; round < 3; round++) {
      String before = out;
      for (String id : identifiers(out)) {
        if (!locals.contains(id)) continue;
        Expr v = singleValue.get(id);
        if (v == null || v == NO_VALUE || !accessPath(v)) continue;
        Set<String> inner = localIdents(List.of(v));
        if (inner.contains(id)) continue;
        out = LockText.substitute(out, List.of(id), List.of(v));
        if (out.startsWith("(") && out.endsWith(")") && LockText.wraps(out)) {
          out = out.substring(1, out.length() - 1);
        }
        locals.addAll(inner);
      }
      if (out.equals(before)) break;
    }
    return out;
  }

  /**
   * A plain access path: a variable, members, constant indexes, address-of and casts ({@code
   * connection->resource}, {@code &pd->driver->lock}); not arithmetic such as a container_of
   * expansion, whose text would only obscure the lock's name.
   */
  private static boolean accessPath(Expr e) {
    while (true) {
      if (e instanceof Expr.Ident id) {
        return id.kind() == Expr.IdKind.LOCAL
            || id.kind() == Expr.IdKind.PARAM
            || id.kind() == Expr.IdKind.GLOBAL;
      } else if (e instanceof Expr.Member m) {
        e = m.base();
      } else if (e instanceof Expr.Cast c) {
        e = c.operand();
      } else if (e instanceof Expr.Unary u && (u.op().equals("&") || u.op().equals("*"))) {
        e = u.operand();
      } else if (e instanceof Expr.Index ix && CfgBuilder.constant(ix.index()) != null) {
        e = ix.array();
      } else {
        return false;
      }
    }
  }

  /** Local variables (kind LOCAL) named in {@code exprs}. */
  private static Set<String> localIdents(List<Expr> exprs) {
    Set<String> out = new HashSet<>();
    Deque<Expr> todo = new ArrayDeque<>(exprs);
    while (!todo.isEmpty()) {
      WorkBudget.checkpoint();
      Expr e = todo.pop();
      if (e instanceof Expr.Ident id) {
        if (id.kind() == Expr.IdKind.LOCAL) out.add(id.name());
      } else if (e instanceof Expr.Unary u) {
        todo.push(u.operand());
      } else if (e instanceof Expr.Member m) {
        todo.push(m.base());
      } else if (e instanceof Expr.Cast c) {
        todo.push(c.operand());
      } else if (e instanceof Expr.Index ix) {
        todo.push(ix.array());
      }
    }
    return out;
  }

  /** Records the causes whose lock text starts at one of {@code locals}. */
  private AtomicCause[] markLocal(AtomicCause[] causes, Set<String> locals) {
    if (locals.isEmpty()) return causes;
    for (AtomicCause c : causes) {
      String root = rootIdent(c.lock());
      if (root != null && locals.contains(root)) localRooted.add(c);
    }
    return causes;
  }

  /** The variable a lock text starts from: "&(pd->driver->lock)" -> "pd". */
  static String rootIdent(String lock) {
    if (lock == null) return null;
    Matcher m = IDENT.matcher(lock);
    return m.find() ? m.group() : null;
  }

  private static Expr macroLockArg(Expr.Call call, int index) {
    if (call.args().isEmpty()) return null;
    Expr a = call.args().get(index < call.args().size() ? index : 0);
    while (a instanceof Expr.Call c && call.macro().equals(c.macro()) && !c.args().isEmpty()) {
      a = c.args().get(0);
    }
    return a;
  }

  private static AtomicCause[] causes(
      List<AtomicKind> kinds, String lock, SrcRange range, String desc, String shown) {
    AtomicCause[] out = new AtomicCause[kinds.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new AtomicCause(kinds.get(i), lock, range, desc, shown);
    }
    return out;
  }

  /** Variables whose address a call takes may change behind our back. */
  private static String[] addressTaken(Expr.Call call) {
    List<String> out = null;
    for (Expr a : call.args()) {
      if (a instanceof Expr.Unary u
          && u.op().equals("&")
          && u.operand() instanceof Expr.Ident id
          && id.kind() != Expr.IdKind.FUNCTION) {
        if (out == null) out = new ArrayList<>();
        out.add(id.name());
      }
    }
    return out == null ? null : out.toArray(new String[0]);
  }

  // ---- fixed point ----

  Result run(boolean recordCalls) {
    return run(recordCalls, !recordCalls);
  }

  /**
   * @param exact keep a path holding less apart from one holding more (lock effects; a helper
   *     re-analysed with its caller's locks, where a path that released them matters)
   */
  Result run(boolean recordCalls, boolean exact) {
    exactHeld = exact;
    join(cfg.entry(), LockState.initial(entry, this::baseNames));
    while (!work.isEmpty()) {
      WorkBudget.checkpoint();
      int node = work.poll();
      queued[node] = false;
      List<LockState> states = new ArrayList<>(in[node]);
      for (LockState s : states) transfer(node, s);
    }
    IdentityHashMap<Expr.Call, List<PathState>> atCalls = new IdentityHashMap<>();
    Set<Expr.Call> alsoPreemptible = Collections.newSetFromMap(new IdentityHashMap<>());
    if (recordCalls) {
      Map<LockState, PathState> memo = new HashMap<>();
      for (int node = 0; node < cfg.size(); node++) {
        if (cfg.kind(node) != Cfg.Kind.CALL || in[node] == null) continue;
        LinkedHashSet<PathState> atomic = new LinkedHashSet<>();
        for (LockState s : in[node]) {
          if (s.atomic() && atomic.size() < MAX_STATES_AT_CALL) {
            atomic.add(memo.computeIfAbsent(s, AtomicDataflow::toPathState));
          }
        }
        if (atomic.isEmpty()) continue;
        atCalls.put((Expr.Call) cfg.payload(node), List.copyOf(atomic));
        for (LockState s : in[node]) {
          if (!s.atomic()) alsoPreemptible.add((Expr.Call) cfg.payload(node));
        }
      }
    }
    List<LockState> exit = in[cfg.exit()] == null ? List.of() : in[cfg.exit()];
    return new Result(atCalls, exit, scoped, localRooted, alsoPreemptible);
  }

  private void transfer(int node, LockState s) {
    switch (cfg.kind(node)) {
      case EXIT -> {}
      case CALL -> {
        LockState t = s;
        if (forgets[node] != null) for (String v : forgets[node]) t = forgetVar(t, v);
        if (releases[node] != null) for (Release r : releases[node]) t = release(t, r);
        if (acquires[node] != null) t = acquire(t, acquires[node]);
        join(cfg.next(node), t);
      }
      case BRANCH -> branch(node, s);
      case SWITCH -> {
        for (int succ : cfg.successors(node)) join(succ, s);
      }
      case ASSIGN -> join(cfg.next(node), assign((Cfg.Assign) cfg.payload(node), s));
      case SCOPE_ENTER ->
          join(cfg.next(node), acquires[node] == null ? s : acquire(s, acquires[node]));
      case SCOPE_EXIT -> join(cfg.next(node), leaveScope(cfg.payload(node), s));
      default -> join(cfg.next(node), s);
    }
  }

  private void branch(int node, LockState s) {
    String key = branchKey[node];
    boolean neg = branchNegated[node];
    Boolean known = key == null ? null : s.assumed(key);
    if (known != null && neg) known = !known;
    String operand = nonZeroOperand[node];
    if (known == null && operand != null && Boolean.FALSE.equals(s.assumed(operand))) {
      known = false;
    }
    AtomicCause[] taken = onTrue[node] == null ? NO_CAUSES : onTrue[node];
    if (known != null) {
      if (known) join(cfg.next(node), acquire(s, taken));
      else join(cfg.alt(node), s);
      return;
    }
    LockState t = key == null ? s : s.assume(key, !neg);
    LockState f = key == null ? s : s.assume(key, neg);
    join(cfg.next(node), acquire(t, taken));
    join(cfg.alt(node), f);
  }

  private LockState assign(Cfg.Assign a, LockState s) {
    LockState t = a.root() == null ? s : forgetVar(s, a.root());
    if (a.value() != null) {
      BigInteger k = CfgBuilder.constant(a.value());
      if (k != null) t = t.assume(a.target(), k.signum() != 0);
    }
    if (a.target().equals(a.root()) && t.held.length > 0) t = rename(t, a);
    return t;
  }

  /**
   * Lock names after {@code p = ...}: every name through {@code p} now names another object and can
   * no longer release its lock ({@code spin_lock(&p->l); p = q; spin_unlock(&p->l)} ends q's lock,
   * not the first one, which stays held); for {@code p = q}, a plain copy of a local or parameter,
   * each name through {@code q} is also known through {@code p} ({@code p = parent;} ... {@code
   * spin_unlock(&p->d_lock)} ends {@code parent->d_lock}). Only plain assignments count: a variable
   * changed through its address ({@code f(&p)}) keeps its names. The interrupt state a lock call
   * saved keeps its old names too ({@code spin_lock_irqsave(&p->l, f); ...; p = q;
   * spin_lock(&p->l); spin_unlock_irqrestore(&p->l, f)} enables interrupts again).
   */
  private LockState rename(LockState s, Cfg.Assign a) {
    String p = a.target();
    // A declaration starts a new variable: a held lock named through that name (the caller's
    // lp->lock, entering a helper that declares its own lp) did not go through it. A local
    // assigned the same field path every time (t_lock = dev->queue[i].lock; again before the
    // unlock) names one lock throughout.
    boolean replaces = !a.declares() && !oneValue.contains(p);
    String q = null;
    Expr v = a.value() == null ? null : CfgBuilder.strip(a.value());
    if (v instanceof Expr.Ident id
        && !id.name().equals(p)
        && (id.kind() == Expr.IdKind.LOCAL || id.kind() == Expr.IdKind.PARAM)) {
      q = id.name();
    }
    String[][] out = null;
    for (int i = 0; i < s.held.length; i++) {
      String[] n = s.names[i];
      TreeSet<String> next = null;
      for (String name : n) {
        boolean viaP = !name.startsWith("~") && LockText.mentions(name, p);
        boolean viaQ = q != null && !name.startsWith("~") && LockText.mentions(name, q);
        if (!viaP && !viaQ) continue;
        if (next == null) next = new TreeSet<>(Arrays.asList(n));
        // Interrupts, bottom halves and preemption are per CPU, not per lock object: an
        // _irqrestore through the reassigned pointer still restores what the save disabled.
        if (viaP && replaces && !isFlag(s.held[i].kind())) {
          next.remove(name);
          next.add(LockState.stale(name));
        }
        if (viaQ && !viaP) next.add(LockText.rename(name, q, p));
      }
      if (next == null) continue;
      if (out == null) out = s.names.clone();
      out[i] = next.toArray(new String[0]);
    }
    return out == null ? s : s.withNames(out);
  }

  /** Whether reading {@code e} changes nothing and calls nothing: names, fields, elements. */
  private static boolean pure(Expr e) {
    boolean[] ok = {true};
    IrWalk.expressions(
        e,
        x -> {
          if (x instanceof Expr.Call
              || x instanceof Expr.StmtExpr
              || x instanceof Expr.Binary b && b.op().endsWith("=") && !isComparison(b.op())
              || x instanceof Expr.Unary u && (u.op().contains("++") || u.op().contains("--"))) {
            ok[0] = false;
          }
        });
    return ok[0];
  }

  private static boolean isComparison(String op) {
    return op.equals("==") || op.equals("!=") || op.equals("<=") || op.equals(">=");
  }

  private LockState forgetVar(LockState s, String var) {
    if (s.keys.length == 0) return s;
    return s.forget(
        key -> {
          for (String id : identsOfKey.computeIfAbsent(key, AtomicDataflow::identifiers)) {
            if (id.equals(var)) return true;
          }
          return false;
        });
  }

  private static String[] identifiers(String key) {
    List<String> out = new ArrayList<>();
    Matcher m = IDENT.matcher(key);
    while (m.find()) out.add(m.group());
    return out.toArray(new String[0]);
  }

  private LockState leaveScope(Object scope, LockState s) {
    Set<AtomicCause> drop = scopeCauses.get(scope);
    if (drop == null) return s;
    AtomicCause[] h = s.held;
    int keep = 0;
    for (AtomicCause c : h) if (!drop.contains(c)) keep++;
    if (keep == h.length) return s;
    AtomicCause[] out = new AtomicCause[keep];
    int j = 0;
    for (AtomicCause c : h) if (!drop.contains(c)) out[j++] = c;
    return s.withHeld(out);
  }

  /**
   * Releases what {@code r} names. An unlock whose lock text matches nothing held, while exactly
   * one lock of its kind is held, releases that one: the code names the same lock through another
   * pointer ({@code spin_lock(&rx->lock)} ... {@code spin_unlock(&rx_ring(mac)->lock)}, or {@code
   * last = t; spin_unlock(&last->lock)}). With two or more held, nothing is guessed.
   */
  private LockState release(LockState s, Release r) {
    if (r.lock() != null && r.kinds() != null) {
      String alias = soleHeldAlias(s, r);
      if (alias != null) {
        return releaseNamed(s, new Release(r.kinds(), alias, r.enablesIrqs(), null));
      }
    }
    return releaseNamed(s, r);
  }

  /**
   * A name of the only held lock of r's lock kind, when r's text matches none held: the held causes
   * of that kind must all share a name (the causes of one lock call share their names, so any one
   * of them ends all).
   */
  private String soleHeldAlias(LockState s, Release r) {
    AtomicKind lockKind = null;
    for (AtomicKind k : r.kinds()) if (!isFlag(k)) lockKind = k;
    if (lockKind == null) return null;
    String[] only = null;
    for (int i = 0; i < s.held.length; i++) {
      AtomicCause c = s.held[i];
      if (r.names(s.names[i])) return null;
      // A lock the caller holds (__must_hold) may be the one unlocked under another name.
      if ((c.kind() != lockKind && c.kind() != AtomicKind.CALLER_HELD)
          || c.lock() == null
          || s.names[i].length == 0) {
        continue;
      }
      only = only == null ? s.names[i] : LockState.shared(only, s.names[i]);
      if (only.length == 0) return null;
    }
    return only == null ? null : only[0];
  }

  private LockState releaseNamed(LockState s, Release r) {
    AtomicCause[] h = s.held.clone();
    boolean[] gone = new boolean[h.length];
    boolean any = false;
    if (r.lock() != null && r.kinds() == null) {
      for (int i = 0; i < h.length; i++) {
        if (r.names(s.names[i])) gone[i] = any = true;
      }
    } else if (r.lock() != null) {
      for (AtomicKind k : r.kinds()) {
        boolean found = false;
        for (int i = 0; i < h.length; i++) {
          if (h[i].kind() == k && r.names(s.names[i])) gone[i] = found = any = true;
        }
        if (!found && isFlag(k)) found = dropLast(h, gone, k, true);
      }
      for (int i = 0; i < h.length; i++) {
        if (h[i].kind() == AtomicKind.CALLER_HELD && r.names(s.names[i])) {
          gone[i] = any = true;
        }
      }
    } else {
      for (AtomicKind k : r.kinds()) {
        if (!dropLast(h, gone, k, false)) {
          s = s.withReleased(k.name());
        } else if (k == AtomicKind.IRQS_OFF) {
          // Interrupts are on or off, not counted: local_irq_enable()/restore() also ends the
          // IRQs-off sections a helper opened inside this one (do_powersaver's
          // local_irq_disable() after safe_halt()). Spinlock-bound ones stay with their lock.
          for (int i = 0; i < h.length; i++) {
            if (h[i].kind() == AtomicKind.IRQS_OFF && h[i].lock() == null) gone[i] = true;
          }
        }
      }
      any = true;
    }
    if (r.enablesIrqs()) {
      for (int i = 0; i < h.length; i++) if (h[i].kind() == AtomicKind.IRQS_OFF) gone[i] = true;
    }
    if (!any && r.lock() != null) s = s.withReleased(r.lock());
    int keep = 0;
    for (boolean g : gone) if (!g) keep++;
    if (keep == h.length) return s;
    AtomicCause[] out = new AtomicCause[keep];
    int j = 0;
    for (int i = 0; i < h.length; i++) if (!gone[i]) out[j++] = h[i];
    return s.withHeld(out);
  }

  /** Drops the innermost cause of {@code kind} (only lock-less ones when asked). */
  private static boolean dropLast(
      AtomicCause[] h, boolean[] gone, AtomicKind kind, boolean locklessOnly) {
    for (int i = h.length - 1; i >= 0; i--) {
      if (!gone[i] && h[i].kind() == kind && (!locklessOnly || h[i].lock() == null)) {
        gone[i] = true;
        return true;
      }
    }
    return false;
  }

  private static boolean isFlag(AtomicKind k) {
    return k == AtomicKind.IRQS_OFF
        || k == AtomicKind.BH_OFF
        || k == AtomicKind.PREEMPT_OFF
        || k == AtomicKind.RCU_READ;
  }

  private void join(int node, LockState s) {
    if (node < 0) return; // after a call that never returns
    List<LockState> list = in[node];
    if (list == null) {
      list = new ArrayList<>(2);
      list.add(s);
      in[node] = list;
      enqueue(node);
      return;
    }
    for (LockState x : list) {
      if (x.equals(s) || (x.subsumes(s) && (!exactHeld || x.sameHeld(s)))) return;
    }
    list.removeIf(x -> s.subsumes(x) && (!exactHeld || s.sameHeld(x)));
    list.add(s);
    if (++changes[node] > WIDEN_AFTER) {
      collapse(list);
    } else if (list.size() > MAX_STATES) {
      compact(list);
    }
    enqueue(node);
  }

  private void enqueue(int node) {
    if (!queued[node]) {
      queued[node] = true;
      work.add(node);
    }
  }

  /** Joins states that hold the same causes; if still too many, joins everything. */
  private static void compact(List<LockState> list) {
    List<LockState> out = new ArrayList<>();
    for (LockState s : list) {
      int i = 0;
      while (i < out.size() && !out.get(i).sameHeld(s)) i++;
      if (i == out.size()) out.add(s);
      else out.set(i, LockState.merge(out.get(i), s));
    }
    list.clear();
    list.addAll(out);
    if (list.size() > MAX_STATES) collapse(list);
  }

  private static void collapse(List<LockState> list) {
    LockState m = list.get(0);
    for (int i = 1; i < list.size(); i++) m = LockState.merge(m, list.get(i));
    list.clear();
    list.add(m);
  }

  // ---- helpers ----

  static PathState toPathState(LockState s) {
    Map<String, Boolean> a = new TreeMap<>();
    for (int i = 0; i < s.keys.length; i++) a.put(s.keys[i], s.vals[i]);
    return new PathState(List.of(s.held), Collections.unmodifiableMap(a));
  }

  private static boolean sideEffects(Expr e) {
    if (e == null) return false;
    if (e instanceof Expr.Call c && Conditions.isPureTest(c)) return sideEffects(c.args().get(0));
    if (e instanceof Expr.Call c && Conditions.isPureFunction(c)) {
      return c.args().stream().anyMatch(AtomicDataflow::sideEffects);
    }
    if (e instanceof Expr.Call || e instanceof Expr.StmtExpr || e instanceof Expr.Opaque) {
      return true;
    }
    if (e instanceof Expr.Binary b) {
      return b.isAssignment() || sideEffects(b.left()) || sideEffects(b.right());
    }
    if (e instanceof Expr.Unary u) {
      return u.op().contains("++") || u.op().contains("--") || sideEffects(u.operand());
    }
    if (e instanceof Expr.Conditional c) {
      return sideEffects(c.cond()) || sideEffects(c.then()) || sideEffects(c.otherwise());
    }
    if (e instanceof Expr.Cast c) return sideEffects(c.operand());
    if (e instanceof Expr.Member m) return sideEffects(m.base());
    if (e instanceof Expr.Index ix) return sideEffects(ix.array()) || sideEffects(ix.index());
    return false;
  }

  private static AtomicKind kindNamed(String s) {
    for (AtomicKind k : AtomicKind.values()) if (k.name().equals(s)) return k;
    return null;
  }

  static String callText(String name, Expr.Call call) {
    StringBuilder sb = new StringBuilder(name == null ? "?" : name).append('(');
    for (int i = 0; i < call.args().size(); i++) {
      if (i > 0) sb.append(", ");
      sb.append(ExprText.of(call.args().get(i)));
    }
    return sb.append(')').toString();
  }

  static String phrase(List<AtomicKind> kinds) {
    List<String> parts = new ArrayList<>();
    for (AtomicKind k : kinds) {
      parts.add(
          switch (k) {
            case SPINLOCK -> "takes a spinlock";
            case RAW_SPINLOCK -> "takes a raw spinlock";
            case RWLOCK -> "takes a rwlock";
            case SEQLOCK -> "takes a seqlock";
            case BIT_SPINLOCK -> "takes a bit spinlock";
            case LOCAL_LOCK -> "takes a local lock";
            case IRQS_OFF -> "disables interrupts";
            case BH_OFF -> "disables bottom halves";
            case PREEMPT_OFF -> "disables preemption";
            case RCU_READ -> "enters an RCU read-side critical section";
            default -> "enters atomic context";
          });
    }
    return String.join(" and ", parts);
  }
}
