package dev.kmodcheck.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which kernel APIs may sleep, as data: the non-allocation table {@code sleep-apis.tsv} next to
 * {@link KernelApis}, and the allocation catalogue {@code alloc-apis.tsv} (its {@code sleeps}
 * column and family, docs/kernel-facts.md §3.1).
 */
public final class SleepApis {

  private static final String NOPROF = "_noprof";
  private static final String TABLE = "/dev/kmodcheck/kernel/sleep-apis.tsv";

  /** When a table API sleeps. */
  public enum Condition {
    ALWAYS,
    /** vfree, kvfree: deferred (no sleep) in hardirq, softirq and BH-disabled code (§3.2). */
    UNLESS_IN_INTERRUPT,
    /**
     * dma_free_coherent: does not sleep under a plain spinlock; wrong only with interrupts disabled
     * ({@code WARN_ON(irqs_disabled())}: IRQs-off sections and hard IRQ handlers; §3.1, §5.5). The
     * rules do not report it in softirq context, where the kernel does not check.
     */
    IRQS_OFF_OR_IN_INTERRUPT,
    /**
     * cond_resched_rcu: leaves the caller's RCU read-side section around its sleep ({@code
     * rcu_read_unlock(); cond_resched(); rcu_read_lock();}), so it is wrong only where something
     * besides RCU makes the caller atomic (a spinlock, interrupts off).
     */
    BESIDES_RCU,
    /**
     * schedule: the scheduler checks only the preempt count ({@code schedule_debug()}, {@code
     * __schedule_bug()}) and handles interrupts itself, so calling it with only interrupts disabled
     * is the legal exit-to-user pattern (do_work_pending); wrong where a lock, preemption or bottom
     * halves off, RCU or interrupt context make the caller atomic.
     */
    BESIDES_IRQS_OFF,
    /**
     * I2C transfers: the core switches to atomic transfers (a trylock and the adapter's atomic
     * transfer) while the system goes down with interrupts off, which is what restart and power-off
     * handlers are written for; wrong in any other atomic context.
     */
    UNLESS_SHUTTING_DOWN,
    /**
     * Whether it sleeps is decided by something the calling driver does not choose in its code
     * (hid_hw_request: only on a transport without an asynchronous {@code ll_driver->request}).
     * Never reported, and its body, when scanned, is not searched for chains either.
     */
    UNCERTAIN,
    /**
     * Documented not to sleep, so callable in atomic context (usb_unlink_urb: "This request is
     * asynchronous"); its body, when scanned, holds internal paths (root-hub giveback) that are not
     * the caller's to reason about and is not searched.
     */
    NEVER;

    /** Whether chains ending in such an API are reported at all. */
    public boolean reported() {
      return this != UNCERTAIN && this != NEVER;
    }
  }

  /**
   * One sleeping API.
   *
   * @param gfpArg index of the gfp argument that decides, or -1 when it sleeps whatever the
   *     arguments
   * @param vmallocFallback kvmalloc family: only the vmalloc fallback sleeps-in-atomic as vmalloc
   */
  public record Api(
      String name,
      SleepCategory category,
      Condition condition,
      int gfpArg,
      boolean vmallocFallback,
      String source) {}

  private record Row(int arity, Api api) {}

  private final Map<String, List<Row>> byName;
  private final KernelApis allocs;

  private SleepApis(Map<String, List<Row>> byName, KernelApis allocs) {
    this.byName = byName;
    this.allocs = allocs;
  }

  private static final class Builtin {
    static final SleepApis INSTANCE =
        DataTable.load(
            SleepApis.class, TABLE, in -> parse(in, "sleep-apis.tsv", KernelApis.builtin()));
  }

  /** The shipped tables, loaded on first use. */
  public static SleepApis builtin() {
    return Builtin.INSTANCE;
  }

  /** Parses a table in the sleep-apis.tsv format; errors name the source and line. */
  public static SleepApis parse(InputStream in, String sourceName, KernelApis allocs)
      throws IOException {
    Map<String, List<Row>> map = new HashMap<>();
    DataTable.read(
        in,
        sourceName,
        5,
        c -> {
          int arity = c[1].equals("*") ? -1 : Integer.parseInt(c[1]);
          Api api =
              new Api(c[0], SleepCategory.valueOf(c[2]), Condition.valueOf(c[3]), -1, false, c[4]);
          map.computeIfAbsent(c[0], k -> new ArrayList<>()).add(new Row(arity, api));
        });
    return new SleepApis(map, allocs);
  }

  /**
   * The sleeping API called as {@code name} with {@code argc} arguments, or null (it never sleeps,
   * or is not known). The 6.12 {@code _noprof} spelling matches the plain name.
   */
  public Api lookup(String name, int argc) {
    if (name == null) return null;
    AllocApi alloc = allocs.alloc(name, argc);
    if (alloc != null) return fromAlloc(alloc);
    Api api = table(name, argc);
    if (api == null && name.endsWith(NOPROF)) {
      api = table(name.substring(0, name.length() - NOPROF.length()), argc);
    }
    return api;
  }

  /**
   * Whether the hand-written tables have a row for {@code name}, sleeping or not (kfree, a NEVER
   * row): kernel summaries are then not consulted, because the row states the API's documented
   * contract and a summary only what one tree's body happens to do.
   */
  public boolean covers(String name, int argc) {
    if (name == null) return false;
    if (allocs.alloc(name, argc) != null || table(name, argc) != null) return true;
    return name.endsWith(NOPROF)
        && covers(name.substring(0, name.length() - NOPROF.length()), argc);
  }

  private Api table(String name, int argc) {
    List<Row> rows = byName.get(name);
    if (rows == null) return null;
    for (Row row : rows) {
      if (row.arity == -1 || row.arity == argc) return row.api;
    }
    return null;
  }

  /** docs/kernel-facts.md §3.1: the family and sleeps column decide the category. */
  private static Api fromAlloc(AllocApi a) {
    if (a.sleeps() == AllocApi.Sleeps.NEVER) return null;
    if (a.family() == AllocApi.Family.VMALLOC) {
      return new Api(a.name(), SleepCategory.VMALLOC, Condition.ALWAYS, -1, false, a.source());
    }
    if (a.sleeps() == AllocApi.Sleeps.ALWAYS || a.gfpArg() < 0) {
      return new Api(a.name(), SleepCategory.ALLOC, Condition.ALWAYS, -1, false, a.source());
    }
    boolean kv = a.family() == AllocApi.Family.KVMALLOC;
    SleepCategory cat = kv ? SleepCategory.VMALLOC : SleepCategory.ALLOC;
    return new Api(a.name(), cat, Condition.ALWAYS, a.gfpArg(), kv, a.source());
  }
}
