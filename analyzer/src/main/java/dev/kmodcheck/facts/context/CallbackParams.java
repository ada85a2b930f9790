package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.RegistrationTable;
import dev.kmodcheck.kernel.RegistrationTable.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a function's parameters it hands to a callback registration, for kernel summaries
 * ({@code kmodcheck summarize}): {@code pci_request_irq(dev, nr, handler, ...)} passes {@code
 * handler} to {@code request_threaded_irq()}, so a module's handler given to {@code
 * pci_request_irq()} runs in hard IRQ context. Found directly, at a call of callback-apis.tsv with
 * the parameter as the callback argument (or as the struct argument holding it), and as flows into
 * other calls for the summaries' fixed point to follow.
 */
public final class CallbackParams {
  private CallbackParams() {}

  /**
   * The parameter {@code param} is registered by the table API {@code api} at {@code at}.
   *
   * @param field the callback's field in the struct the parameter points to, or null
   * @param how the table row's trace words with {@code {api}} filled in, {@code {fn}} left
   */
  public record Direct(
      int param, String field, AtomicKind kind, String api, String how, SrcRange at) {}

  /** The parameter {@code param} is passed as argument {@code argIndex} of {@code site}. */
  public record Flow(int param, int argIndex, CallSite site) {}

  /** Both kinds of facts of one function. */
  public record Facts(List<Direct> direct, List<Flow> flows) {
    public boolean isEmpty() {
      return direct.isEmpty() && flows.isEmpty();
    }
  }

  private static final Facts NONE = new Facts(List.of(), List.of());

  public static Facts of(Program program, FunctionRef fn) {
    List<VarDecl> params = fn.def().params();
    if (params.isEmpty()) return NONE;
    RegistrationTable table = program.knowledge().callbackApis();
    List<Direct> direct = new ArrayList<>();
    List<Flow> flows = new ArrayList<>();
    for (CallSite site : program.callSites(fn)) {
      Expr.Call call = site.call();
      String api = call.calleeName();
      Row row = table.call(api);
      if (row == null && call.macro() != null) {
        row = table.call(call.macro());
        api = call.macro();
      }
      for (int i = 0; i < call.args().size(); i++) {
        int p = paramIndex(params, call.args().get(i));
        if (p < 0) continue;
        if (row != null) {
          if (row.index() == i) {
            direct.add(
                new Direct(
                    p,
                    row.field(),
                    row.kind(),
                    api,
                    row.how().replace("{api}", api).replace("{var}", ""),
                    call.range()));
          }
        } else if (site.name() != null) {
          flows.add(new Flow(p, i, site));
        }
      }
    }
    return direct.isEmpty() && flows.isEmpty() ? NONE : new Facts(direct, flows);
  }

  /** The parameter an argument is, through casts ({@code (irq_handler_t)handler}), or -1. */
  private static int paramIndex(List<VarDecl> params, Expr arg) {
    Expr e = arg;
    while (e instanceof Expr.Cast c) e = c.operand();
    if (!(e instanceof Expr.Ident id) || id.kind() != Expr.IdKind.PARAM) return -1;
    for (int i = 0; i < params.size(); i++) {
      if (id.name().equals(params.get(i).name())) return i;
    }
    return -1;
  }
}
