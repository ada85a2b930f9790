package dev.kmodcheck.facts.context;

import static dev.kmodcheck.facts.context.ContextFixture.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic state before calls, on C snippets parsed by the real frontend (header-less mode). */
class ContextAnalysisTest {

  @TempDir Path dir;

  private static final String PRELUDE =
      "struct foo { spinlock_t lock; struct mutex m; int n; void *buf; };\n";

  private ContextFixture fx(String code) {
    return ContextFixture.of(dir, PRELUDE + code);
  }

  @Test
  void straightLineLockUnlock() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	before();
        	spin_lock(&p->lock);
        	inside();
        	spin_unlock(&p->lock);
        	after();
        }
        """);
    assertEquals(List.of(), f.at("f", "before"));
    assertEquals(List.of(), f.at("f", "spin_lock"), "the lock call itself runs before it holds");
    assertEquals(List.of("SPINLOCK &(p->lock)"), describe(f.at("f", "inside")));
    assertEquals(List.of("SPINLOCK &(p->lock)"), describe(f.at("f", "spin_unlock")));
    assertEquals(List.of(), f.at("f", "after"));
    AtomicCause cause = f.at("f", "inside").get(0).outermost();
    assertEquals(5, cause.range().line()); // the prelude is line 1
    assertTrue(
        cause.description().contains("spin_lock(&p->lock) takes a spinlock"), cause.description());
  }

  @Test
  void irqsaveHoldsTwoCausesAndUnlockReleasesBoth() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	unsigned long flags;
        	spin_lock_irqsave(&p->lock, flags);
        	inside();
        	spin_unlock(&p->lock);
        	irqs_still_off();
        	local_irq_restore(flags);
        	after();
        }
        """);
    assertEquals(
        List.of("IRQS_OFF &(p->lock), SPINLOCK &(p->lock)"), describe(f.at("f", "inside")));
    assertEquals(List.of("IRQS_OFF &(p->lock)"), describe(f.at("f", "irqs_still_off")));
    assertEquals(List.of(), f.at("f", "after"));
  }

  @Test
  void ifElseOnlyTheLockingArm() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p, int x)
        {
        	if (x) {
        		spin_lock(&p->lock);
        		a();
        	} else {
        		b();
        	}
        	c();
        }
        """);
    assertEquals(1, f.at("f", "a").size());
    assertEquals(List.of(), f.at("f", "b"));
    assertEquals(List.of("SPINLOCK &(p->lock)"), describe(f.at("f", "c")));
    assertEquals(Boolean.TRUE, f.at("f", "c").get(0).assumptions().get("x"));
  }

  @Test
  void gotoErrorPathUnlocks() {
    ContextFixture f =
        fx(
            """
        int f(struct foo *p)
        {
        	int err = 0;
        	spin_lock(&p->lock);
        	if (!p->buf) {
        		err = -12;
        		goto out_unlock;
        	}
        	work();
        out_unlock:
        	spin_unlock(&p->lock);
        	after();
        	return err;
        }
        """);
    assertEquals(1, f.at("f", "work").size());
    assertEquals(2, f.at("f", "spin_unlock").size(), "both paths (p->buf true / false) hold it");
    assertTrue(
        describe(f.at("f", "spin_unlock")).stream().allMatch(s -> s.equals("SPINLOCK &(p->lock)")));
    assertEquals(List.of(), f.at("f", "after"));
  }

  @Test
  void earlyReturnUnlockLeavesNoHeldPath() {
    ContextFixture f =
        fx(
            """
        int f(struct foo *p, int err)
        {
        	spin_lock(&p->lock);
        	if (err) {
        		spin_unlock(&p->lock);
        		return err;
        	}
        	locked_work();
        	spin_unlock(&p->lock);
        	sleepy();
        	return 0;
        }
        """);
    assertEquals(1, f.at("f", "locked_work").size());
    assertEquals(List.of(), f.at("f", "sleepy"));
    assertTrue(f.context("f").effect().isNone());
  }

  @Test
  void lockAndUnlockUnderTheSameFlag() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p, int flag, int len)
        {
        	if (flag)
        		spin_lock(&p->lock);
        	p->buf = kmalloc(len, GFP_KERNEL);
        	if (p->n)
        		other();
        	if (flag)
        		spin_unlock(&p->lock);
        	after();
        }
        """);
    List<PathState> atAlloc = f.at("f", "kmalloc");
    assertEquals(List.of("SPINLOCK &(p->lock)"), describe(atAlloc));
    assertEquals(Boolean.TRUE, atAlloc.get(0).assumptions().get("flag"));
    assertEquals(List.of(), f.at("f", "after"), "no path keeps the lock past the second test");
  }

  @Test
  void lockedFlagVariableAfterTheRegion() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p, int want)
        {
        	bool locked = false;
        	if (want) {
        		spin_lock(&p->lock);
        		locked = true;
        	}
        	work();
        	if (locked)
        		spin_unlock(&p->lock);
        	after();
        }
        """);
    assertEquals(1, f.at("f", "work").size());
    assertEquals(List.of(), f.at("f", "after"));
  }

  @Test
  void assignmentForgetsAssumption() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p, int flag)
        {
        	if (flag)
        		spin_lock(&p->lock);
        	flag = p->n;
        	if (flag)
        		spin_unlock(&p->lock);
        	after();
        }
        """);
    assertEquals(
        List.of("SPINLOCK &(p->lock)"),
        describe(f.at("f", "after")),
        "flag changed, so the second test says nothing about the lock");
  }

  @Test
  void mutexIsNotAtomic() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	mutex_lock(&p->m);
        	inside();
        	mutex_unlock(&p->m);
        	down_read(&sem);
        	inside2();
        	up_read(&sem);
        }
        """);
    assertEquals(List.of(), f.at("f", "inside"));
    assertEquals(List.of(), f.at("f", "inside2"));
  }

  @Test
  void rcuAndPreemptAndBh() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	rcu_read_lock();
        	in_rcu();
        	rcu_read_unlock();
        	preempt_disable();
        	in_preempt();
        	preempt_enable();
        	local_bh_disable();
        	in_bh();
        	local_bh_enable();
        	spin_lock_bh(&p->lock);
        	in_lock_bh();
        	spin_unlock_bh(&p->lock);
        	out();
        }
        """);
    assertEquals(List.of("RCU_READ"), describe(f.at("f", "in_rcu")));
    assertEquals(List.of("PREEMPT_OFF"), describe(f.at("f", "in_preempt")));
    assertEquals(List.of("BH_OFF"), describe(f.at("f", "in_bh")));
    assertTrue(f.at("f", "in_bh").get(0).onlyInInterrupt());
    assertEquals(
        List.of("BH_OFF &(p->lock), SPINLOCK &(p->lock)"), describe(f.at("f", "in_lock_bh")));
    assertEquals(List.of(), f.at("f", "out"));
  }
}
