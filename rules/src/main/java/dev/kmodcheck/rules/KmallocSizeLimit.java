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
 * A kmalloc-family request above KMALLOC_MAX_SIZE makes get_order() exceed the largest page order,
 * so the page allocator WARNs once and returns NULL; an n x size product that overflows size_t
 * returns NULL silently (docs/kernel-facts.md §1.7). kvmalloc is not checked (vmalloc fallback).
 */
@RuleInfo(
    id = "kmalloc-size-limit",
    name = "KmallocSizeLimit",
    severity = Severity.ERROR,
    summary =
        "kmalloc-family allocation whose size provably exceeds KMALLOC_MAX_SIZE or overflows"
            + " size_t, so it always fails",
    tags = {"correctness", "memory", "kmalloc", "allocation-size"},
    precision = "very-high")
public final class KmallocSizeLimit implements UnitRule {

  @Override
  public void checkUnit(UnitContext ctx) {
    Target target = ctx.target();
    BigInteger limit = BigInteger.valueOf(target.kmallocMaxSize());
    for (AllocationCall call : AllocationCalls.of(ctx, AllocApi.Family.KMALLOC)) {
      ValueEvaluator ev = ctx.evaluator(call.function());
      RequestSize size = RequestSize.of(call, ev);
      if (size == null) continue;
      String message;
      if (size.overflow()) {
        message =
            call.displayName()
                + " of "
                + size.factors().get(0)
                + " x "
                + size.factors().get(1)
                + (size.factors().size() > 2 ? " x ..." : "")
                + " overflows size_t: the overflow check makes the allocation always fail"
                + " (NULL, no warning)";
      } else if (size.total().compareTo(limit) > 0) {
        message =
            Describe.request(call, size)
                + " exceeds KMALLOC_MAX_SIZE ("
                + Describe.onTarget(target.kmallocMaxSize(), target)
                + "): the allocation always fails";
      } else {
        continue;
      }
      Provenance.report(ctx, this, call, RequestSize.sizeExprs(call), ev, message);
    }
  }
}
