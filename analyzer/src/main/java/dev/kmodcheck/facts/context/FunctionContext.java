package dev.kmodcheck.facts.context;

import dev.kmodcheck.ir.Expr;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The result of analysing one function: atomic states at each call site, and its lock effect. */
public final class FunctionContext {
  private final Map<Expr.Call, List<PathState>> states;
  private final Set<Expr.Call> alsoPreemptible;
  private final LockEffect effect;

  public FunctionContext(IdentityHashMap<Expr.Call, List<PathState>> states, LockEffect effect) {
    this(states, Set.of(), effect);
  }

  /**
   * @param alsoPreemptible the calls reached in atomic context on some paths and outside it on
   *     others (a helper that drops its caller's lock only under a condition)
   */
  public FunctionContext(
      IdentityHashMap<Expr.Call, List<PathState>> states,
      Set<Expr.Call> alsoPreemptible,
      LockEffect effect) {
    this.states = states;
    this.alsoPreemptible = alsoPreemptible;
    this.effect = effect;
  }

  /** Whether {@code call}, made in atomic context on some paths, is made outside it on others. */
  public boolean alsoPreemptibleAt(Expr.Call call) {
    return alsoPreemptible.contains(call);
  }

  /**
   * The states on the paths reaching {@code call} (identity), only those that are atomic; empty
   * when the call is never made in atomic context.
   */
  public List<PathState> atomicStatesAt(Expr.Call call) {
    return states.getOrDefault(call, List.of());
  }

  public LockEffect effect() {
    return effect;
  }
}
