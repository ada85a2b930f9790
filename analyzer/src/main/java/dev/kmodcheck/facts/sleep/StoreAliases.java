package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.facts.cfg.Cfg;
import dev.kmodcheck.facts.cfg.CfgBuilder;
import dev.kmodcheck.ir.Expr;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lvalues that hold a parameter's value at a branch: after {@code ctrl->state = new_state}, a later
 * {@code if (ctrl->state == NVME_CTRL_LIVE)} tests {@code new_state}. Found by a forward
 * must-analysis over the CFG that also follows local flags set to constants and tested by branches,
 * so the store made under {@code if (changed)} still counts after {@code if (!changed) return
 * false;} (nvme_change_ctrl_state). A path's state is kept apart per flag value (a few states per
 * node at most; beyond that they are merged and flags forgotten).
 *
 * <p>Any other store to the lvalue or to a variable it is based on ends the alias; calls in between
 * are trusted not to change the field (they rarely do through the pointer they are not given),
 * which is the same trust the field guards place in callees.
 */
final class StoreAliases {
  private StoreAliases() {}

  private static final int MAX_STATES = 8;

  /** One path state: known local flags and lvalue aliases. Immutable once made. */
  private record State(TreeMap<String, Boolean> flags, TreeMap<String, Integer> aliases) {}

  /** Per BRANCH or SWITCH node, the aliases that hold on every path reaching it. */
  static Map<Integer, Map<String, Integer>> at(Cfg cfg, Map<String, Integer> params) {
    boolean stores = false;
    for (int x = 0; x < cfg.size() && !stores; x++) {
      if (cfg.kind(x) != Cfg.Kind.ASSIGN) continue;
      Cfg.Assign a = (Cfg.Assign) cfg.payload(x);
      stores = !a.target().equals(a.root()) && paramOf(a.value(), params) >= 0;
    }
    if (!stores) return Map.of();
    int n = cfg.size();
    List<List<State>> in = new ArrayList<>(n);
    for (int i = 0; i < n; i++) in.add(null);
    Deque<Integer> work = new ArrayDeque<>();
    flow(in, work, cfg.entry(), new State(new TreeMap<>(), new TreeMap<>()));
    int steps = 0;
    while (!work.isEmpty()) {
      WorkBudget.checkpoint();
      // Path states are merged beyond MAX_STATES, so this ends; the bound is a guard, and a
      // partial result would claim aliases for paths not yet seen: none then.
      if (steps++ > 50 * n) return Map.of();
      int x = work.poll();
      for (State st : List.copyOf(in.get(x))) {
        switch (cfg.kind(x)) {
          case BRANCH -> {
            Boolean known = flag((Expr) cfg.payload(x), st);
            if (known == null || known) flow(in, work, cfg.next(x), st);
            if (known == null || !known) flow(in, work, cfg.alt(x), st);
          }
          case ASSIGN ->
              flow(in, work, cfg.next(x), assign((Cfg.Assign) cfg.payload(x), st, params));
          default -> {
            for (int s : cfg.successors(x)) flow(in, work, s, st);
          }
        }
      }
    }
    Map<Integer, Map<String, Integer>> out = new HashMap<>();
    for (int x = 0; x < n; x++) {
      Cfg.Kind k = cfg.kind(x);
      if ((k != Cfg.Kind.BRANCH && k != Cfg.Kind.SWITCH) || in.get(x) == null) continue;
      Map<String, Integer> common = null;
      for (State st : in.get(x)) {
        if (common == null) {
          common = new HashMap<>(st.aliases());
        } else {
          common.entrySet().removeIf(e -> !e.getValue().equals(st.aliases().get(e.getKey())));
        }
      }
      if (common != null && !common.isEmpty()) out.put(x, common);
    }
    return out;
  }

  /** The value of a tested local flag ({@code changed}, {@code !changed}) on this state. */
  private static Boolean flag(Expr cond, State st) {
    boolean negated = false;
    Expr e = CfgBuilder.strip(cond);
    while (e instanceof Expr.Unary u && u.op().equals("!")) {
      negated = !negated;
      e = CfgBuilder.strip(u.operand());
    }
    if (!(e instanceof Expr.Ident id) || id.kind() != Expr.IdKind.LOCAL) return null;
    Boolean v = st.flags().get(id.name());
    return v == null ? null : v != negated;
  }

  private static State assign(Cfg.Assign a, State st, Map<String, Integer> params) {
    TreeMap<String, Boolean> flags = st.flags();
    TreeMap<String, Integer> aliases = st.aliases();
    String target = a.target();
    if (flags.containsKey(target) || (target.equals(a.root()) && a.value() != null)) {
      flags = new TreeMap<>(flags);
      flags.remove(target);
      BigInteger k = a.value() == null ? null : CfgBuilder.constant(CfgBuilder.strip(a.value()));
      if (k != null && target.equals(a.root())) flags.put(target, k.signum() != 0);
    }
    if (!aliases.isEmpty()) {
      aliases = new TreeMap<>(aliases);
      // A store to the lvalue, to the variable it hangs off, or to the parameter it holds.
      aliases
          .entrySet()
          .removeIf(
              e ->
                  e.getKey().equals(target)
                      || e.getKey().startsWith(target + "->")
                      || e.getKey().startsWith(target + ".")
                      || (a.root() != null
                          && params.get(a.root()) != null
                          && params.get(a.root()).equals(e.getValue())
                          && target.equals(a.root())));
    }
    int p = paramOf(a.value(), params);
    if (p >= 0 && !target.equals(a.root())) {
      if (aliases == st.aliases()) aliases = new TreeMap<>(aliases);
      aliases.put(target, p);
    }
    return flags == st.flags() && aliases == st.aliases() ? st : new State(flags, aliases);
  }

  private static int paramOf(Expr e, Map<String, Integer> params) {
    if (e == null) return -1;
    while (e instanceof Expr.Cast c) e = c.operand();
    if (!(e instanceof Expr.Ident id) || id.kind() != Expr.IdKind.PARAM) return -1;
    Integer p = params.get(id.name());
    return p == null ? -1 : p;
  }

  private static void flow(List<List<State>> in, Deque<Integer> work, int to, State st) {
    if (to < 0) return;
    List<State> old = in.get(to);
    if (old == null) {
      List<State> l = new ArrayList<>(2);
      l.add(st);
      in.set(to, l);
      work.add(to);
      return;
    }
    if (old.contains(st)) return;
    List<State> next = new ArrayList<>(old);
    next.add(st);
    if (next.size() > MAX_STATES) next = List.of(merge(next));
    if (next.equals(old)) return;
    in.set(to, new ArrayList<>(next));
    work.add(to);
  }

  /** One state that holds what all of {@code states} agree on, flags forgotten. */
  private static State merge(List<State> states) {
    TreeMap<String, Integer> common = new TreeMap<>(states.get(0).aliases());
    for (State st : states) {
      common.entrySet().removeIf(e -> !e.getValue().equals(st.aliases().get(e.getKey())));
    }
    return new State(new TreeMap<>(), common);
  }
}
