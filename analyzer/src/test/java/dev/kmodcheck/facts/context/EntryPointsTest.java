package dev.kmodcheck.facts.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.RegistrationTable;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entry points found in header-less C through the real frontend. */
class EntryPointsTest {
  private static final Frontend FRONTEND = new Frontend(Target.defaultTarget());

  @TempDir Path dir;

  private TranslationUnit parse(String rel, String code) throws IOException {
    Path file = dir.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.writeString(file, code);
    TranslationUnit unit = FRONTEND.parse(new SourceInput(file, rel, null));
    assertEquals(List.of(), unit.problems(), "parse problems in " + rel);
    return unit;
  }

  /** "function KIND file:line" for each entry point, in the order find() returns them. */
  private static List<String> describe(List<EntryPoint> eps) {
    List<String> out = new ArrayList<>();
    for (EntryPoint e : eps) {
      out.add(e.function().name() + " " + e.context() + " " + e.registeredAt().shortText());
    }
    return out;
  }

  private List<String> find(String code) throws IOException {
    return describe(EntryPoints.find(new Program(List.of(parse("drv.c", code)))));
  }

  @Test
  void everyTableRowCitesKernelFactsAndNamesTheCallback() {
    List<RegistrationTable.Row> rows = RegistrationTable.builtin().rows();
    assertTrue(rows.size() > 30, "rows: " + rows.size());
    for (RegistrationTable.Row row : rows) {
      assertTrue(row.citation().startsWith("kernel-facts §4.6"), row.toString());
      assertTrue(row.how().startsWith("{fn} "), row.toString());
    }
    // Process-context callbacks (docs/kernel-facts.md §4.4) must never be in the table.
    for (String api : List.of("INIT_WORK", "queue_work", "blocking_notifier_chain_register")) {
      assertEquals(null, RegistrationTable.builtin().call(api), api);
    }
  }

  @Test
  void irqHandlersButNotThreadFunctions() throws IOException {
    List<String> got =
        find(
            "static irqreturn_t hard(int irq, void *d) { return 0; }\n"
                + "static irqreturn_t hard2(int irq, void *d) { return 0; }\n"
                + "static irqreturn_t quick(int irq, void *d) { return 0; }\n"
                + "static irqreturn_t slow(int irq, void *d) { return 0; }\n"
                + "static irqreturn_t any(int irq, void *d) { return 0; }\n"
                + "static irqreturn_t pcpu(int irq, void *d) { return 0; }\n"
                + "static irqreturn_t dslow(int irq, void *d) { return 0; }\n"
                + "static int probe(struct device *dev, int irq, void *p) {\n"
                + "  request_irq(irq, hard, 0, \"x\", p);\n"
                + "  devm_request_irq(dev, irq, &hard2, 0, \"x\", p);\n"
                + "  request_threaded_irq(irq, quick, slow, 0, \"x\", p);\n"
                + "  devm_request_threaded_irq(dev, irq, NULL, dslow, 0, \"x\", p);\n"
                + "  request_any_context_irq(irq, (irq_handler_t)any, 0, \"x\", p);\n"
                + "  return request_percpu_irq(irq, pcpu, \"x\", p);\n"
                + "}\n");
    assertEquals(
        List.of(
            "hard HARDIRQ drv.c:9",
            "hard2 HARDIRQ drv.c:10",
            "quick HARDIRQ drv.c:11",
            "any HARDIRQ drv.c:13",
            "pcpu HARDIRQ drv.c:14"),
        got);
  }

  @Test
  void registrationsProducedByMacros() throws IOException {
    List<String> got =
        find(
            "#define DRV_REQUEST(irq, h) request_irq(irq, h, 0, \"drv\", 0)\n"
                // The shape of 6.1's timer_setup: a macro around init_timer_key.
                + "#define timer_setup(t, f, fl) init_timer_key(t, f, fl, 0, 0)\n"
                + "static irqreturn_t h(int irq, void *d) { return 0; }\n"
                + "static void tm(struct timer_list *t) { }\n"
                + "void setup(struct timer_list *t) {\n"
                + "  DRV_REQUEST(3, h);\n"
                + "  timer_setup(t, tm, 0);\n"
                + "}\n");
    assertEquals(List.of("h HARDIRQ drv.c:6", "tm SOFTIRQ drv.c:7"), got);
  }

