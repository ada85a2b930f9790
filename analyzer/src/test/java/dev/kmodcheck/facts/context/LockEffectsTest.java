package dev.kmodcheck.facts.context;

import static dev.kmodcheck.facts.context.ContextFixture.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.kernel.AtomicKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lock and unlock wrappers, sparse annotations, and their use at call sites. */
class LockEffectsTest {

  @TempDir Path dir;

  private static final String PRELUDE =
      """
      struct foo { spinlock_t lock; struct mutex m; unsigned long flags; int n; };
      struct bar { struct foo sub; struct foo *fp; };
      """;

  private ContextFixture fx(String code) {
    return ContextFixture.of(dir, PRELUDE + code);
  }

  @Test
  void lockWrapperHoldsAtCallerWithTranslatedLock() {
    ContextFixture f =
        fx(
            """
        static void foo_lock(struct foo *f)
        {
        	spin_lock_irqsave(&f->lock, f->flags);
        }
        static void foo_unlock(struct foo *f)
        {
        	spin_unlock_irqrestore(&f->lock, f->flags);
        }
        void user(struct foo *priv)
        {
        	foo_lock(priv);
        	inside();
        	foo_unlock(priv);
        	after();
        }
        """);
    LockEffect lock = f.effects.get(f.fn("foo_lock"));
    assertEquals(2, lock.acquired().size());
    assertEquals("&(f->lock)", lock.acquired().get(1).lock());
    assertEquals(List.of("&(f->lock)"), f.effects.get(f.fn("foo_unlock")).released());
    assertEquals(
        List.of("IRQS_OFF &(priv->lock), SPINLOCK &(priv->lock)"),
        describe(f.at("user", "inside")));
    AtomicCause c = f.at("user", "inside").get(0).outermost();
    assertEquals(13, c.range().line(), "the cause points at the wrapper call");
    assertTrue(
        c.description().startsWith("foo_lock(priv) returns holding &(priv->lock)"),
        c.description());
    assertEquals(List.of(), f.at("user", "after"));
  }

  @Test
  void wrappersOfWrappersAndAddressOfMemberArgument() {
    ContextFixture f =
        fx(
            """
        static void foo_lock(struct foo *f)
        {
        	spin_lock(&f->lock);
        }
        static void bar_lock(struct bar *b)
        {
        	foo_lock(&b->sub);
        }
        static void foo_unlock(struct foo *f)
        {
        	spin_unlock(&f->lock);
        }
        void user(struct bar *b)
        {
        	bar_lock(b);
        	inside();
        	spin_unlock(&b->sub.lock);
        	after();
        	bar_lock(b);
        	foo_unlock(&b->sub);
        	after_wrapped_unlock();
        }
        """);
    assertEquals(List.of("SPINLOCK &(b->sub.lock)"), describe(f.at("user", "inside")));
    assertEquals(List.of(), f.at("user", "after"));
    assertEquals(List.of(), f.at("user", "after_wrapped_unlock"));
  }

  @Test
  void conditionalLockIsNotAWrapperButUnconditionalReleaseIs() {
    ContextFixture f =
        fx(
            """
        static int maybe_lock(struct foo *f)
        {
        	if (!f->n)
        		return -22;
        	spin_lock(&f->lock);
        	return 0;
        }
        static void drop(struct foo *f)
        {
        	if (f->n)
        		spin_unlock(&f->lock);
        }
        void user(struct foo *p)
        {
        	maybe_lock(p);
        	not_known();
        	spin_lock(&p->lock);
        	drop(p);
        	after_drop();
        }
        """);
    assertTrue(f.effects.get(f.fn("maybe_lock")).isNone(), "held on one return path only");
    assertEquals(List.of("&(f->lock)"), f.effects.get(f.fn("drop")).released());
    assertEquals(List.of(), f.at("user", "not_known"));
    assertEquals(
        List.of(),
        f.at("user", "after_drop"),
        "a release on some path of the callee counts, so no false held state follows");
  }

