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
 * The page allocator rejects orders above the largest one (6.1 order >= MAX_ORDER, 6.12 order >
 * MAX_PAGE_ORDER) with a one-shot WARN and NULL (docs/kernel-facts.md §1.2, §1.10).
 */
@RuleInfo(
    id = "page-order-limit",
    name = "PageOrderLimit",
    severity = Severity.ERROR,
    summary =
        "Page-allocator call whose order provably exceeds the largest page order, so it always"
            + " fails",
    tags = {"correctness", "memory", "page-allocator", "allocation-size"},
    precision = "very-high")
public final class PageOrderLimit implements UnitRule {

  @Override
  public void checkUnit(UnitContext ctx) {
    Target target = ctx.target();
    BigInteger max = BigInteger.valueOf(target.maxOrder());
    for (AllocationCall call : AllocationCalls.of(ctx, AllocApi.Family.PAGES)) {
      ValueEvaluator ev = ctx.evaluator(call.function());
      PageOrder po = PageOrder.of(call, ev, target);
      if (po == null || po.order().compareTo(max) <= 0) continue;
      String what = Describe.pageRequest(call, po, target);
      String message =
          what
              + " exceeds the largest page order "
              + target.maxOrder()
              + " ("
              + Describe.onTarget(target.pageSize() << target.maxOrder(), target)
              + "): the allocation always fails";
      Provenance.report(ctx, this, call, PageOrder.orderExprs(call), ev, message);
    }
  }
}
