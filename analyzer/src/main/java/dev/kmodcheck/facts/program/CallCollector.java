package dev.kmodcheck.facts.program;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.IrWalk;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the direct calls of a function body in source order (a call before the calls in its
 * arguments). Calls through function pointers are left out: their target is unknown, and the name
 * they use is a variable, not a function. Calls that a macro produced are kept even when the callee
 * is not a plain name, so the macro name can stand for the API.
 */
final class CallCollector {
  private CallCollector() {}

  static List<CallSite> collect(FunctionRef caller) {
    List<CallSite> out = new ArrayList<>();
    IrWalk.calls(
        caller.def().body(),
        call -> {
          if (isDirect(call)) out.add(new CallSite(caller, call));
        });
    return List.copyOf(out);
  }

  /** A call whose target is a function name (or that a macro made), not a function pointer. */
  static boolean isDirect(Expr.Call call) {
    if (call.callee() instanceof Expr.Ident id) {
      return id.kind() == Expr.IdKind.FUNCTION || id.kind() == Expr.IdKind.UNRESOLVED;
    }
    return call.macro() != null;
  }
}
