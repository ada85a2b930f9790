package dev.kmodcheck.facts.sleep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.SleepCategory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sleep summaries and call-site chains over C snippets parsed by the real frontend. */
class SleepSummariesTest {

  @TempDir Path dir;

  private static List<SleepChain> chains(SnippetProgram p, String caller, String callee) {
    return chains(p, caller, callee, Map.of());
  }

  private static List<SleepChain> chains(
      SnippetProgram p, String caller, String callee, Map<String, Boolean> assumptions) {
    SleepSummaries s = SleepSummaries.compute(p.program);
    CallSite site = p.site(caller, callee);
    return s.chainsForCall(site, p.evaluator(site.caller()), assumptions);
  }

  private static String describe(List<SleepChain> chains) {
    StringBuilder sb = new StringBuilder();
    for (SleepChain c : chains) {
      sb.append(c.category()).append(' ').append(c.api());
      if (c.unlessInInterrupt()) sb.append(" unless-in-interrupt");
      for (SleepStep st : c.steps()) {
        sb.append(" | ").append(st.range().line()).append(": ").append(st.message());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Test
  void directAllocationsByGfp() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            struct s { int x; };
            void f(struct s *q) {
              struct s *p;
              p = kzalloc(sizeof(*p), GFP_KERNEL);
              p = kmalloc(8, GFP_ATOMIC);
              p = kmalloc(8, GFP_NOWAIT);
              p = kmalloc(8, GFP_KERNEL & ~__GFP_DIRECT_RECLAIM);
            }
            """);
    assertEquals(
        "ALLOC kzalloc | 4: kzalloc(sizeof(*p), GFP_KERNEL) may sleep:"
            + " GFP_KERNEL allows direct reclaim\n",
        describe(chains(p, "f", "kzalloc")));
    List<CallSite> sites = p.program.callSites(p.fn("f"));
    SleepSummaries s = SleepSummaries.compute(p.program);
    for (CallSite site : sites.subList(1, sites.size())) {
      assertEquals(List.of(), s.chainsForCall(site, p.evaluator(p.fn("f")), Map.of()));
    }
  }

  @Test
  void localAndConditionalGfpWithAssumptions() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            void *f(int atomic) {
              gfp_t flags = GFP_NOFS;
              kfree(kmalloc(8, flags));
              return kmalloc_array(4, 8, atomic ? GFP_ATOMIC : GFP_KERNEL);
            }
            """);
    assertEquals(
        "ALLOC kmalloc | 3: kmalloc(8, flags = GFP_NOFS) may sleep:"
            + " flags = GFP_NOFS allows direct reclaim\n",
        describe(chains(p, "f", "kmalloc")));
    assertEquals(
        "ALLOC kmalloc_array | 4: kmalloc_array(4, 8, atomic ? GFP_ATOMIC : GFP_KERNEL) may"
            + " sleep: GFP_KERNEL when !atomic allows direct reclaim\n",
        describe(chains(p, "f", "kmalloc_array")));
    assertEquals(List.of(), chains(p, "f", "kmalloc_array", Map.of("atomic", true)));
    assertEquals(1, chains(p, "f", "kmalloc_array", Map.of("atomic", false)).size());
  }

  @Test
  void gfpParameterComposedThroughTwoLevels() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static void *inner(int n, gfp_t gfp) { return kmalloc(n, gfp | __GFP_ZERO); }
            static void *outer(gfp_t g) { return inner(16, g); }
            void use_kernel(void) { outer(GFP_KERNEL); }
            void use_atomic(void) { outer(GFP_ATOMIC); }
            """);
    assertEquals(
        "ALLOC kmalloc | 3: calls outer() with GFP_KERNEL | 2: calls inner() with g"
            + " | 1: kmalloc(n, gfp | __GFP_ZERO) may sleep when gfp | __GFP_ZERO allows"
            + " direct reclaim\n",
        describe(chains(p, "use_kernel", "outer")));
    assertEquals(List.of(), chains(p, "use_atomic", "outer"));
    SleepSummaries s = SleepSummaries.compute(p.program);
    assertEquals(List.of(0), s.gfpParams(p.fn("outer")));
    assertEquals(List.of(), s.chainsOf(p.fn("outer")));
  }

  @Test
  void conditionParameterDecidesAtTheCaller() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static void *get_buf(int n, bool can_sleep) {
              gfp_t gfp = can_sleep ? GFP_KERNEL : GFP_ATOMIC;
              return kmalloc(n, gfp);
            }
            static void *wrap(bool atomic) { return get_buf(8, !atomic); }
            void in_irq(void) { get_buf(8, false); }
            void in_task(void) { get_buf(8, true); }
            void via_wrap_atomic(void) { wrap(true); }
            void via_wrap_task(void) { wrap(false); }
            void unknown(int x) { get_buf(8, x > 2); }
            """);
    assertEquals(List.of(), chains(p, "in_irq", "get_buf"));
    assertEquals(
        "ALLOC kmalloc | 7: calls get_buf() with can_sleep = true | 3: kmalloc(n, gfp = can_sleep"
            + " ? GFP_KERNEL : GFP_ATOMIC) may sleep: GFP_KERNEL when can_sleep allows direct reclaim\n",
        describe(chains(p, "in_task", "get_buf")));
    assertEquals(List.of(), chains(p, "via_wrap_atomic", "wrap"));
    assertEquals(3, chains(p, "via_wrap_task", "wrap").get(0).length());
    // An unknown condition counts, as a ternary with one blocking arm does.
    assertEquals(1, chains(p, "unknown", "get_buf").size());
    assertEquals(List.of(), chains(p, "unknown", "get_buf", Map.of("(x > 2)", false)));
    SleepSummaries s = SleepSummaries.compute(p.program);
    assertEquals(List.of(1), s.conditionParams(p.fn("get_buf")));
    assertEquals(List.of(0), s.conditionParams(p.fn("wrap")));
    assertEquals(List.of(), s.chainsOf(p.fn("get_buf")));
  }

  @Test
  void sleepAfterAContextCheckIsNotInTheSummary() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            extern int in_reset;
            static void kiq_write(int r) {
              if (r < 1 && (in_reset || in_interrupt()))
                goto failed;
              might_sleep();
              while (r < 1)
                msleep(10);
              return;
            failed:
              pr_err("failed");
            }
            static void maybe_wait(void) {
              if (!in_atomic())
                msleep(1);
            }
            static void preemptible_wait(void) {
              if (preemptible())
                msleep(1);
            }
            static void checks_too_late(void) {
              msleep(1);
              if (in_interrupt())
                return;
            }
            static void wrong_way(void) {
              if (in_interrupt())
                msleep(1);
            }
            static void stored(int loop) {
              bool not_atomic = !in_atomic() && !irqs_disabled();
              if (loop && not_atomic)
                msleep(1);
            }
            static void either_way(void) {
              if (irqs_disabled())
                mdelay(1);
              msleep(1);
            }
            void top(void) {
              kiq_write(0);
              maybe_wait();
              preemptible_wait();
              checks_too_late();
              wrong_way();
              either_way();
              stored(1);
            }
            """);
    assertEquals("", describe(chains(p, "top", "kiq_write")));
    assertEquals("", describe(chains(p, "top", "maybe_wait")));
    assertEquals("", describe(chains(p, "top", "preemptible_wait")));
    assertEquals("", describe(chains(p, "top", "stored")), "the check kept in a local");
    assertEquals(1, chains(p, "top", "checks_too_late").size());
    assertEquals(1, chains(p, "top", "wrong_way").size());
    assertEquals(1, chains(p, "top", "either_way").size());
  }

  @Test
  void sleepUnderAParameterTestNeedsATrueArgument() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static void done(int delay, int code) {
              if (delay)
                msleep(delay);
              pr_info("%d", code);
            }
            static void reassigned(int delay) {
              delay = 5;
              if (delay)
                msleep(delay);
            }
            static void inner(void) { done(0, 1); }
            void top(int d) { inner(); done(1, 2); done(d, 3); done(0, 4); }
            """);
    assertEquals("", describe(chains(p, "top", "inner")));
    assertEquals(
        "SLEEP msleep | 12: calls done() with delay = 1 | 3: msleep(delay) may sleep\n",
        describe(chains(p, "top", "done")));
    SleepSummaries s = SleepSummaries.compute(p.program);
    assertEquals(List.of(0), s.conditionParams(p.fn("done")));
    assertEquals(1, s.chainsOf(p.fn("reassigned")).size(), "the test is on a local value");
  }

  @Test
  void parameterMasksAndComparisonsDecideTooButOnlyInTheSoundDirection() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static void *create(int n, unsigned int flags) {
              return kmalloc(n, (flags & 1) ? GFP_KERNEL : GFP_ATOMIC);
            }
            static void *create_inv(int n, unsigned int flags) {
              return kmalloc(n, (flags & 1) ? GFP_ATOMIC : GFP_KERNEL);
            }
            static int poll(int wait) {
              if (wait == 0)
                return -1;
              msleep(1);
              return 0;
            }
            static void masked(unsigned int how) {
              if (how & 4)
                msleep(1);
            }
            void top(unsigned int f) {
              create(8, 0);
              create(8, f);
              create_inv(8, 0);
              poll(0);
              poll(2);
              masked(0);
              masked(8);
              masked(12);
            }
            """);
    assertEquals("", describe(chains(p, "top", "poll")), "the first call passes 0");
    SleepSummaries s = SleepSummaries.compute(p.program);
    assertEquals(List.of(1), s.conditionParams(p.fn("create")));
    assertEquals(List.of(), s.conditionParams(p.fn("create_inv")), "flags & 1 false says nothing");
    assertEquals(1, s.chainsOf(p.fn("create_inv")).size());
    assertEquals(List.of(0), s.conditionParams(p.fn("poll")));
    assertEquals(List.of(0), s.conditionParams(p.fn("masked")));
    CallSite create0 = p.sites("top", "create").get(0);
    CallSite createF = p.sites("top", "create").get(1);
    assertEquals(0, s.chainsForCall(create0, p.evaluator(create0.caller()), Map.of()).size());
    assertEquals(1, s.chainsForCall(createF, p.evaluator(createF.caller()), Map.of()).size());
    CallSite masked0 = p.sites("top", "masked").get(0);
    CallSite masked8 = p.sites("top", "masked").get(1);
    CallSite masked12 = p.sites("top", "masked").get(2);
    assertEquals(0, s.chainsForCall(masked0, p.evaluator(masked0.caller()), Map.of()).size());
    assertEquals(
        0,
        s.chainsForCall(masked8, p.evaluator(masked8.caller()), Map.of()).size(),
        "8 & 4 is clear");
    assertEquals(1, s.chainsForCall(masked12, p.evaluator(masked12.caller()), Map.of()).size());
    CallSite poll2 = p.sites("top", "poll").get(1);
    assertEquals(1, s.chainsForCall(poll2, p.evaluator(poll2.caller()), Map.of()).size());
  }

  @Test
  void aSleepOnTheClearSideOfAFlagMaskNeedsTheBitClear() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static int send(unsigned int flags) {
              if (flags & 1)
                return 0;
              might_sleep();
              return 1;
            }
            static int send_sync(void) { return send(0); }
            static int send_async(void) { return send(1 | 4); }
            static int send_nb(unsigned int len) { return send((1 << 0) | (len << 8)); }
            static int send_se(unsigned int len) { return send(({ (len << 8) | 1; })); }
            static int pass(unsigned int how) { return send(how); }
            void top(unsigned int f) {
              send_sync();
              send_async();
              pass(1);
              pass(2);
              pass(f);
            }
            """);
    assertEquals(1, chains(p, "top", "send_sync").size());
    assertEquals("", describe(chains(p, "top", "send_async")));
    SleepSummaries s = SleepSummaries.compute(p.program);
    assertEquals(List.of(), s.chainsOf(p.fn("send_nb")), "the known bit of an OR is set");
    assertEquals(List.of(), s.chainsOf(p.fn("send_se")), "also as a statement expression's value");
    List<CallSite> pass = p.sites("top", "pass");
    assertEquals(
        0, s.chainsForCall(pass.get(0), p.evaluator(pass.get(0).caller()), Map.of()).size());
    assertEquals(
        1, s.chainsForCall(pass.get(1), p.evaluator(pass.get(1).caller()), Map.of()).size());
    assertEquals(
        1,
        s.chainsForCall(pass.get(2), p.evaluator(pass.get(2).caller()), Map.of()).size(),
        "an unknown flags value keeps the chain");
  }

  @Test
  void aSleepOnTheSetSideOfAFlagMaskNeedsTheBitSet() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static int append(unsigned int flag) {
              if (flag & 8)
                pr_info("no send");
              if (flag & 2)
                msleep(1);
              return 0;
            }
            static int from_irq(void) { unsigned int cmd_flags = 1; return append(cmd_flags); }
            static int waiting(void) { return append(2 | 1); }
            static int pass(unsigned int f) { return append(f); }
            void top(void) { from_irq(); waiting(); pass(1); pass(3); }
            """);
    assertEquals("", describe(chains(p, "top", "from_irq")), "bit 2 is not set");
    assertEquals(1, chains(p, "top", "waiting").size());
    SleepSummaries s = SleepSummaries.compute(p.program);
    List<CallSite> pass = p.sites("top", "pass");
    assertEquals(
        0, s.chainsForCall(pass.get(0), p.evaluator(pass.get(0).caller()), Map.of()).size());
    assertEquals(
        1, s.chainsForCall(pass.get(1), p.evaluator(pass.get(1).caller()), Map.of()).size());
  }

  @Test
  void aSleepInASwitchCaseOnAParameterNeedsThatCase() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            enum cmd { CMD_STATUS = 1, CMD_RESET = 2, CMD_FLUSH = 3 };
            static int prepare(int cmd_no) {
              switch (cmd_no) {
              case CMD_STATUS:
                return 0;
              case CMD_RESET:
                msleep(10);
                return 1;
              case CMD_FLUSH:
              default:
                return 2;
              }
            }
            static int fall_into(int cmd_no) {
              switch (cmd_no) {
              case 1:
                pr_info("one");
              case 2:
                msleep(1);
              }
              return 0;
            }
            static int send(int cmd_no) { return prepare(cmd_no); }
            void top(int c) {
              send(CMD_STATUS);
              send(CMD_RESET);
              send(c);
              fall_into(1);
            }
            """);
    SleepSummaries s = SleepSummaries.compute(p.program);
    List<CallSite> send = p.sites("top", "send");
    assertEquals(
        0, s.chainsForCall(send.get(0), p.evaluator(send.get(0).caller()), Map.of()).size());
    assertEquals(
        1, s.chainsForCall(send.get(1), p.evaluator(send.get(1).caller()), Map.of()).size());
    assertEquals(
        1, s.chainsForCall(send.get(2), p.evaluator(send.get(2).caller()), Map.of()).size());
    assertEquals(1, chains(p, "top", "fall_into").size(), "case 1 falls into the sleep");
  }

  @Test
  void equalityWithAConstantAndComparisonArgumentsDecide() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static int send(int cmd, int sync) {
              if (sync)
                msleep(1);
              if (cmd == 7)
                msleep(2);
              return 0;
            }
            static int set_params(int cmd_type) { return send(1, cmd_type == 2); }
            static int cancel_async(void) { return set_params(1); }
            static int cancel_sync(void) { return set_params(2); }
            static int seven(void) { return send(7, 0); }
            static int eight(void) { return send(8, 0); }
            void top(void) { cancel_async(); cancel_sync(); seven(); eight(); }
            """);
    assertEquals("", describe(chains(p, "top", "cancel_async")));
    assertEquals(1, chains(p, "top", "cancel_sync").size());
    assertEquals(1, chains(p, "top", "seven").size());
    assertEquals("", describe(chains(p, "top", "eight")));
  }

  @Test
  void aParameterOnlyEverSetToZeroStillDecidesWhenFoundTrue() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static int mbox(int size, bool sleep_ok, int timeout) {
              if (timeout < 0)
                sleep_ok = false;
              if (sleep_ok)
                msleep(1);
              else
                mdelay(1);
              return 0;
            }
            static int mbox_other(bool sleep_ok) {
              sleep_ok = false;
              if (!sleep_ok)
                msleep(1);
              return 0;
            }
            static int ns(void) { return mbox(16, false, 10); }
            static int ok(void) { return mbox(16, true, 10); }
            static int other(void) { return mbox_other(true); }
            void top(void) { ns(); ok(); other(); }
            """);
    assertEquals("", describe(chains(p, "top", "ns")));
    assertEquals(1, chains(p, "top", "ok").size());
    assertEquals(
        1, chains(p, "top", "other").size(), "a false test of a zeroed parameter says nothing");
  }

  @Test
  void recursionTerminatesAndFindsTheSleep() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            struct mutex;
            extern struct mutex lock;
            static void ping(int n);
            static void pong(int n) { if (n) ping(n - 1); else mutex_lock(&lock); }
            static void ping(int n) { pong(n); }
            static void self(int n) { if (n) self(n - 1); msleep(1); }
            void top(void) { ping(3); self(2); }
            """);
    // pong() sleeps only when n is false; ping(3) gets there through the recursion, where the
    // analysis does not count down: the recursive step is conditional on its argument.
    assertEquals(
        "SLEEP mutex_lock | 7: calls ping() with n = 3 | 5: calls pong() with n = n | 4: calls"
            + " ping() with n = n - 1 when !(n - 1) | 5: calls pong() with n = n | 4:"
            + " mutex_lock(&lock) may sleep\n",
        describe(chains(p, "top", "ping")));
    assertEquals(
        "SLEEP msleep | 7: calls self() | 6: msleep(1) may sleep\n",
        describe(chains(p, "top", "self")));
  }

  @Test
  void helperThreeCallsAwayInAnotherUnit() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "drv/main.c",
            """
            int step1(void);
            void irq_work(void) { step1(); }
            """,
            "drv/helpers.c",
            """
            static int step3(void) { return vzalloc(64) != 0; }
            static int step2(void) { return step3(); }
            int step1(void) { return step2(); }
            """);
    List<SleepChain> c = chains(p, "irq_work", "step1");
    assertEquals(
        "VMALLOC vzalloc | 2: calls step1() | 3: calls step2() | 2: calls step3()"
            + " | 1: vzalloc(64) may sleep: the vmalloc family always may, whatever the flags\n",
        describe(c));
    assertEquals("drv/main.c", c.get(0).steps().get(0).range().file());
    assertEquals("drv/helpers.c", c.get(0).steps().get(3).range().file());
  }

  @Test
  void vmallocFamilyAndKvmalloc() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            void f(void) {
              vmalloc(10);
              __vmalloc(10, GFP_ATOMIC);
              kvmalloc(10, GFP_KERNEL);
              kvzalloc(10, GFP_ATOMIC);
              vfree(0);
              vunmap(0);
            }
            """);
    assertEquals(SleepCategory.VMALLOC, chains(p, "f", "vmalloc").get(0).category());
    assertEquals(SleepCategory.VMALLOC, chains(p, "f", "__vmalloc").get(0).category());
    assertEquals(
        "VMALLOC kvmalloc | 4: kvmalloc(10, GFP_KERNEL) may sleep:"
            + " GFP_KERNEL allows the vmalloc fallback\n",
        describe(chains(p, "f", "kvmalloc")));
    assertEquals(List.of(), chains(p, "f", "kvzalloc"));
    SleepChain vfree = chains(p, "f", "vfree").get(0);
    assertTrue(vfree.unlessInInterrupt());
    assertEquals(SleepCategory.SLEEP, vfree.category());
    assertFalse(chains(p, "f", "vunmap").get(0).unlessInInterrupt());
  }

  @Test
  void sleepingApisMacroFormsAndUrbs() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            struct urb;
            struct mutex;
            void f(struct mutex *m, struct urb *u, int *wq, int done) {
              mutex_lock(m);
              wait_event_interruptible(*wq, done);
              usb_submit_urb(u, GFP_KERNEL);
              usb_submit_urb(u, GFP_ATOMIC);
              mutex_trylock(m);
              kmalloc_noprof(8, GFP_KERNEL);
            }
            """);
    assertEquals(SleepCategory.SLEEP, chains(p, "f", "mutex_lock").get(0).category());
    assertEquals(
        "SLEEP wait_event_interruptible | 5: wait_event_interruptible(*wq, done) may sleep\n",
        describe(chains(p, "f", "wait_event_interruptible")));
    assertEquals(SleepCategory.ALLOC, chains(p, "f", "usb_submit_urb").get(0).category());
    SleepSummaries s = SleepSummaries.compute(p.program);
    CallSite atomicUrb = p.program.callSites(p.fn("f")).get(3);
    assertEquals(List.of(), s.chainsForCall(atomicUrb, p.evaluator(p.fn("f")), Map.of()));
    assertEquals(List.of(), chains(p, "f", "mutex_trylock"));
    assertEquals("kmalloc_noprof", chains(p, "f", "kmalloc_noprof").get(0).api());
  }

  @Test
  void shortestChainPerCategoryAndVfreeKeptApart() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            struct mutex;
            static void deep2(struct mutex *m) { mutex_lock(m); }
            static void deep1(struct mutex *m) { deep2(m); }
            static void h(struct mutex *m) {
              deep1(m);
              vfree(m);
              msleep(5);
              kfree(kzalloc(4, GFP_KERNEL));
              if (m) h(m);
              deep2(m);
              vmalloc(8);
            }
            void top(struct mutex *m) { h(m); }
            """);
    String expected =
        "VMALLOC vmalloc | 13: calls h() | 11: vmalloc(8) may sleep: the vmalloc family always may, whatever the flags\n"
            + "ALLOC kzalloc | 13: calls h() | 8: kzalloc(4, GFP_KERNEL) may sleep: GFP_KERNEL"
            + " allows direct reclaim\n"
            + "SLEEP vfree unless-in-interrupt | 13: calls h() | 6: vfree(m) may sleep outside"
            + " interrupt context\n"
            + "SLEEP msleep | 13: calls h() | 7: msleep(5) may sleep\n";
    assertEquals(expected, describe(chains(p, "top", "h")));
    // Deterministic: a fresh computation gives byte-identical chains.
    assertEquals(expected, describe(chains(p, "top", "h")));
  }

  @Test
  void moduleDefinitionWinsOverTheTable() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            static void msleep(int ms) { (void)ms; }
            void f(void) { msleep(3); }
            """);
    assertEquals(List.of(), chains(p, "f", "msleep"));
  }

  @Test
  void tableRowsParse() {
    SleepApis apis = SleepApis.builtin();
    assertEquals(SleepApis.Condition.UNLESS_IN_INTERRUPT, apis.lookup("kvfree", 1).condition());
    assertEquals(SleepCategory.SLEEP, apis.lookup("kfree_rcu", 1).category());
    assertEquals(null, apis.lookup("kfree_rcu", 2));
    assertEquals(null, apis.lookup("del_timer_sync", 1));
    assertEquals(null, apis.lookup("netdev_alloc_skb", 2));
    assertEquals(SleepCategory.ALLOC, apis.lookup("kmem_cache_create", 5).category());
    assertEquals(SleepCategory.SLEEP, apis.lookup("copy_to_user", 3).category());
  }

  /** gfpflags_allow_blocking(gfp) tests gfp's __GFP_DIRECT_RECLAIM (docs/kernel-facts.md §2.3). */
  @Test
  void gfpflagsAllowBlockingIsAMaskTestOnTheParameter() {
    SnippetProgram p =
        new SnippetProgram(
            dir,
            "a.c",
            """
            void wait_if_allowed(gfp_t gfp)
            {
              if (gfpflags_allow_blocking(gfp))
                msleep(1);
            }
            void f(void)
            {
              wait_if_allowed(GFP_ATOMIC);
              wait_if_allowed(GFP_KERNEL);
            }
            """);
    SleepSummaries s = SleepSummaries.compute(p.program);
    List<CallSite> sites = p.sites("f", "wait_if_allowed");
    assertEquals(List.of(), s.chainsForCall(sites.get(0), p.evaluator(p.fn("f")), Map.of()));
    assertEquals(1, s.chainsForCall(sites.get(1), p.evaluator(p.fn("f")), Map.of()).size());
  }
}
