package dev.kmodcheck.rules;

import dev.kmodcheck.check.Fact;
import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.kernel.KernelApis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the calls of catalogued allocation APIs in the function bodies of a unit, outermost call
 * first. Global initialisers are not searched: they cannot call functions in C.
 */
public final class AllocationCalls {

  private AllocationCalls() {}

  /**
   * Allocation calls of {@code family} in functions of the scanned project. Functions parsed from
   * headers outside the source root (kernel headers in build-aware mode, reported with absolute or
   * "../" paths) are skipped: their sizes are parameters, and any finding there would not be the
   * module author's to fix. Calls that share one source range (one macro expansion producing nested
   * allocation calls) are reported once.
   */
  public static List<AllocationCall> of(UnitContext ctx, AllocApi.Family family) {
    List<AllocationCall> out = new ArrayList<>();
    for (List<AllocationCall> inFunction : ctx.fact(BY_FUNCTION)) {
      Set<SrcRange> seen = new HashSet<>();
      for (AllocationCall ac : inFunction) {
        if (ac.api().family() == family && seen.add(ac.call().range())) out.add(ac);
      }
    }
    return out;
  }

  /**
   * Every catalogued call (any family) of each project function with a body, in walk order: the
   * unit's IR is walked once for the rules that ask for one family each.
   */
  private static final Fact<UnitContext, List<List<AllocationCall>>> BY_FUNCTION =
      Fact.ofUnit("allocation calls", ctx -> callsByFunction(ctx.unit(), ctx.apis()));

  private static List<List<AllocationCall>> callsByFunction(TranslationUnit unit, KernelApis apis) {
    List<List<AllocationCall>> byFunction = new ArrayList<>();
    for (FunctionDef fn : unit.functions()) {
      if (fn.body() == null || !fn.range().inProject()) continue;
      List<AllocationCall> calls = new ArrayList<>();
      forEachCall(
          fn.body(),
          call -> {
            AllocationCall ac = resolve(fn, call, apis);
            if (ac != null) calls.add(ac);
          });
      byFunction.add(calls);
    }
    return byFunction;
  }

  /**
   * The catalogue entry for a call: by its callee name (which also covers 6.12 _noprof names), else
   * by the macro it came from, so kcalloc/kzalloc written as macros are still matched.
   */
  static AllocationCall resolve(FunctionDef fn, Expr.Call call, KernelApis apis) {
    int argc = call.args().size();
    String callee = call.calleeName();
    AllocApi byCallee = apis.alloc(callee, argc);
    AllocApi byMacro = call.macro() == null ? null : apis.alloc(call.macro(), argc);
    if (byCallee != null) {
      boolean sameApi = byMacro != null && byMacro.family() == byCallee.family();
      String shown = sameApi ? call.macro() : callee;
      return new AllocationCall(fn, call, byCallee, shown);
    }
    if (byMacro != null) return new AllocationCall(fn, call, byMacro, call.macro());
    return null;
  }

  /** Visits every call in {@code stmt} in source order, outer calls before their arguments. */
  public static void forEachCall(Stmt stmt, Consumer<Expr.Call> visitor) {
    IrWalk.calls(stmt, visitor);
  }
}
