package dev.kmodcheck.facts.sleep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.KernelKnowledge;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summaries shipped in the jar: present, self-describing, consistent with the tables. */
class ShippedKernelSummariesTest {

  @Test
  void bothVersionsLoadWithTheirHeader() {
    for (String v : KernelSummaries.SHIPPED) {
      KernelSummaries s = KernelSummaries.shipped(v);
      assertEquals(v, s.label());
      assertTrue(s.header().get(KernelSummaryFile.KERNEL).startsWith(v + "."), v);
      assertTrue(s.header().get(KernelSummaryFile.GENERATOR).startsWith(
          "kmodcheck summarize linux-source-" + v + " --label " + v), v);
      assertEquals(
          Integer.parseInt(s.header().get(KernelSummaryFile.FUNCTIONS)), s.functions().size());
      assertTrue(s.functions().size() > 1000, v + ": " + s.functions().size());
    }
  }

  @Test
  void theDefaultIsTheNewestAndNoneIsEmpty() {
    assertSame(KernelSummaries.shipped("6.12"), KernelKnowledge.builtin().kernelSummaries());
    assertTrue(KernelSummaries.none().isEmpty());
  }

  /** device_register() -> device_add() takes a mutex in both trees (drivers/base/core.c). */
  @Test
  void deviceRegistrationSleepsInBoth() {
    for (String v : KernelSummaries.SHIPPED) {
      KernelSummaries.Function f = KernelSummaries.shipped(v).lookup("device_register", 1);
      assertNotNull(f, v);
      assertEquals("drivers/base/core.c", f.file());
      assertTrue(f.chains().stream().anyMatch(c -> c.category() == SleepCategory.SLEEP
          && c.when() == KernelSummaries.When.ALWAYS), v + ": " + f.chains());
    }
  }

  /** Table rows win, so the generator leaves their names out; documented-atomic APIs stay out. */
  @Test
  void tableNamesAndAtomicSafeApisAreAbsent() {
    SleepApis tables = SleepApis.builtin();
    for (String v : KernelSummaries.SHIPPED) {
      KernelSummaries s = KernelSummaries.shipped(v);
      for (KernelSummaries.Function f : s.functions().values()) {
        assertFalse(tables.covers(f.name(), f.arity()), v + ": " + f.name());
        assertFalse(f.chains().isEmpty(), v + ": " + f.name());
      }
      // "This function is safe to call from any context including IRQ handler" (workqueue.c),
      // and the free paths (mm/slab_common.c, mm/page_alloc.c).
      for (String name : List.of("mod_delayed_work_on", "queue_work_on", "kfree", "__free_pages",
          "kmem_cache_free", "complete", "_printk")) {
        assertNull(s.functions().get(name), v + ": " + name);
      }
    }
  }
}
