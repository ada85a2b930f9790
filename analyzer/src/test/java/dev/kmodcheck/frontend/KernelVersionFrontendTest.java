package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.KernelVersion;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version checks and API-generation macros follow the scan's kernel version header-less. */
class KernelVersionFrontendTest {

  @TempDir Path dir;

  /**
   * One check per operand order and operator; each defines new_N when a build for 5.10 would
   * compile its first branch and old_N otherwise.
   */
  private static final String CHECKS =
      """
      #if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)
      int new_1(void) { return 0; }
      #else
      int old_1(void) { return 0; }
      #endif
      #if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
      int old_2(void) { return 0; }
      #else
      int new_2(void) { return 0; }
      #endif
      #if LINUX_VERSION_CODE > KERNEL_VERSION(5, 9, 255)
      int new_3(void) { return 0; }
      #else
      int old_3(void) { return 0; }
      #endif
      #if LINUX_VERSION_CODE <= KERNEL_VERSION(5, 9, 300)
      int old_4(void) { return 0; }
      #else
      int new_4(void) { return 0; }
      #endif
      #if KERNEL_VERSION(5, 10, 0) <= LINUX_VERSION_CODE
      int new_5(void) { return 0; }
      #else
      int old_5(void) { return 0; }
      #endif
      #if KERNEL_VERSION(5, 10, 0) > LINUX_VERSION_CODE
      int old_6(void) { return 0; }
      #else
      int new_6(void) { return 0; }
      #endif
      #if KERNEL_VERSION(5, 9, 0) < LINUX_VERSION_CODE
      int new_7(void) { return 0; }
      #else
      int old_7(void) { return 0; }
      #endif
      #if KERNEL_VERSION(5, 10, 0) >= LINUX_VERSION_CODE + 1
      int old_8(void) { return 0; }
      #else
      int new_8(void) { return 0; }
      #endif
      #if LINUX_VERSION_MAJOR > 5 || (LINUX_VERSION_MAJOR == 5 && LINUX_VERSION_PATCHLEVEL >= 10)
      int new_9(void) { return 0; }
      #else
      int old_9(void) { return 0; }
      #endif
      """;

  private TranslationUnit parse(KernelVersion v, String code) throws Exception {
    Path f = dir.resolve("v.c");
    Files.writeString(f, code);
    return new Frontend(Target.defaultTarget(), v).parse(new SourceInput(f, "v.c", null));
  }

  private static TreeSet<String> prefixes(TranslationUnit tu) {
    TreeSet<String> out = new TreeSet<>();
    tu.functions().forEach(fn -> out.add(fn.name().substring(0, 3)));
    return out;
  }

  @Test
  void everyOperandOrderSelectsTheBranchOfTheVersion() throws Exception {
    TranslationUnit newer = parse(KernelVersion.parse("6.12").orElseThrow(), CHECKS);
    assertEquals(9, newer.functions().size(), FrontendTestSupport.names(newer).toString());
    assertEquals(new TreeSet<>(List.of("new")), prefixes(newer));
    assertTrue(newer.problems().isEmpty(), newer.problems().toString());
    TranslationUnit older = parse(KernelVersion.parse("5.4.200").orElseThrow(), CHECKS);
    assertEquals(new TreeSet<>(List.of("old")), prefixes(older));
    assertEquals(9, older.functions().size());
    TranslationUnit exact = parse(KernelVersion.parse("5.10").orElseThrow(), CHECKS);
    assertEquals(new TreeSet<>(List.of("new")), prefixes(exact));
  }

  @Test
  void defaultIsTheNewestShippedSummariesRelease() {
    List<String> shipped = KernelSummaries.SHIPPED;
    assertEquals(shipped.get(shipped.size() - 1), KernelVersion.DEFAULT.toString());
  }

  @Test
  void apiGenerationMacrosFollowTheVersion() throws Exception {
    String code =
        """
        struct timer_list { void (*function)(struct timer_list *); };
        struct dev { int n; struct timer_list t; };
        #if defined(timer_setup) && defined(from_timer)
        static void tick(struct timer_list *t) { struct dev *d = from_timer(d, t, t); d->n++; }
        void arm(struct dev *d) { timer_setup(&d->t, tick, 0); }
        #else
        static void tick(unsigned long data) { }
        void arm(struct dev *d) { setup_timer(&d->t, tick, (unsigned long)d); }
        #endif
        #ifdef setup_timer
        int has_old_api;
        #endif
        """;
    TranslationUnit now = parse(KernelVersion.DEFAULT, code);
    assertTrue(now.problems().isEmpty(), now.problems().toString());
    assertEquals(
        "timer_setup",
        FrontendTestSupport.calls(FrontendTestSupport.function(now, "arm")).get(0).calleeName());
    assertTrue(now.globals().stream().noneMatch(g -> g.name().equals("has_old_api")));
    TranslationUnit old = parse(KernelVersion.parse("4.14").orElseThrow(), code);
    assertEquals(
        "setup_timer",
        FrontendTestSupport.calls(FrontendTestSupport.function(old, "arm")).get(0).calleeName());
    assertTrue(old.globals().stream().anyMatch(g -> g.name().equals("has_old_api")));
  }

  @Test
  void versionParsing() {
    assertEquals(0x060c00, KernelVersion.parse("6.12").orElseThrow().code());
    assertEquals(0x050a0b, KernelVersion.parse("5.10.11").orElseThrow().code());
    assertEquals("5.10.11", KernelVersion.parse(" 5.10.11 ").orElseThrow().toString());
    assertTrue(KernelVersion.parse("6").isEmpty());
    assertTrue(KernelVersion.parse("6.x").isEmpty());
    assertTrue(KernelVersion.parse("6.1.256").isEmpty());
    assertTrue(KernelVersion.parse("6.1.2.3").isEmpty());
  }
}
