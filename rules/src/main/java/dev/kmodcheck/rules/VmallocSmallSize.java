package dev.kmodcheck.rules;

import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.check.UnitRule;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * vmalloc is meant for large buffers that only software touches: each request takes whole pages, a
 * range of kernel virtual address space with a guard page, and page-table updates (and a TLB flush
 * when freed). A request that is provably at most PAGE_SIZE gets none of vmalloc's benefit (it
 * exists to avoid high-order contiguous blocks) and kmalloc serves it from the slab, faster and
 * without the mapping. Variants with a purpose kmalloc cannot serve are not reported:
 * vmalloc_user/vmalloc_32* (user-mappable or 32-bit-addressable pages), vmap/vm_map_ram, vrealloc,
 * __vmalloc_node_range, vmalloc_huge, nor any allocation in a function that hands vmalloc memory to
 * vmalloc_to_page/vmalloc_to_pfn/remap_vmalloc_range* or to dev_coredumpv().
 */
@RuleInfo(
    id = "vmalloc-small-size",
    name = "VmallocSmallSize",
    severity = Severity.WARNING,
    summary =
        "vmalloc-family allocation of at most PAGE_SIZE: kmalloc serves it from the slab without"
            + " a page-table mapping, a guard page and a whole page per request",
    tags = {"performance", "memory", "vmalloc", "allocation-size"},
    precision = "high")
public final class VmallocSmallSize implements UnitRule {

  /** The reported vmalloc variants and their kmalloc counterparts. */
  private static final Map<String, String> KMALLOC_FOR =
      Map.of(
          "vmalloc", "kmalloc",
          "vzalloc", "kzalloc",
          "vmalloc_node", "kmalloc_node",
          "vzalloc_node", "kzalloc_node",
          "vmalloc_array", "kmalloc_array",
          "vcalloc", "kcalloc",
          "__vmalloc", "kmalloc",
          "__vmalloc_node", "kmalloc_node");

  /**
   * Callees that need the buffer's pages to be vmalloc pages, or take the buffer over and free it
   * with vfree() (dev_coredumpv, drivers/base/devcoredump.c).
   */
  private static final Set<String> NEEDS_VMALLOC_PAGES =
      Set.of(
          "vmalloc_to_page",
          "vmalloc_to_pfn",
          "remap_vmalloc_range",
          "remap_vmalloc_range_partial",
          "dev_coredumpv");

  @Override
  public void checkUnit(UnitContext ctx) {
    Target target = ctx.target();
    BigInteger page = BigInteger.valueOf(target.pageSize());
    for (AllocationCall call : AllocationCalls.of(ctx, AllocApi.Family.VMALLOC)) {
      String instead = KMALLOC_FOR.get(call.api().name());
      if (instead == null || needsVmallocPages(call)) continue;
      ValueEvaluator ev = ctx.evaluator(call.function());
      RequestSize size = RequestSize.of(call, ev);
      if (size == null || size.overflow()) continue;
      BigInteger total = size.total();
      if (total.signum() <= 0 || total.compareTo(page) > 0) continue;
      String fix = instead + "()";
      if (!literalOnly(RequestSize.sizeExprs(call))) {
        // sizeof and macros can grow with another configuration or target; kvmalloc picks
        // kmalloc or vmalloc at run time and stays right either way.
        fix += " (or kv" + instead.substring(1) + "() if the size can exceed a page elsewhere)";
      }
      String message =
          Describe.request(call, size)
              + " is at most PAGE_SIZE ("
              + Describe.onTarget(target.pageSize(), target)
              + "): "
              + fix
              + " serves it from the slab without a page-table mapping, a guard page and a"
              + " whole page; free it with kfree() (or kvfree())";
      Provenance.report(ctx, this, call, RequestSize.sizeExprs(call), ev, message);
    }
  }

  private static boolean needsVmallocPages(AllocationCall call) {
    AtomicBoolean found = new AtomicBoolean();
    AllocationCalls.forEachCall(
        call.function().body(),
        c -> {
          if (c.calleeName() != null && NEEDS_VMALLOC_PAGES.contains(c.calleeName())) {
            found.set(true);
          }
        });
    return found.get();
  }

  /** Whether the size is written with integer literals only (no sizeof, macro or variable). */
  private static boolean literalOnly(List<Expr> exprs) {
    for (Expr e : exprs) {
      if (e.macro() != null) return false;
      AtomicBoolean other = new AtomicBoolean();
      IrWalk.expressions(
          e,
          x -> {
            if (!(x instanceof Expr.IntLit)
                && !(x instanceof Expr.Binary)
                && !(x instanceof Expr.Cast)) {
              other.set(true);
            } else if (x.macro() != null) {
              other.set(true);
            }
          });
      if (other.get()) return false;
    }
    return true;
  }
}
