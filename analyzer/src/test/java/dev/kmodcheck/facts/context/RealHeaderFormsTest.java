package dev.kmodcheck.facts.context;

import static dev.kmodcheck.facts.context.ContextFixture.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock APIs as real kernel headers spell them: macros around internal functions, matched by
 * Call.macro(); guards as cleanup variables initialised by class_*_constructor. The macros here are
 * our own simplified definitions of the same shape.
 */
class RealHeaderFormsTest {

  @TempDir Path dir;

  @Test
  void macroAroundInternalCallsCountsOnce() {
    ContextFixture f =
        ContextFixture.of(
            dir,
            """
        struct foo { spinlock_t lock; };
        #define spin_lock_irqsave(l, fl) do { fl = _raw_spin_lock_irqsave(spinlock_check(l)); } while (0)
        #define spin_unlock_irqrestore(l, fl) _raw_spin_unlock_irqrestore(spinlock_check(l), fl)
        #define preempt_disable() do { __preempt_count_add(1); barrier(); } while (0)
        #define preempt_enable() do { barrier(); __preempt_count_sub(1); } while (0)
        void f(struct foo *p)
        {
        	unsigned long flags;
        	spin_lock_irqsave(&p->lock, flags);
        	inside();
        	spin_unlock_irqrestore(&p->lock, flags);
        	preempt_disable();
        	no_preempt();
        	preempt_enable();
        	after();
        }
        """);
    assertEquals(
        List.of("IRQS_OFF &(p->lock), SPINLOCK &(p->lock)"), describe(f.at("f", "inside")));
    assertEquals(List.of(), f.at("f", "_raw_spin_lock_irqsave"));
    assertEquals(List.of("PREEMPT_OFF"), describe(f.at("f", "no_preempt")));
    assertEquals(List.of(), f.at("f", "after"));
  }

  @Test
  void cleanupGuardVariable() {
    ContextFixture f =
        ContextFixture.of(
            dir,
            """
        struct foo { spinlock_t lock; int n; };
        typedef struct { spinlock_t *lock; } class_spinlock_t;
        #define guard(_name) class_##_name##_t __guard __attribute__((unused)) = class_##_name##_constructor
        void f(struct foo *p)
        {
        	if (p->n) {
        		guard(spinlock)(&p->lock);
        		inside();
        	}
        	after();
        }
        """);
    assertEquals(List.of("SPINLOCK &(p->lock)"), describe(f.at("f", "inside")));
    assertEquals(List.of(), f.at("f", "after"));
  }

  @Test
  void trylockMacroAroundCondLock() {
    ContextFixture f =
        ContextFixture.of(
            dir,
            """
        struct foo { spinlock_t lock; };
        #define spin_trylock(l) __cond_lock(l, _raw_spin_trylock(spinlock_check(l)))
        void f(struct foo *p)
        {
        	if (!spin_trylock(&p->lock))
        		return;
        	inside();
        	spin_unlock(&p->lock);
        	after();
        }
        """);
    assertEquals(List.of("SPINLOCK &(p->lock)"), describe(f.at("f", "inside")));
    assertEquals(List.of(), f.at("f", "after"));
  }
}