  @Test
  void registrationsThroughTheModulesOwnWrappers() throws IOException {
    List<String> got =
        find(
            "static irqreturn_t h(int irq, void *d) { return 0; }\n"
                + "static void tm(struct timer_list *t) { }\n"
                + "static void other(struct timer_list *t) { }\n"
                + "int drv_irq(int irq, irqreturn_t (*fn)(int, void *)) {\n"
                + "  return request_irq(irq, fn, 0, \"drv\", 0);\n"
                + "}\n"
                + "void drv_timer(struct timer_list *t, void (*cb)(struct timer_list *)) {\n"
                + "  timer_setup(t, cb, 0);\n"
                + "}\n"
                // A wrapper of a wrapper; its first parameter is not the callback.
                + "void drv_timer2(void (*cb)(struct timer_list *), struct timer_list *t) {\n"
                + "  drv_timer(t, (void *)cb);\n"
                + "}\n"
                + "void setup(struct timer_list *t) {\n"
                + "  drv_irq(3, h);\n"
                + "  drv_timer2(tm, t);\n"
                + "  drv_timer(t, 0);\n"
                + "}\n");
    assertEquals(List.of("h HARDIRQ drv.c:14", "tm SOFTIRQ drv.c:15"), got);
  }

  @Test
  void callbackStoredForARegisteredTrampolineRunsInItsContext() throws IOException {
    List<String> got =
        find(
            "struct tt { struct timer_list timer; void (*function)(void *);"
                + " void (*done)(void *); void *arg; };\n"
                + "struct tw { struct work_struct work; void (*function)(void *); void *arg; };\n"
                + "static void hdl(struct timer_list *t) {\n"
                + "  struct tt *p = from_timer(p, t, timer);\n"
                + "  p->function(p->arg);\n"
                + "}\n"
                + "static void whdl(struct work_struct *w) {\n"
                + "  struct tw *p = container_of(w, struct tw, work);\n"
                + "  (*p->function)(p->arg);\n"
                + "}\n"
                + "void init_t(struct tt *p, void *fn, void *done, void *arg) {\n"
                + "  p->function = fn;\n"
                + "  p->done = done;\n"
                + "  p->arg = arg;\n"
                + "  timer_setup(&p->timer, hdl, 0);\n"
                + "}\n"
                // A wrapper of the trampoline's wrapper.
                + "void init_t2(void *arg, struct tt *p, void *fn) { init_t(p, fn, 0, arg); }\n"
                + "void init_w(struct tw *p, void *fn) {\n"
                + "  p->function = fn;\n"
                + "  INIT_WORK(&p->work, whdl);\n"
                + "}\n"
                + "static void a(void *x) { }\n"
                + "static void b(void *x) { }\n"
                + "static void c(void *x) { }\n"
                + "static void d(void *x) { }\n"
                + "void setup(struct tt *t, struct tw *w) {\n"
                + "  init_t(t, a, b, 0);\n"
                + "  init_t2(0, t, c);\n"
                + "  init_w(w, d);\n"
                + "}\n");
    // b is stored in a field the trampoline does not call; d's trampoline is a work item.
    assertEquals(List.of("hdl SOFTIRQ drv.c:15", "a SOFTIRQ drv.c:27", "c SOFTIRQ drv.c:28"), got);
  }

  @Test
  void trampolineSetAsTheTimersOwnFunctionField() throws IOException {
    List<EntryPoint> eps =
        EntryPoints.find(
            new Program(
                List.of(
                    parse(
                        "drv.c",
                        "struct tt { struct timer_list timer; void (*func)(void *); void *arg; };\n"
                            + "static void hdl(unsigned long data) {\n"
                            + "  struct tt *p = (struct tt *)data;\n"
                            + "  p->func(p->arg);\n"
                            + "}\n"
                            + "void init_t(struct tt *p, void *fn) {\n"
                            + "  p->func = fn;\n"
                            + "  p->timer.function = hdl;\n"
                            + "  init_timer(&p->timer);\n"
                            + "}\n"
                            + "static void a(void *x) { }\n"
                            + "void setup(struct tt *t) { init_t(t, a); }\n"))));
    assertEquals(List.of("hdl SOFTIRQ drv.c:8", "a SOFTIRQ drv.c:12"), describe(eps));
    assertEquals(
        "a is set as a timer callback (.function = hdl in init_t() at drv.c:8, which calls it"
            + " through p->func at drv.c:4), run in softirq context",
        eps.get(1).how());
  }

