package dev.kmodcheck.facts.origin;

import dev.kmodcheck.kernel.OriginKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A concrete origin of a pointer value and how it got to where it is used.
 *
 * @param kind what kind of memory it is
 * @param what the allocator call or the variable, as written ("vzalloc()", "local array 'buf'")
 * @param size the requested bytes of a kvmalloc-family allocation when provable, else null
 * @param mayBlock the allocation's GFP flags provably allow direct reclaim (kvmalloc: the vmalloc
 *     fallback is possible only then, docs/kernel-facts.md §1.11); false when not provable
 * @param steps from the allocation or declaration to the current point, in order
 */
public record Origin(
    OriginKind kind, String what, BigInteger size, boolean mayBlock, List<OriginStep> steps) {

  public Origin {
    steps = List.copyOf(steps);
  }

  /** The same origin having gone through {@code more} steps. */
  public Origin then(List<OriginStep> more) {
    if (more.isEmpty()) return this;
    List<OriginStep> all = new ArrayList<>(steps.size() + more.size());
    all.addAll(steps);
    all.addAll(more);
    return new Origin(kind, what, size, mayBlock, all);
  }

  /**
   * A kvmalloc allocation known to go above PAGE_SIZE with blocking flags, the only case in which
   * kvmalloc_node() may return vmalloc memory (docs/kernel-facts.md §1.11, steps 2 and 3).
   */
  public boolean mayBeVmalloc(long pageSize) {
    return kind == OriginKind.KVMALLOC
        && mayBlock
        && size != null
        && size.compareTo(BigInteger.valueOf(pageSize)) > 0;
  }
}
