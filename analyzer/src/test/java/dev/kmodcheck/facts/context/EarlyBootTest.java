package dev.kmodcheck.facts.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.EarlyBootTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which functions run only during early boot, through the real frontend. */
class EarlyBootTest {
  @TempDir Path dir;

  private TranslationUnit parse(String rel, String code) {
    return ContextFixture.parse(dir, rel, code);
  }

  /** The early-boot-only functions of the files, by name, in program order. */
  private List<String> early(String... files) throws IOException {
    List<TranslationUnit> units = new ArrayList<>();
    for (int i = 0; i < files.length; i++) units.add(parse("f" + i + ".c", files[i]));
    Program program = new Program(units);
    EarlyBoot boot = EarlyBoot.of(program);
    List<String> out = new ArrayList<>();
    for (FunctionRef fn : program.functions()) if (boot.only(fn)) out.add(fn.name());
    return out;
  }

  @Test
  void tableFunctionsAndWhatOnlyTheyCall() throws IOException {
    assertEquals(
        List.of("helper", "init_IRQ", "deeper"),
        early(
            """
        static void helper(void) { }
        void init_IRQ(void) { helper(); deeper(); }
        static void deeper(void) { helper(); }
        """));
  }

  @Test
  void anyOtherCallerOrNoCallerIsNotEarlyBoot() throws IOException {
    // shared() is also called by a function with unknown callers; orphan() by nobody.
    assertEquals(
        List.of("trap_init"),
        early(
            """
        static void shared(void) { }
        static void orphan(void) { }
        void trap_init(void) { shared(); }
        void driver_reset(void) { shared(); }
        """));
  }

  @Test
  void aTableFunctionCalledLaterByTheProgramIsNotEarlyBoot() throws IOException {
    // A secondary CPU's bring-up calls init_IRQ() again, after the scheduler runs.
    assertEquals(
        List.of(),
        early(
            """
        void init_IRQ(void) { }
        void smp_cpu_init(int cpu) { init_IRQ(); }
        """));
  }

  @Test
  void staticTableNamesAreOtherFunctions() throws IOException {
    assertEquals(List.of(), early("static void time_init(void) { }\n"));
  }

  @Test
  void aNonStaticHelperMustBeInitCode() throws IOException {
    // plain() may have callers in another directory of the tree; boot_only() is __init.
    assertEquals(
        List.of("boot_only", "setup_arch"),
        early(
            """
        void plain(void) { }
        void __init boot_only(void) { }
        void __init setup_arch(char **cmdline) { plain(); boot_only(); }
        """));
  }

  @Test
  void bootHookVariableAndField() throws IOException {
    assertEquals(
        List.of("late", "mode_init", "below"),
        early(
            """
        extern void (*late_time_init)(void);
        struct x86_init_irqs { void (*intr_mode_init)(void); void (*intr_init)(void); };
        struct x86_init_ops { struct x86_init_irqs irqs; };
        static void __init late(void) { }
        void __init time_init_here(void) { late_time_init = late; }
        void __init mode_init(void) { below(); }
        static void below(void) { }
        static void other_irq_init(void) { }
        struct x86_init_ops x86_init = {
          .irqs = { .intr_mode_init = mode_init, .intr_init = other_irq_init },
        };
        """));
  }

  @Test
  void addressPassedToAnEarlyRunnerThatOnlyCallsIt() throws IOException {
    // keep() runs at boot, but test_b, which it stores, may run at any time.
    assertEquals(
        List.of("test_a", "dotest", "keep", "locking_selftest"),
        early(
            """
        static void test_a(void) { }
        static void test_b(void) { }
        static void (*saved)(void);
        static void dotest(void (*fn)(void), int expected) { if (!fn) return; fn(); }
        static void keep(void (*fn)(void)) { saved = fn; }
        void locking_selftest(void) { dotest(test_a, 1); dotest(&test_a, 0); keep(test_b); }
        """));
  }

  @Test
  void registeredOrStoredIsNotEarlyBoot() throws IOException {
    // A callback given to a kernel API, one stored in an ops struct, and module_init's function.
    assertEquals(
        List.of("setup_arch"),
        early(
            """
        struct ops { void (*run)(void); };
        static int my_irq(int irq, void *dev) { return 0; }
        static void run_later(void) { }
        static struct ops my_ops = { .run = run_later };
        static int __init my_init(void) { return 0; }
        module_init(my_init);
        void __init setup_arch(char **p) { request_irq(1, my_irq, 0, "x", 0); run_later(); }
        """));
  }

  @Test
  void whyNamesTheChainAndTheKernelLines() throws IOException {
    TranslationUnit unit =
        parse(
            "boot.c",
            """
        static void __init check(void) { }
        void __init apic_mode(void) { check(); }
        void init_IRQ(void) { apic_mode(); }
        """);
    Program program = new Program(List.of(unit));
    EarlyBoot boot = EarlyBoot.of(program);
    FunctionRef check = program.functions().get(0);
    assertEquals(
        "check() is reached only from init_IRQ(), which is called by start_kernel() "
            + "before rest_init()",
        boot.why(check));
    String evidence = boot.evidence(check);
    assertTrue(
        evidence.startsWith("check() <- apic_mode() <- init_IRQ(); init_IRQ() is called"),
        evidence);
    assertTrue(evidence.contains("6.1 init/main.c:1017"), evidence);
    assertTrue(evidence.contains("6.12 init/main.c:979"), evidence);
  }

  @Test
  void aFunctionRowCalledThroughAHookNamesItsCaller() throws IOException {
    TranslationUnit unit =
        parse(
            "apic.c",
            """
        static void __init bsp_setup(void) { }
        void __init apic_intr_mode_init(void) { bsp_setup(); }
        """);
    Program program = new Program(List.of(unit));
    assertEquals(
        "bsp_setup() is reached only from apic_intr_mode_init(), which is called during "
            + "early boot by x86_late_time_init()",
        EarlyBoot.of(program).why(program.functions().get(0)));
  }

  @Test
  void tableRowsAreCheckedWithTheirLine() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EarlyBootTable.parse(
                    new ByteArrayInputStream(
                        "function\tsetup_arch\t-\tx\nhook\tfoo\t-\tx\n"
                            .getBytes(StandardCharsets.UTF_8)),
                    "t.tsv"));
    assertTrue(e.getMessage().startsWith("t.tsv:2: unknown form 'hook'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EarlyBootTable.parse(
                    new ByteArrayInputStream(
                        "field\tx86_init_ops\tirqs..bad\tx\n".getBytes(StandardCharsets.UTF_8)),
                    "t.tsv"));
    assertTrue(e.getMessage().startsWith("t.tsv:1: not a field path"), e.getMessage());
  }

  @Test
  void shippedTableLeavesOutWhatStartKernelAlsoCallsLater() {
    EarlyBootTable t = EarlyBootTable.builtin();
    for (String later :
        List.of(
            "calibrate_delay",
            "build_all_zonelists",
            "profile_init",
            "set_task_stack_end_magic",
            "rest_init",
            "arch_call_rest_init")) {
      assertEquals(null, t.function(later), later);
    }
    assertTrue(t.function("setup_arch") != null && t.variable("late_time_init") != null);
    assertTrue(t.field("x86_init_ops", "irqs.intr_mode_init") != null);
    // The hook's implementation lies in another directory than its assignment (apic/ and kernel/).
    assertEquals("x86_late_time_init", t.function("apic_intr_mode_init").field());
  }
}