  @Test
  void recursionTerminates() {
    ContextFixture f =
        fx(
            """
        static void a(struct foo *f, int n);
        static void b(struct foo *f, int n)
        {
        	if (n)
        		a(f, n - 1);
        	else
        		spin_lock(&f->lock);
        }
        static void a(struct foo *f, int n)
        {
        	b(f, n);
        }
        void user(struct foo *p)
        {
        	a(p, 3);
        	inside();
        }
        """);
    // Neither a nor b holds the lock on every return path; the point is that it settles.
    assertTrue(f.effects.get(f.fn("b")).acquired().isEmpty());
    assertEquals(List.of(), f.at("user", "inside"));
  }

  @Test
  void localIrqWrapperReleasesByKind() {
    ContextFixture f =
        fx(
            """
        static void irqs_on(void)
        {
        	local_irq_enable();
        }
        void user(void)
        {
        	local_irq_disable();
        	off();
        	irqs_on();
        	on();
        }
        """);
    assertEquals(List.of("IRQS_OFF"), f.effects.get(f.fn("irqs_on")).released());
    assertEquals(List.of("IRQS_OFF"), describe(f.at("user", "off")));
    assertEquals(List.of(), f.at("user", "on"));
  }

  @Test
  void mustHoldSpinlockGivesCallerHeldEntry() {
    ContextFixture f =
        fx(
            """
        static void locked_helper(struct foo *f) __must_hold(&f->lock)
        {
        	work();
        	spin_unlock(&f->lock);
        	unlocked();
        	spin_lock(&f->lock);
        }
        static void mutex_helper(struct foo *f) __must_hold(&f->m)
        {
        	work();
        }
        static void released(struct foo *f) __releases(&f->lock)
        {
        	finish(f);
        }
        """);
    List<AtomicCause> entry = ContextAnalysis.entryCausesFromAnnotations(f.fn("locked_helper"));
    assertEquals(1, entry.size());
    assertEquals(AtomicKind.CALLER_HELD, entry.get(0).kind());
    assertEquals("&(f->lock)", entry.get(0).lock());
    FunctionContext ctx = f.context("locked_helper", entry);
    assertEquals(
        List.of("CALLER_HELD &(f->lock)"),
        describe(ctx.atomicStatesAt(f.call("locked_helper", "work", 0))));
    assertEquals(List.of(), ctx.atomicStatesAt(f.call("locked_helper", "unlocked", 0)));
    assertEquals(
        List.of(),
        ContextAnalysis.entryCausesFromAnnotations(f.fn("mutex_helper")),
        "a mutex is not atomic");
    assertEquals(List.of("&(f->lock)"), f.effects.get(f.fn("released")).released());
  }

  @Test
  void dropAndRetakeInALoopIsNoNetEffectAndTheCallersUnlockStillMatches() {
    // ath11k_peer_rx_tid_cleanup: entered holding the lock, drops and retakes it per iteration.
    // Its caller names the same lock through a local alias; the helper must not hand back a
    // lock of its own that the caller's unlock cannot match.
    ContextFixture f =
        fx(
            """
        static void tid_cleanup(struct bar *b)
        {
        	int i;
        	for (i = 0; i < 8; i++) {
        		spin_unlock_bh(&b->fp->lock);
        		del_timer_sync(&b->fp->n);
        		spin_lock_bh(&b->fp->lock);
        	}
        }
        void cleanup_all(struct bar *b)
        {
        	struct foo *fp = b->fp;
        	spin_lock_bh(&fp->lock);
        	tid_cleanup(b);
        	spin_unlock_bh(&fp->lock);
        	after();
        }
        """);
    assertEquals(LockEffect.NONE, f.effects.get(f.fn("tid_cleanup")));
    assertEquals(LockEffect.NONE, f.effects.get(f.fn("cleanup_all")));
    assertEquals(List.of(), f.at("cleanup_all", "after"));
  }