  @Test
  void handlersOfATableWalkedByARegistrationLoop() throws IOException {
    List<EntryPoint> eps =
        EntryPoints.find(
            new Program(
                List.of(
                    parse(
                        "drv.c",
                        "struct ent { int irq; irqreturn_t (*handler)(int, void *); };\n"
                            + "static irqreturn_t h1(int irq, void *d) { return 0; }\n"
                            + "static irqreturn_t h2(int irq, void *d) { return 0; }\n"
                            + "static irqreturn_t h3(int irq, void *d) { return 0; }\n"
                            + "static irqreturn_t h4(int irq, void *d) { return 0; }\n"
                            + "static irqreturn_t h5(int irq, void *d) { return 0; }\n"
                            + "static irqreturn_t h6(int irq, void *d) { return 0; }\n"
                            + "static const struct ent named[] = { { 1, h1 }, { .irq = 2 } };\n"
                            + "static const struct ent other[] = { { .handler = h2, .irq = 3 } };\n"
                            + "static const struct ent fixed[] = { { 4, h3 }, { 5, h4 } };\n"
                            // h1 again: by_type's trace names the first table only.
                            + "static const struct ent again[] = { { 7, h1 } };\n"
                            + "void by_index(void) {\n"
                            + "  for (int i = 0; i < 2; i++)\n"
                            + "    request_irq(named[i].irq, named[i].handler, 0, 0, 0);\n"
                            + "  request_irq(fixed[1].irq, fixed[1].handler, 0, 0, 0);\n"
                            + "}\n"
                            + "void by_type(const struct ent *e) {\n"
                            + "  request_irq(e->irq, e->handler, 0, 0, 0);\n"
                            + "}\n"
                            + "void local_table(void) {\n"
                            + "  static const struct ent mine[] = { { 6, h5 } };\n"
                            + "  request_irq(mine[0].irq, mine[0].handler, 0, 0, 0);\n"
                            + "}\n"
                            + "struct cmd { irqreturn_t (*handler)(int, void *); };\n"
                            + "static const struct cmd cmds[] = { { h6 } };\n"))));
    // by_type: every table of struct ent; h6 is in a table of another type.
    assertEquals(
        List.of(
            "h1 HARDIRQ drv.c:14",
            "h1 HARDIRQ drv.c:18",
            "h2 HARDIRQ drv.c:18",
            "h3 HARDIRQ drv.c:18",
            "h4 HARDIRQ drv.c:15",
            "h4 HARDIRQ drv.c:18",
            "h5 HARDIRQ drv.c:22"),
        describe(eps));
    assertEquals(
        "h1 is registered as a hard IRQ handler by request_irq from named[].handler",
        eps.get(0).how());
  }

  @Test
  void tablesOfAStructTypeAreMatchedByItsDefinitionNotItsTag() throws IOException {
    Path header = dir.resolve("m/ent.h");
    Files.createDirectories(header.getParent());
    Files.writeString(header, "struct ent { int irq; irqreturn_t (*handler)(int, void *); };\n");
    TranslationUnit a =
        parse(
            "m/a.c",
            "#include \"ent.h\"\n"
                + "static irqreturn_t ha(int irq, void *d) { return 0; }\n"
                + "const struct ent ents[] = { { 1, ha } };\n");
    TranslationUnit b =
        parse(
            "m/b.c",
            "#include \"ent.h\"\n"
                + "void reg(const struct ent *e) { request_irq(e->irq, e->handler, 0, 0, 0); }\n");
    // Another driver's struct of the same tag, defined in its own file.
    TranslationUnit c =
        parse(
            "n/c.c",
            "struct ent { int irq; irqreturn_t (*handler)(int, void *); };\n"
                + "static irqreturn_t hc(int irq, void *d) { return 0; }\n"
                + "static const struct ent ents[] = { { 1, hc } };\n");
    List<EntryPoint> eps = EntryPoints.find(new Program(List.of(a, b, c)));
    assertEquals(List.of("ha HARDIRQ m/b.c:2"), describe(eps));
  }

