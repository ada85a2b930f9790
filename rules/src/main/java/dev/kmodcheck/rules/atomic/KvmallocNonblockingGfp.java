package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.check.UnitRule;
import dev.kmodcheck.facts.CValue;
import dev.kmodcheck.facts.Gfp;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.rules.AllocationCall;
import dev.kmodcheck.rules.AllocationCalls;
import java.util.List;

/**
 * kvmalloc falls back to vmalloc only when its flags allow blocking: with GFP_ATOMIC or GFP_NOWAIT
 * (no __GFP_DIRECT_RECLAIM) it is a plain kmalloc attempt that returns NULL for sizes kmalloc
 * cannot serve, and its kernel-doc says they are unsupported (docs/kernel-facts.md §1.11, §2.3).
 * Only flags whose value is provable are judged.
 */
@RuleInfo(
    id = "kvmalloc-nonblocking-gfp",
    name = "KvmallocNonblockingGfp",
    severity = Severity.WARNING,
    summary =
        "kvmalloc-family call with GFP flags that do not allow blocking (GFP_ATOMIC, GFP_NOWAIT):"
            + " there is no vmalloc fallback and the kernel documents these flags as unsupported",
    tags = {"correctness", "memory", "kvmalloc", "gfp", "atomic-context"},
    precision = "very-high")
public final class KvmallocNonblockingGfp implements UnitRule {

  @Override
  public void checkUnit(UnitContext ctx) {
    for (AllocationCall call : AllocationCalls.of(ctx, AllocApi.Family.KVMALLOC)) {
      Expr gfp = call.arg(call.api().gfpArg());
      if (gfp == null) continue;
      ValueEvaluator ev = ctx.evaluator(call.function());
      Gfp.Verdict verdict = Gfp.of(gfp, ev, call.call().macro());
      if (verdict.kind() != Gfp.Kind.NO_BLOCK) continue;
      CValue v = ev.eval(gfp);
      String message =
          call.displayName()
              + "() with "
              + verdict.reason()
              + " never falls back to vmalloc:"
              + " flags that cannot block make it a plain kmalloc attempt, and kvmalloc documents"
              + " them as unsupported";
      ctx.report(
          new Finding(
              info().id(),
              info().severity(),
              message,
              call.call().range(),
              call.function().name(),
              List.of(
                  new TraceStep(
                      gfp.range(),
                      "the flags "
                          + (v == null ? "" : "evaluate to 0x" + v.value().toString(16) + " and ")
                          + "lack __GFP_DIRECT_RECLAIM (0x400)"))));
    }
  }
}