  @Test
  void aLocalAssignedOnceNamesTheSameLockAsItsValue() {
    // drbd: the caller locks through `resource = connection->resource`, the callee drops
    // `&connection->resource->req_lock` and sleeps; binder-style reassigned locals stay as they
    // are.
    ContextFixture f =
        fx(
            """
        struct conn { struct foo *res; };
        static void drop_and_sleep(struct conn *c)
        {
        	spin_unlock_irq(&c->res->lock);
        	mutex_lock(&c->res->m);
        	mutex_unlock(&c->res->m);
        	spin_lock_irq(&c->res->lock);
        }
        void caller(struct conn *connection)
        {
        	struct foo *resource = connection->res;
        	spin_lock_irq(&resource->lock);
        	drop_and_sleep(connection);
        	inside();
        	spin_unlock_irq(&resource->lock);
        	after();
        }
        void walk(struct foo *t)
        {
        	struct foo *last;
        	spin_lock(&t->lock);
        	last = t;
        	t = 0;
        	spin_unlock(&last->lock);
        	after();
        }
        void two(struct foo *t, struct foo *u)
        {
        	struct foo *last;
        	spin_lock(&t->lock);
        	spin_lock(&u->lock);
        	last = t;
        	t = 0;
        	spin_unlock(&last->lock);
        	after();
        }
        """);
    assertEquals(
        List.of("IRQS_OFF &(connection->res->lock), SPINLOCK &(connection->res->lock)"),
        describe(f.at("caller", "inside")));
    assertEquals(List.of(), f.at("caller", "after"));
    assertEquals(
        List.of(),
        describe(f.at("walk", "after")),
        "the only spinlock held is the one unlocked through the copied pointer");
    assertEquals(
        List.of("SPINLOCK &(u->lock)"),
        describe(f.at("two", "after")),
        "with two held, the copy last = t says which one the unlock through last ends");
  }

  @Test
  void irqRestoreEndsTheIrqsOffSectionsAHelperReopened() {
    // longhaul: do_powersaver() enables IRQs with safe_halt() and disables them again; the
    // caller's local_irq_restore() leaves interrupts on whatever the helper did.
    ContextFixture f =
        fx(
            """
        static void powersaver(void)
        {
        	safe_halt();
        	local_irq_disable();
        }
        void set_target(void)
        {
        	unsigned long flags;
        	preempt_disable();
        	local_irq_save(flags);
        	powersaver();
        	local_irq_restore(flags);
        	preempt_enable();
        	after();
        }
        void counted(void)
        {
        	local_bh_disable();
        	local_bh_disable();
        	local_bh_enable();
        	inside();
        	local_bh_enable();
        }
        """);
    assertEquals(List.of(), f.at("set_target", "after"));
    assertEquals(
        List.of("BH_OFF"),
        describe(f.at("counted", "inside")),
        "bottom halves are counted, unlike interrupts");
  }

  @Test
  void unlockIrqEnablesInterruptsWhicheverLockDisabledThem() {
    // evdev_handle_get_val: the _irq lock and the _irq unlock are different locks.
    ContextFixture f =
        fx(
            """
        void crossed(struct foo *a, struct foo *b)
        {
        	spin_lock_irq(&a->lock);
        	spin_lock(&b->lock);
        	spin_unlock(&a->lock);
        	spin_unlock_irq(&b->lock);
        	after();
        }
        void restore(struct foo *a, struct foo *b)
        {
        	unsigned long flags;
        	local_irq_disable();
        	spin_lock_irqsave(&a->lock, flags);
        	spin_unlock_irqrestore(&a->lock, flags);
        	inside();
        	local_irq_enable();
        }
        """);
    assertEquals(List.of(), f.at("crossed", "after"));
    assertEquals(
        List.of("IRQS_OFF"),
        describe(f.at("restore", "inside")),
        "irqrestore returns to the state its save saw");
  }

