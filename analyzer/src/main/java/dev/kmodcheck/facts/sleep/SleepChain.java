package dev.kmodcheck.facts.sleep;

import java.util.List;

/**
 * A witness that a call may sleep: the calls from the call site down to the sleeping API. {@code
 * steps.get(0)} is the call site itself (for a sleeping API called directly, the only step); each
 * later step is a call inside the previous step's callee; the last is the sleeping API call.
 *
 * @param api the sleeping API at the end of the chain (e.g. "vmalloc", "mutex_lock")
 * @param unlessInInterrupt the API sleeps only outside interrupt context (vfree, kvfree: §3.2)
 */
public record SleepChain(
    SleepCategory category, String api, List<SleepStep> steps, boolean unlessInInterrupt) {
  public int length() {
    return steps.size();
  }
}
