package dev.kmodcheck.facts.context;

import java.util.List;
import java.util.Map;

/**
 * The atomic state on one group of paths reaching a program point: what is held (innermost last),
 * and the branch conditions those paths assumed, keyed by {@link dev.kmodcheck.facts.ExprKey} text
 * (true: the condition held). Assumptions let a check evaluate {@code atomic ? GFP_ATOMIC :
 * GFP_KERNEL} on the paths where the lock is held.
 */
public record PathState(List<AtomicCause> held, Map<String, Boolean> assumptions) {

  public boolean atomic() {
    return !held.isEmpty();
  }

  /** True when every cause makes in_interrupt() hold (vfree defers, docs/kernel-facts.md §3.2). */
  public boolean onlyInInterrupt() {
    return !held.isEmpty() && held.stream().allMatch(c -> c.kind().inInterrupt());
  }

  /** Where atomic context began on these paths: the outermost cause. */
  public AtomicCause outermost() {
    return held.isEmpty() ? null : held.get(0);
  }
}
