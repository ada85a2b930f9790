package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.SleepCategory;
import java.util.ArrayList;
import java.util.List;

/**
 * A witness that a call may sleep: the calls from the call site down to the sleeping API. {@code
 * steps.get(0)} is the call site itself (for a sleeping API called directly, the only step); each
 * later step is a call inside the previous step's callee; the last is the sleeping API call.
 *
 * @param api the sleeping API at the end of the chain (e.g. "vmalloc", "mutex_lock")
 * @param condition when the API at the end is wrong in atomic context: always, only outside
 *     interrupt context (vfree, kvfree: §3.2), or only with interrupts disabled or in interrupt
 *     context (dma_free_coherent: §3.1, §5.5)
 * @param kernelSummary when the chain leaves the scanned code through a kernel summary, what the
 *     summary says in a few words ("kernel 6.12 summary: it reaches kzalloc with GFP_KERNEL"); else
 *     null
 * @param conditions branch conditions inside the called functions that the chain needs and the
 *     analysis cannot decide from the arguments it is given ("amdgpu_sriov_runtime(adev)", "flags &
 *     0x4"), in chain order; empty when the chain runs whenever its first call does
 */
public record SleepChain(
    SleepCategory category,
    String api,
    List<SleepStep> steps,
    SleepApis.Condition condition,
    String kernelSummary,
    List<String> conditions) {

  /** A chain that stays in the scanned code and needs no undecided condition. */
  public SleepChain(
      SleepCategory category, String api, List<SleepStep> steps, SleepApis.Condition condition) {
    this(category, api, steps, condition, null, List.of());
  }

  /** The same chain, needing {@code more} conditions besides its own. */
  public SleepChain under(List<String> more) {
    List<String> all = new ArrayList<>(conditions);
    for (String m : more) if (!all.contains(m)) all.add(m);
    return new SleepChain(category, api, steps, condition, kernelSummary, List.copyOf(all));
  }

  /** Whether the chain runs whenever its first call does. */
  public boolean certain() {
    return conditions.isEmpty();
  }

  public int length() {
    return steps.size();
  }

  /** The API sleeps only outside interrupt context (vfree, kvfree: docs/kernel-facts.md §3.2). */
  public boolean unlessInInterrupt() {
    return condition == SleepApis.Condition.UNLESS_IN_INTERRUPT;
  }

  /** The API leaves an RCU read-side section around its sleep (cond_resched_rcu). */
  public boolean besidesRcu() {
    return condition == SleepApis.Condition.BESIDES_RCU;
  }

  /** The API has an atomic mode for restart and power-off handlers (I2C transfers). */
  public boolean unlessShuttingDown() {
    return condition == SleepApis.Condition.UNLESS_SHUTTING_DOWN;
  }

  /** The API is wrong only where more than disabled interrupts makes the caller atomic. */
  public boolean besidesIrqsOff() {
    return condition == SleepApis.Condition.BESIDES_IRQS_OFF;
  }

  /** The API is wrong only with interrupts disabled or in interrupt context (§3.1, §5.5). */
  public boolean onlyIrqsOffOrInInterrupt() {
    return condition == SleepApis.Condition.IRQS_OFF_OR_IN_INTERRUPT;
  }
}
