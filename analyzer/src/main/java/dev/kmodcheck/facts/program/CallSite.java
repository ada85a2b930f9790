package dev.kmodcheck.facts.program;

import dev.kmodcheck.ir.Expr;

/**
 * A direct call in a function body. Identity semantics (see {@link FunctionRef}); key maps by
 * {@code call} with an IdentityHashMap.
 */
public final class CallSite {
  private final FunctionRef caller;
  private final Expr.Call call;

  public CallSite(FunctionRef caller, Expr.Call call) {
    this.caller = caller;
    this.call = call;
  }

  public FunctionRef caller() {
    return caller;
  }

  public Expr.Call call() {
    return call;
  }

  /** The name the call site uses: the callee name, or the macro that produced the call. */
  public String name() {
    String n = call.calleeName();
    return n != null ? n : call.macro();
  }
}