  @Test
  void headerWrapperRegistersForEveryUnitThatIncludesIt() throws IOException {
    Path header = dir.resolve("m/w.h");
    Files.createDirectories(header.getParent());
    Files.writeString(
        header,
        "static inline void w_timer(struct timer_list *t, void (*fn)(struct timer_list *))\n"
            + "{ timer_setup(t, fn, 0); }\n");
    TranslationUnit a =
        parse(
            "m/a.c",
            "#include \"w.h\"\nstatic void ta(struct timer_list *t) { }\n"
                + "void sa(struct timer_list *t) { w_timer(t, ta); }\n");
    TranslationUnit b =
        parse(
            "m/b.c",
            "#include \"w.h\"\nstatic void tb(struct timer_list *t) { }\n"
                + "void sb(struct timer_list *t) { w_timer(t, tb); }\n");
    assertEquals(
        List.of("ta SOFTIRQ m/a.c:3", "tb SOFTIRQ m/b.c:3"),
        describe(EntryPoints.find(new Program(List.of(b, a)))));
  }

  @Test
  void moduleHeaderHandlerIsReportedOnceAsTheListedCopy() throws IOException {
    Path header = dir.resolve("m/irq.h");
    Files.createDirectories(header.getParent());
    Files.writeString(header, "static irqreturn_t shared_irq(int irq, void *d) { return 0; }\n");
    TranslationUnit a =
        parse(
            "m/a.c",
            "#include \"irq.h\"\nvoid sa(void) { request_irq(1, shared_irq, 0, 0, 0); }\n");
    TranslationUnit b =
        parse(
            "m/b.c",
            "#include \"irq.h\"\nvoid sb(void) { request_irq(2, shared_irq, 0, 0, 0); }\n");
    Program p = new Program(List.of(b, a));
    List<EntryPoint> eps = EntryPoints.find(p);
    assertEquals(
        List.of("shared_irq HARDIRQ m/a.c:2", "shared_irq HARDIRQ m/b.c:2"), describe(eps));
    assertTrue(eps.get(0).function() == eps.get(1).function());
    assertTrue(p.functions().contains(eps.get(0).function()));
  }

  @Test
  void staticLocalNotifierBlock() throws IOException {
    List<String> got =
        find(
            "static int cb(struct notifier_block *nb, unsigned long e, void *d) { return 0; }\n"
                + "void reg(struct atomic_notifier_head *h) {\n"
                + "  static struct notifier_block nb = { .notifier_call = cb };\n"
                + "  atomic_notifier_chain_register(h, &nb);\n"
                + "}\n");
    assertEquals(List.of("cb ATOMIC_CALLBACK drv.c:4"), got);
  }

  @Test
  void howNamesTheCallbackAndTheApi() throws IOException {
    Program p =
        new Program(
            List.of(
                parse(
                    "h.c",
                    "static irqreturn_t handler_fn(int irq, void *d) { return 0; }\n"
                        + "static int poll_fn(struct napi_struct *n, int budget) { return 0; }\n"
                        + "void setup(struct net_device *nd, struct napi_struct *n) {\n"
                        + "  request_irq(5, handler_fn, 0, \"h\", 0);\n"
                        + "  netif_napi_add(nd, n, poll_fn);\n"
                        + "}\n")));
    List<EntryPoint> eps = EntryPoints.find(p);
    assertEquals(2, eps.size());
    assertEquals("handler_fn is registered as a hard IRQ handler by request_irq", eps.get(0).how());
    assertEquals(
        "poll_fn is a NAPI poll function (netif_napi_add), run in softirq context",
        eps.get(1).how());
    assertEquals(4, eps.get(0).registeredAt().line());
    assertEquals(AtomicKind.SOFTIRQ, eps.get(1).context());
  }

