package dev.kmodcheck.summarize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.context.ContextAnalysis;
import dev.kmodcheck.facts.context.EntryPoint;
import dev.kmodcheck.facts.context.EntryPoints;
import dev.kmodcheck.facts.context.FunctionContext;
import dev.kmodcheck.facts.context.LockEffect;
import dev.kmodcheck.facts.origin.DmaUse;
import dev.kmodcheck.facts.origin.PointerOrigins;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.facts.sleep.SnippetProgram;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.KernelSummaryFile;
import dev.kmodcheck.kernel.OriginKind;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.Target;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facts kernel summaries carry besides may-sleep chains (format 2): lock wrappers, callbacks
 * registered as atomic, vmalloc memory returned. Collected from a small "kernel" of two
 * directories, written, read back, and used by a module's scan, which has no kernel bodies.
 */
class KernelSummaryFactsTest {

  @TempDir Path dir;

  private static final BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> EVAL =
      (unit, def) -> {
        Target t = Target.defaultTarget();
        return new ValueEvaluator(t, TypeLayout.forUnit(t, unit), unit, def);
      };

  private SnippetProgram serial() {
    return new SnippetProgram(
        dir.resolve("k"),
        "drivers/tty/port.c",
        """
        struct port { spinlock_t lock; int irq; };
        void port_lock_irqsave(struct port *up, unsigned long *flags)
        {
        	spin_lock_irqsave(&up->lock, *flags);
        }
        void port_unlock_irqrestore(struct port *up, unsigned long flags)
        {
        	spin_unlock_irqrestore(&up->lock, flags);
        }
        void port_lock_bh(struct port *up)
        {
        	local_bh_disable();
        	spin_lock(&up->lock);
        }
        void port_unlock_bh(struct port *up)
        {
        	spin_unlock_bh(&up->lock);
        }
        void port_unlock_if(struct port *up, int c)
        {
        	if (c)
        		spin_unlock(&up->lock);
        }
        static int port_irq_setup(struct port *up, irq_handler_t h, void *data)
        {
        	return request_irq(up->irq, h, 0, "port", data);
        }
        int port_request_irq(struct port *up, irq_handler_t handler)
        {
        	return port_irq_setup(up, handler, up);
        }
        int port_register_notifier(struct notifier_block *nb)
        {
        	return atomic_notifier_chain_register(&port_chain, nb);
        }
        void *port_buffer(size_t n)
        {
        	void *p = vzalloc(n);
        	return p;
        }
        """);
  }

  /** lib/: registers through drivers/tty, which it has no body for while it is collected. */
  private SnippetProgram lib() {
    return new SnippetProgram(
        dir.resolve("k"),
        "lib/glue.c",
        """
        struct port { spinlock_t lock; int irq; };
        int glue_request(struct port *up, irq_handler_t fn)
        {
        	return port_request_irq(up, (irq_handler_t)fn);
        }
        """);
  }

