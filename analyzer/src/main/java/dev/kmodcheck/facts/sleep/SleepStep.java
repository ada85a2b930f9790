package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.ir.SrcRange;

/**
 * One call of a may-sleep chain, e.g. "helper() calls kzalloc(size, GFP_KERNEL)".
 *
 * @param flags the GFP flags this call hands down to the allocation at the end of the chain, as
 *     written ("GFP_KERNEL"), when they are not the caller's own parameter; else null
 */
public record SleepStep(SrcRange range, String message, String flags) {
  public SleepStep(SrcRange range, String message) {
    this(range, message, null);
  }
}