  @Test
  void taskletsTimersNapiRcuIpi() throws IOException {
    List<String> got =
        find(
            "static void t_old(unsigned long data) { }\n"
                + "static void t_new(struct tasklet_struct *t) { }\n"
                + "static void tm(struct timer_list *t) { }\n"
                + "static int np(struct napi_struct *n, int b) { return 0; }\n"
                + "static int np2(struct napi_struct *n, int b) { return 0; }\n"
                + "static int np3(struct napi_struct *n, int b) { return 0; }\n"
                + "static void rcu_cb(struct rcu_head *h) { }\n"
                + "static void ipi(void *info) { }\n"
                + "static void ipi_all(void *info) { }\n"
                + "static void ipi_many(void *info) { }\n"
                + "struct priv { struct tasklet_struct a, b; struct timer_list t;\n"
                + "  struct rcu_head r;"
                + "  struct napi_struct n; };\n"
                + "void setup(struct priv *p, struct net_device *nd) {\n"
                + "  tasklet_init(&p->a, t_old, (unsigned long)p);\n"
                + "  tasklet_setup(&p->b, t_new);\n"
                + "  timer_setup(&p->t, tm, 0);\n"
                + "  netif_napi_add(nd, &p->n, np);\n"
                + "  netif_napi_add_weight(nd, &p->n, np2, 64);\n"
                + "  netif_napi_add_tx(nd, &p->n, np3);\n"
                + "  call_rcu(&p->r, rcu_cb);\n"
                + "  smp_call_function_single(1, ipi, p, 1);\n"
                + "  on_each_cpu(ipi_all, p, 1);\n"
                + "  smp_call_function_many(0, ipi_many, p, 1);\n"
                + "}\n");
    assertEquals(
        List.of(
            "t_old SOFTIRQ drv.c:14",
            "t_new SOFTIRQ drv.c:15",
            "tm SOFTIRQ drv.c:16",
            "np SOFTIRQ drv.c:17",
            "np2 SOFTIRQ drv.c:18",
            "np3 SOFTIRQ drv.c:19",
            "rcu_cb SOFTIRQ drv.c:20",
            "ipi ATOMIC_CALLBACK drv.c:21",
            "ipi_all ATOMIC_CALLBACK drv.c:22",
            "ipi_many ATOMIC_CALLBACK drv.c:23"),
        got);
  }

  @Test
  void fileScopeDefiningMacros() throws IOException {
    List<String> got =
        find(
            "static void cb(struct tasklet_struct *t);\n"
                + "static void fn_old(unsigned long d);\n"
                + "static void tfn(struct timer_list *t);\n"
                + "static DEFINE_SPINLOCK(lock);\n"
                + "static DECLARE_TASKLET(my_tasklet, cb);\n"
                + "static DECLARE_TASKLET_OLD(old_tasklet, fn_old);\n"
                + "static DEFINE_TIMER(my_timer, tfn);\n"
                + "static void cb(struct tasklet_struct *t) { }\n"
                + "static void fn_old(unsigned long d) { }\n"
                + "static void tfn(struct timer_list *t) { }\n");
    assertEquals(
        List.of("cb SOFTIRQ drv.c:5", "fn_old SOFTIRQ drv.c:6", "tfn SOFTIRQ drv.c:7"), got);
  }

  @Test
  void fieldAssignmentsByCallbackSignature() throws IOException {
    List<String> got =
        find(
            "static void tm(struct timer_list *t) { }\n"
                + "static enum hrtimer_restart hard_cb(struct hrtimer *t) { return 0; }\n"
                + "static enum hrtimer_restart soft_cb(struct hrtimer *t) { return 0; }\n"
                + "static void done(struct urb *u) { }\n"
                + "static void other(void *x) { }\n"
                + "struct priv { struct timer_list t; struct hrtimer h, s; struct urb *u;\n"
                + "  struct thing { void (*function)(void *); } th; };\n"
                + "void setup(struct priv *p) {\n"
                + "  p->t.function = tm;\n"
                + "  hrtimer_init(&p->h, CLOCK_MONOTONIC, HRTIMER_MODE_REL);\n"
                + "  p->h.function = hard_cb;\n"
                + "  hrtimer_init(&p->s, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);\n"
                + "  p->s.function = soft_cb;\n"
                + "  p->u->complete = done;\n"
                + "  p->th.function = other;\n"
                + "}\n");
    assertEquals(
        List.of(
            "tm SOFTIRQ drv.c:9",
            "hard_cb HARDIRQ drv.c:11",
            "soft_cb SOFTIRQ drv.c:13",
            "done HARDIRQ drv.c:14"),
        got);
  }

