package dev.kmodcheck.facts.sleep;

import java.util.List;

/**
 * A witness that a call may sleep: the calls from the call site's callee down to the sleeping
 * API, shortest first. {@code steps} excludes the call site itself (the rule reports there).
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
