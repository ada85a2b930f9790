package dev.kmodcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
      assertTrue(
          s.header()
              .get(KernelSummaryFile.GENERATOR)
              .startsWith("kmodcheck summarize linux-source-" + v + " --label " + v),
          v);
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
      assertTrue(
          f.chains().stream()
              .anyMatch(
                  c ->
                      c.category() == SleepCategory.SLEEP
                          && c.when() == KernelSummaries.When.ALWAYS),
          v + ": " + f.chains());
    }
  }

  /**
   * ioremap() is x86's (arch/x86/mm/ioremap.c), not UML's lib/logic_iomem.c (built only with
   * INDIRECT_IOMEM, which only arch/um selects), and answers nothing for another architecture.
   */
  @Test
  void ioremapIsTheTargetArchitectures() {
    for (String v : KernelSummaries.SHIPPED) {
      KernelSummaries s = KernelSummaries.shipped(v);
      assertEquals("x86", s.header().get(KernelSummaryFile.ARCH), v);
      for (String name : List.of("ioremap", "ioremap_cache")) {
        KernelSummaries.Function f = s.lookup(name, 2);
        assertNotNull(f, v + " " + name);
        assertEquals("arch/x86/mm/ioremap.c", f.file(), v + " " + name);
        assertEquals("x86", f.arch(), v + " " + name);
        assertFalse(f.chains().isEmpty(), v + " " + name);
        for (KernelSummaries.Chain c : f.chains()) {
          assertEquals("x86", c.arch(), v + " " + name);
          assertTrue(c.calls().stream().noneMatch(x -> x.file().contains("logic_iomem")), v);
        }
        assertNull(s.lookup(name, 2, "arch/ia64/kernel/iosapic.c"), v + " " + name);
        assertNotNull(s.lookup(name, 2, "drivers/net/ethernet/qlogic/netxen/netxen_nic_hw.c"));
      }
      assertTrue(
          s.functions().values().stream().noneMatch(f -> f.file().startsWith("lib/logic_iomem.c")),
          v);
    }
  }

  /** Lock wrappers, registrations and vmalloc returns of the real trees (format 2). */
  @Test
  void shippedFilesCarryLockCallbackAndVmallocFacts() {
    for (String v : KernelSummaries.SHIPPED) {
      KernelSummaries s = KernelSummaries.shipped(v);
      KernelSummaries.Function irq = s.lookup("pci_request_irq", 7);
      assertNotNull(irq, v + ": variadic, called with a format argument");
      assertEquals("request_threaded_irq", irq.callbacks().get(0).api(), v);
      assertEquals(2, irq.callbacks().get(0).param(), v);
      KernelSummaries.Function nb = s.lookup("register_netevent_notifier", 1);
      assertEquals("0.notifier_call", nb.callbacks().get(0).where(), v);
      KernelSummaries.Function unlock = s.lookup("netif_addr_unlock_bh", 1);
      assertEquals(
          List.of(
              new KernelSummaries.Released(
                  "&($0->addr_list_lock)", List.of(AtomicKind.BH_OFF, AtomicKind.SPINLOCK))),
          unlock.released(),
          v);
      assertFalse(s.lookup("transport_kmap_data_sg", 1).returns().isEmpty(), v);
    }
    KernelSummaries.Function lock =
        KernelSummaries.shipped("6.12").lookup("uart_port_lock_irqsave", 2);
    assertEquals("&($0->lock)", lock.acquired().get(0).lock());
    // console_unlock() is callable from any context (sleep-apis.tsv NEVER): the unlock wrapper
    // that reaches it through nbcon_device_release() does not sleep.
    assertTrue(
        KernelSummaries.shipped("6.12")
            .lookup("uart_port_unlock_irqrestore", 2)
            .chains()
            .isEmpty());
  }

  /** Table rows win, so the generator leaves their names out; documented-atomic APIs stay out. */
  @Test
  void tableNamesAndAtomicSafeApisAreAbsent() {
    SleepApis tables = SleepApis.builtin();
    for (String v : KernelSummaries.SHIPPED) {
      KernelSummaries s = KernelSummaries.shipped(v);
      for (KernelSummaries.Function f : s.functions().values()) {
        if (tables.covers(f.name(), f.arity())) {
          assertTrue(f.chains().isEmpty(), v + ": " + f.name());
        }
        assertFalse(
            f.chains().isEmpty()
                && !f.hasLockEffect()
                && f.callbacks().isEmpty()
                && f.returns().isEmpty(),
            v + ": " + f.name() + " has no fact");
      }
      // "This function is safe to call from any context including IRQ handler" (workqueue.c),
      // and the free paths (mm/slab_common.c, mm/page_alloc.c).
      for (String name :
          List.of(
              "mod_delayed_work_on",
              "queue_work_on",
              "kfree",
              "__free_pages",
              "kmem_cache_free",
              "complete",
              "_printk")) {
        assertNull(s.functions().get(name), v + ": " + name);
      }
    }
  }
}
