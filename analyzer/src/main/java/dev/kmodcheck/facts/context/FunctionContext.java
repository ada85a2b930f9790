package dev.kmodcheck.facts.context;

import dev.kmodcheck.ir.Expr;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The result of analysing one function: atomic states at each call site, and its lock effect. */
public final class FunctionContext {
  private final Map<Expr.Call, List<PathState>> states;
  private final LockEffect effect;

  public FunctionContext(IdentityHashMap<Expr.Call, List<PathState>> states, LockEffect effect) {
    this.states = states;
    this.effect = effect;
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
