package dev.kmodcheck.rules;

import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.check.UnitRule;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;

/**
 * Orders above PAGE_ALLOC_COSTLY_ORDER (3) do not coalesce under reasonable reclaim pressure; the
 * slow path gives up after one round of reclaim and compaction (docs/kernel-facts.md §1.8). Orders
 * above the largest one belong to {@link PageOrderLimit}; __GFP_NOWARN callers are not reported.
 */
@RuleInfo(
    id = "page-order-costly",
    name = "PageOrderCostly",
    severity = Severity.WARNING,
    summary =
        "Page-allocator call with an order above PAGE_ALLOC_COSTLY_ORDER (3), likely to fail"
            + " when memory is fragmented",
    tags = {"reliability", "memory", "page-allocator", "allocation-size", "fragmentation"},
    precision = "high")
public final class PageOrderCostly implements UnitRule {

  @Override
  public void checkUnit(UnitContext ctx) {
    Target target = ctx.target();
    BigInteger costly = BigInteger.valueOf(Target.COSTLY_ORDER);
    BigInteger max = BigInteger.valueOf(target.maxOrder());
    for (AllocationCall call : AllocationCalls.of(ctx, AllocApi.Family.PAGES)) {
      ValueEvaluator ev = ctx.evaluator(call.function());
      PageOrder po = PageOrder.of(call, ev, target);
      if (po == null || po.order().compareTo(costly) <= 0 || po.order().compareTo(max) > 0) {
        continue;
      }
      if (GfpFlags.provablyHas(call, ev, GfpFlags.NOWARN)) continue;
      String what = Describe.pageRequest(call, po, target);
      String message =
          what
              + " is above PAGE_ALLOC_COSTLY_ORDER "
              + Target.COSTLY_ORDER
              + " ("
              + Describe.onTarget(target.costlySize(), target)
              + "): it is likely to fail when memory is fragmented";
      Provenance.report(ctx, this, call, PageOrder.orderExprs(call), ev, message);
    }
  }
}