  private KernelSummaries summaries() throws Exception {
    KernelSummaryBuilder b = new KernelSummaryBuilder();
    for (SnippetProgram p : List.of(serial(), lib())) {
      KernelSummaryCollector.collect(p.program, SleepApis.builtin(), EVAL, f -> false, b);
    }
    KernelKnowledge tables = KernelKnowledge.builtin();
    List<KernelSummaries.Function> fns =
        b.solve(
            SleepApis.builtin(),
            name -> tables.atomicApis().call(name) != null,
            name -> tables.callbackApis().coversCall(name),
            Set.of(),
            k -> true);
    Map<String, String> header = new LinkedHashMap<>();
    header.put(KernelSummaryFile.KERNEL, "0.0.1");
    header.put(KernelSummaryFile.LABEL, "test");
    StringWriter w = new StringWriter();
    KernelSummaryFile.write(w, header, fns);
    return KernelSummaryFile.read(
        new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)), "test");
  }

  @Test
  void lockWrappersAreKeptWithTheirLocksByParameterPosition() throws Exception {
    KernelSummaries s = summaries();
    KernelSummaries.Function lock = s.lookup("port_lock_irqsave", 2);
    assertNotNull(lock);
    assertEquals(
        List.of(AtomicKind.IRQS_OFF, AtomicKind.SPINLOCK),
        lock.acquired().stream().map(KernelSummaries.Acquired::kind).toList());
    assertEquals("&($0->lock)", lock.acquired().get(1).lock());
    assertEquals("drivers/tty/port.c", lock.acquired().get(1).file());
    assertEquals(4, lock.acquired().get(1).line());
    assertEquals(
        List.of(
            new KernelSummaries.Released(
                "&($0->lock)", List.of(AtomicKind.IRQS_OFF, AtomicKind.SPINLOCK))),
        s.lookup("port_unlock_irqrestore", 2).released());
    // Released on one path only: a summary keeps no "may release" (it would hide real locks).
    assertNull(s.lookup("port_unlock_if", 2));
  }

  @Test
  void aModuleHoldsTheLockBetweenTheKernelsWrappers() throws Exception {
    KernelSummaries k = summaries();
    Program p =
        module(
            k,
            """
        struct port { spinlock_t lock; int irq; };
        struct mdev { struct port port; void *buf; };
        void m_tx(struct mdev *m)
        {
        	unsigned long flags;

        	port_lock_irqsave(&m->port, &flags);
        	m->buf = kzalloc(64, GFP_KERNEL);
        	port_unlock_irqrestore(&m->port, flags);
        	m->buf = kzalloc(64, GFP_KERNEL);
        	port_lock_irqsave(&m->port, &flags);
        	spin_unlock_irqrestore(&m->port.lock, flags);
        	m->buf = kzalloc(64, GFP_KERNEL);
        	port_lock_bh(&m->port);
        	m->buf = kzalloc(64, GFP_KERNEL);
        	port_unlock_bh(&m->port);
        	m->buf = kzalloc(64, GFP_KERNEL);
        }
        """);
    FunctionRef fn = find(p, "m_tx");
    Map<FunctionRef, LockEffect> effects = ContextAnalysis.lockEffects(p);
    FunctionContext ctx = ContextAnalysis.analyze(p, fn, List.of(), effects);
    List<CallSite> allocs =
        p.callSites(fn).stream().filter(c -> "kzalloc".equals(c.name())).toList();
    assertEquals(5, allocs.size());
    var held = ctx.atomicStatesAt(allocs.get(0).call());
    assertEquals(1, held.size());
    assertEquals(AtomicKind.IRQS_OFF, held.get(0).outermost().kind());
    assertTrue(
        held.get(0)
            .outermost()
            .description()
            .contains("port_lock_irqsave(&m->port, &flags) returns holding"),
        held.get(0).outermost().description());
    assertTrue(
        held.get(0)
            .outermost()
            .description()
            .contains(
                "kernel test summary: "
                    + "spin_lock_irqsave(&up->lock, *flags) disables interrupts and takes a spinlock at "
                    + "drivers/tty/port.c:4"),
        held.get(0).outermost().description());
    assertEquals(List.of(), ctx.atomicStatesAt(allocs.get(1).call()));
    // The kernel wrapper's lock and the module's own unlock name the same lock.
    assertEquals(List.of(), ctx.atomicStatesAt(allocs.get(2).call()));
    assertEquals(
        List.of(AtomicKind.BH_OFF, AtomicKind.SPINLOCK),
        ctx.atomicStatesAt(allocs.get(3).call()).get(0).held().stream()
            .map(c -> c.kind())
            .toList());
    // spin_unlock_bh() in the kernel's unlock wrapper also ends the wrapper's local_bh_disable().
    assertEquals(List.of(), ctx.atomicStatesAt(allocs.get(4).call()));

    // Without summaries the module knows nothing of the wrappers: no state, never a wrong one.
    Program none = module(KernelSummaries.none(), p);
    FunctionContext ctxNone =
        ContextAnalysis.analyze(
            none, find(none, "m_tx"), List.of(), ContextAnalysis.lockEffects(none));
    for (CallSite c : none.callSites(find(none, "m_tx"))) {
      assertEquals(List.of(), ctxNone.atomicStatesAt(c.call()));
    }
  }

  @Test
  void registeredParametersFollowCallsAcrossDirectories() throws Exception {
    KernelSummaries s = summaries();
    KernelSummaries.Callback direct = s.lookup("port_request_irq", 2).callbacks().get(0);
    assertEquals(1, direct.param());
    assertEquals(AtomicKind.HARDIRQ, direct.kind());
    assertEquals("request_irq", direct.api());
    assertEquals("port_irq_setup", direct.calls().get(0).callee());
    KernelSummaries.Callback glue = s.lookup("glue_request", 2).callbacks().get(0);
    assertEquals(1, glue.param());
    assertEquals(
        List.of("port_request_irq", "port_irq_setup"),
        glue.calls().stream().map(KernelSummaries.Call::callee).toList());
    KernelSummaries.Callback nb = s.lookup("port_register_notifier", 1).callbacks().get(0);
    assertEquals("0.notifier_call", nb.where());
    assertEquals(AtomicKind.ATOMIC_CALLBACK, nb.kind());
  }

  @Test
  void aModulesCallbackGivenToAKernelWrapperIsAnEntryPoint() throws Exception {
    KernelSummaries k = summaries();
    Program p =
        module(
            k,
            """
        struct port { spinlock_t lock; int irq; };
        static irqreturn_t m_irq(int irq, void *data) { return IRQ_HANDLED; }
        static int m_event(struct notifier_block *nb, unsigned long e, void *d) { return 0; }
        static struct notifier_block m_nb = { .notifier_call = m_event };
        int m_probe(struct port *up)
        {
        	port_register_notifier(&m_nb);
        	return glue_request(up, m_irq);
        }
        """);
    List<EntryPoint> eps = EntryPoints.find(p);
    assertEquals(List.of("m_irq", "m_event"), eps.stream().map(e -> e.function().name()).toList());
    assertEquals(AtomicKind.HARDIRQ, eps.get(0).context());
    assertEquals(
        "m_irq is registered as a hard IRQ handler by request_irq through glue_request()"
            + " (kernel test summary: glue_request at lib/glue.c:2 -> port_request_irq() at"
            + " lib/glue.c:4 -> port_irq_setup() at drivers/tty/port.c:30 -> request_irq() at"
            + " drivers/tty/port.c:26)",
        eps.get(0).how());
    assertEquals(AtomicKind.ATOMIC_CALLBACK, eps.get(1).context());
    assertEquals(List.of(), EntryPoints.find(module(KernelSummaries.none(), p)));
  }

  @Test
  void vmallocMemoryReturnedByAKernelFunctionReachesADmaSink() throws Exception {
    KernelSummaries k = summaries();
    assertEquals("vzalloc()", k.lookup("port_buffer", 1).returns().get(0).what());
    Program p =
        module(
            k,
            """
        dma_addr_t m_map(struct device *dev, size_t n)
        {
        	void *buf = port_buffer(n);

        	return dma_map_single(dev, buf, n, DMA_TO_DEVICE);
        }
        """);
    List<DmaUse> uses = origins(p);
    assertEquals(1, uses.size());
    assertNotNull(uses.get(0).origin(OriginKind.VMALLOC));
    assertEquals(
        "port_buffer() may return vmalloc memory (kernel test summary: vzalloc() at"
            + " drivers/tty/port.c:38)",
        uses.get(0).origin(OriginKind.VMALLOC).steps().get(0).message());
    assertEquals(List.of(), origins(module(KernelSummaries.none(), p)));
  }

  private static List<DmaUse> origins(Program p) {
    KernelKnowledge kk = p.knowledge();
    return PointerOrigins.compute(
            p, kk.allocApis(), kk.dmaSinks(), Target.defaultTarget().pageSize(), EVAL)
        .uses();
  }

  private Program module(KernelSummaries k, String source) {
    SnippetProgram sp = new SnippetProgram(dir.resolve("m" + source.hashCode()), "mod.c", source);
    return new Program(sp.program.units(), KernelKnowledge.builtin().withKernelSummaries(k));
  }

  private static Program module(KernelSummaries k, Program same) {
    return new Program(same.units(), KernelKnowledge.builtin().withKernelSummaries(k));
  }

  private static FunctionRef find(Program p, String name) {
    return p.functions().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }
}