  @Test
  void conditionalLockWrapperReturningWithoutTheLockIsNotAWrapper() {
    // psb_mmu_pt_alloc_map_lock: returns NULL without the lock on one path, and names the lock
    // through a local pointer the caller cannot see.
    ContextFixture f =
        fx(
            """
        static struct foo *map_lock(struct bar *b)
        {
        	spin_lock(&b->sub.lock);
        	if (!b->fp) {
        		spin_unlock(&b->sub.lock);
        		return 0;
        	}
        	return b->fp;
        }
        static void local_lock_it(struct bar *b)
        {
        	spinlock_t *l = pick_lock(b);
        	spin_lock(l);
        }
        static void alias_lock_it(struct bar *b)
        {
        	spinlock_t *l = &b->fp->lock;
        	spin_lock(l);
        }
        static void real_wrapper(struct bar *b)
        {
        	spin_lock(&b->sub.lock);
        }
        """);
    assertEquals(LockEffect.NONE, f.effects.get(f.fn("map_lock")));
    assertEquals(LockEffect.NONE, f.effects.get(f.fn("local_lock_it")));
    assertEquals(1, f.effects.get(f.fn("real_wrapper")).acquired().size());
    assertEquals(
        "&(b->fp->lock)",
        f.effects.get(f.fn("alias_lock_it")).acquired().get(0).lock(),
        "a local assigned once is named by its value");
  }

  @Test
  void dropAndRetakeHelperInsideAConditionalWrapper() {
    // The tg3 pattern: a lock wrapper that, on one path, calls a helper which drops and retakes
    // the lock; both paths still return holding it. The annotation names the object, not &.
    ContextFixture f =
        fx(
            """
        static void quiesce(struct foo *f)
        	__releases(f->lock)
        	__acquires(f->lock)
        {
        	spin_unlock_bh(&f->lock);
        	wait_for_irqs();
        	spin_lock_bh(&f->lock);
        }
        static void full_lock(struct foo *f, int sync)
        {
        	spin_lock_bh(&f->lock);
        	if (sync)
        		quiesce(f);
        }
        static void full_unlock(struct foo *f)
        {
        	spin_unlock_bh(&f->lock);
        }
        void user(struct foo *p)
        {
        	full_lock(p, 1);
        	inside();
        	full_unlock(p);
        	after();
        }
        """);
    LockEffect q = f.effects.get(f.fn("quiesce"));
    assertEquals(LockEffect.NONE, q, "dropping and retaking the caller's lock: no net effect");
    LockEffect full = f.effects.get(f.fn("full_lock"));
    assertEquals(List.of(), full.released(), "its own lock, released and retaken");
    assertEquals(2, full.acquired().size());
    assertEquals(
        List.of("BH_OFF &(p->lock), SPINLOCK &(p->lock)"), describe(f.at("user", "inside")));
    assertEquals(List.of(), f.at("user", "after"));
    assertEquals(List.of(), f.at("quiesce", "wait_for_irqs"));
  }

  @Test
  void releasesAndAcquiresAnnotationsMeanTheCallerStillHolds() {
    ContextFixture f =
        fx(
            """
        static void quiesce(struct foo *f)
        {
        	spin_unlock_bh(&f->lock);
        	wait_for_irqs();
        	spin_lock_bh(&f->lock);
        }
        static int chip_reset(struct foo *f)
        	__releases(f->lock)
        	__acquires(f->lock)
        {
        	if (f->n)
        		quiesce(f);
        	return 0;
        }
        void user(struct foo *p)
        {
        	spin_lock_bh(&p->lock);
        	chip_reset(p);
        	still_held();
        	spin_unlock_bh(&p->lock);
        }
        """);
    assertTrue(f.effects.get(f.fn("chip_reset")).released().isEmpty());
    assertEquals(
        List.of("BH_OFF &(p->lock), SPINLOCK &(p->lock)"), describe(f.at("user", "still_held")));
  }
}