  @Test
  void fieldAssignmentOfUnknownObjectFallsBackToTheCallbackSignature() throws IOException {
    List<String> got =
        find(
            "struct timer_list;\n"
                + "struct completion;\n"
                + "static void tm(struct timer_list *t) { }\n"
                + "static void not_timer(struct completion *c) { }\n"
                + "void setup(void) {\n"
                + "  get_timer()->function = tm;\n"
                + "  get_other()->function = not_timer;\n"
                + "}\n");
    assertEquals(List.of("tm SOFTIRQ drv.c:6"), got);
  }

  @Test
  void urbCompletionArguments() throws IOException {
    List<String> got =
        find(
            "static void c1(struct urb *u) { }\n"
                + "static void c2(struct urb *u) { }\n"
                + "static void c3(struct urb *u) { }\n"
                + "void fill(struct urb *u, struct usb_device *d, void *buf, void *setup) {\n"
                + "  usb_fill_bulk_urb(u, d, 0, buf, 64, c1, d);\n"
                + "  usb_fill_control_urb(u, d, 0, setup, buf, 8, c2, d);\n"
                + "  usb_fill_int_urb(u, d, 0, buf, 8, c3, d, 4);\n"
                + "}\n");
    assertEquals(List.of("c1 HARDIRQ drv.c:5", "c2 HARDIRQ drv.c:6", "c3 HARDIRQ drv.c:7"), got);
  }

  @Test
  void atomicNotifiersButNotBlockingOnes() throws IOException {
    List<String> got =
        find(
            "static int atomic_cb(struct notifier_block *nb, unsigned long e, void *d) "
                + "{ return 0; }\n"
                + "static int blocking_cb(struct notifier_block *nb, unsigned long e, void *d) "
                + "{ return 0; }\n"
                + "static int member_cb(struct notifier_block *nb, unsigned long e, void *d) "
                + "{ return 0; }\n"
                + "static struct notifier_block atomic_nb = { .notifier_call = atomic_cb };\n"
                + "static struct notifier_block blocking_nb = { .notifier_call = blocking_cb };\n"
                + "struct priv { struct notifier_block nb; };\n"
                + "void reg(struct atomic_notifier_head *ah, struct blocking_notifier_head *bh,\n"
                + "         struct priv *p) {\n"
                + "  atomic_notifier_chain_register(ah, &atomic_nb);\n"
                + "  blocking_notifier_chain_register(bh, &blocking_nb);\n"
                + "  p->nb.notifier_call = member_cb;\n"
                + "  atomic_notifier_chain_register(ah, &p->nb);\n"
                + "}\n");
    assertEquals(
        List.of("atomic_cb ATOMIC_CALLBACK drv.c:9", "member_cb ATOMIC_CALLBACK drv.c:12"), got);
  }

  @Test
  void workItemsAreNotEntryPoints() throws IOException {
    List<String> got =
        find(
            "static void wfn(struct work_struct *w) { }\n"
                + "static void dfn(struct work_struct *w) { }\n"
                + "static void sfn(struct work_struct *w) { }\n"
                + "static DECLARE_WORK(static_work, sfn);\n"
                + "struct priv { struct work_struct w; struct delayed_work d; };\n"
                + "void setup(struct priv *p) {\n"
                + "  INIT_WORK(&p->w, wfn);\n"
                + "  INIT_DELAYED_WORK(&p->d, dfn);\n"
                + "  queue_work(system_wq, &p->w);\n"
                + "  schedule_work(&static_work);\n"
                + "}\n");
    assertEquals(List.of(), got);
  }

