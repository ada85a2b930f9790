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
 * A kmalloc-family request above PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER needs a contiguous block of
 * order 4 or more, which the page allocator gives up early when fragmented (docs/kernel-facts.md
 * §1.8). Requests above KMALLOC_MAX_SIZE belong to {@link KmallocSizeLimit}; a caller that passes
 * __GFP_NOWARN has declared that it handles failure, so it is not reported.
 */
@RuleInfo(
    id = "kmalloc-costly-order",
    name = "KmallocCostlyOrder",
    severity = Severity.WARNING,
    summary =
        "kmalloc-family allocation above PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER, a high-order"
            + " contiguous request that is likely to fail when memory is fragmented",
    tags = {"reliability", "memory", "kmalloc", "allocation-size", "fragmentation"},
    precision = "high")
public final class KmallocCostlyOrder implements UnitRule {

  @Override
  public void checkUnit(UnitContext ctx) {
    Target target = ctx.target();
    BigInteger costly = BigInteger.valueOf(target.costlySize());
    BigInteger limit = BigInteger.valueOf(target.kmallocMaxSize());
    for (AllocationCall call : AllocationCalls.of(ctx, AllocApi.Family.KMALLOC)) {
      ValueEvaluator ev = ctx.evaluator(call.function());
      RequestSize size = RequestSize.of(call, ev);
      // Same total as KmallocSizeLimit compares, so the two ranges are disjoint.
      if (size == null || size.overflow()) continue;
      BigInteger total = size.total();
      if (total.compareTo(costly) <= 0 || total.compareTo(limit) > 0) continue;
      if (GfpFlags.provablyHas(call, ev, GfpFlags.NOWARN)) continue;
      BigInteger order = PageOrder.getOrder(total, target.pageShift());
      String message =
          Describe.request(call, size)
              + " needs an order-"
              + order
              + " page block, above PAGE_ALLOC_COSTLY_ORDER ("
              + Describe.onTarget(target.costlySize(), target)
              + "): it is likely to fail when memory is fragmented";
      Provenance.report(ctx, this, call, RequestSize.sizeExprs(call), ev, message);
    }
  }
}
