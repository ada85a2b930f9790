package dev.kmodcheck.kernel;

/** What kind of sleeping operation a chain ends in; each maps to one rule. */
public enum SleepCategory {
  /** vmalloc family, vmap, or kvmalloc with blocking flags: vmalloc-in-atomic. */
  VMALLOC,
  /** An allocation whose GFP flags allow direct reclaim: sleeping-alloc-in-atomic. */
  ALLOC,
  /** Any other sleeping call (mutex_lock, msleep, copy_to_user, ...): sleep-in-atomic. */
  SLEEP
}