  @Test
  void netDeviceOpsOnlyTheAtomicOnes() throws IOException {
    List<String> got =
        find(
            "static int x_open(struct net_device *d) { return 0; }\n"
                + "static netdev_tx_t x_xmit(struct sk_buff *s, struct net_device *d) "
                + "{ return 0; }\n"
                + "static void x_rx_mode(struct net_device *d) { }\n"
                + "static void x_timeout(struct net_device *d, unsigned int q) { }\n"
                + "static struct net_device_stats *x_stats(struct net_device *d) { return 0; }\n"
                + "static const struct net_device_ops x_ops = {\n"
                + "  .ndo_open = x_open,\n"
                + "  .ndo_start_xmit = x_xmit,\n"
                + "  .ndo_set_rx_mode = x_rx_mode,\n"
                + "  .ndo_tx_timeout = x_timeout,\n"
                + "  .ndo_get_stats = x_stats,\n"
                + "};\n");
    assertEquals(
        List.of(
            "x_xmit XMIT drv.c:8",
            "x_rx_mode BH_OFF drv.c:9",
            "x_timeout BH_OFF drv.c:10",
            "x_stats ATOMIC_CALLBACK drv.c:11"),
        got);
  }

  @Test
  void opsStructInAnotherFileUsesThatFilesLinkage() throws IOException {
    TranslationUnit main =
        parse(
            "net/main.c",
            "netdev_tx_t x_xmit(struct sk_buff *s, struct net_device *d) { return 0; }\n"
                + "static netdev_tx_t helper(struct sk_buff *s) { return 0; }\n");
    TranslationUnit ops =
        parse(
            "net/ops.c",
            "netdev_tx_t x_xmit(struct sk_buff *s, struct net_device *d);\n"
                + "static netdev_tx_t helper(struct sk_buff *s, struct net_device *d) "
                + "{ return 0; }\n"
                + "const struct net_device_ops x_ops = {\n"
                + "  .ndo_start_xmit = x_xmit,\n"
                + "  .ndo_tx_timeout = helper,\n"
                + "};\n");
    Program p = new Program(List.of(ops, main));
    List<EntryPoint> eps = EntryPoints.find(p);
    assertEquals(List.of("x_xmit XMIT net/ops.c:4", "helper BH_OFF net/ops.c:5"), describe(eps));
    assertEquals("net/main.c", eps.get(0).function().file());
    assertEquals("net/ops.c", eps.get(1).function().file());
    assertTrue(eps.get(0).how().contains("x_ops"), eps.get(0).how());
  }

  @Test
  void notifierBlockDefinedInAnotherFile() throws IOException {
    TranslationUnit a =
        parse(
            "n/a.c",
            "static int cb(struct notifier_block *nb, unsigned long e, void *d) { return 0; }\n"
                + "struct notifier_block my_nb = { .notifier_call = cb };\n");
    TranslationUnit b =
        parse(
            "n/b.c",
            "extern struct notifier_block my_nb;\n"
                + "static int cb(void) { return 1; }\n"
                + "void reg(struct atomic_notifier_head *h) {\n"
                + "  atomic_notifier_chain_register(h, &my_nb);\n"
                + "}\n");
    List<EntryPoint> eps = EntryPoints.find(new Program(List.of(b, a)));
    assertEquals(List.of("cb ATOMIC_CALLBACK n/b.c:4"), describe(eps));
    assertEquals("n/a.c", eps.get(0).function().file());
  }

  @Test
  void deterministicOrderByFunctionThenSite() throws IOException {
    String a =
        "static void zz(struct timer_list *t) { }\n"
            + "static void aa(struct timer_list *t) { }\n"
            + "void s1(struct timer_list *t) { timer_setup(t, aa, 0); timer_setup(t, zz, 0); }\n";
    String b =
        "void zz2(struct timer_list *t);\n"
            + "void s2(struct timer_list *t) { timer_setup(t, zz2, 0); }\n"
            + "void zz2(struct timer_list *t) { }\n";
    TranslationUnit ua = parse("o/a.c", a);
    TranslationUnit ub = parse("o/b.c", b);
    List<String> first = describe(EntryPoints.find(new Program(List.of(ub, ua))));
    List<String> second = describe(EntryPoints.find(new Program(List.of(ua, ub))));
    assertEquals(List.of("zz SOFTIRQ o/a.c:3", "aa SOFTIRQ o/a.c:3", "zz2 SOFTIRQ o/b.c:2"), first);
    assertEquals(first, second);
  }
}
