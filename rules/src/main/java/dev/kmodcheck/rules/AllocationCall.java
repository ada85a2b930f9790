package dev.kmodcheck.rules;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.kernel.AllocApi;

/**
 * One call of a catalogued allocation API inside a function body.
 *
 * @param api the catalogue entry whose argument positions match {@code call.args()}
 * @param displayName what the module author wrote: the macro name when the call came from an
 *     allocation macro (6.12 kcalloc -> kmalloc_array_noprof), else the callee name
 */
public record AllocationCall(
    FunctionDef function, Expr.Call call, AllocApi api, String displayName) {

  public Expr arg(int index) {
    return index >= 0 && index < call.args().size() ? call.args().get(index) : null;
  }
}
