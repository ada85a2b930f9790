package dev.kmodcheck.facts.context;

import static dev.kmodcheck.facts.context.ContextFixture.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loops, switches, trylocks, guards and statement expressions. */
class ContextControlFlowTest {

  @TempDir Path dir;

  private static final String PRELUDE =
      "struct foo { spinlock_t lock; int n; atomic_t ref; refcount_t rc; };\n";

  private ContextFixture fx(String code) {
    return ContextFixture.of(dir, PRELUDE + code);
  }

  private static final List<String> HELD = List.of("SPINLOCK &(p->lock)");

  @Test
  void switchFallthroughAndBreak() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p, int cmd)
        {
        	switch (cmd) {
        	case 1:
        		spin_lock(&p->lock);
        		/* fall through */
        	case 2:
        		in_two();
        		break;
        	case 3:
        		in_three();
        		break;
        	default:
        		in_default();
        	}
        	after();
        }
        """);
    assertEquals(HELD, describe(f.at("f", "in_two")), "reached from case 1 by fallthrough");
    assertEquals(List.of(), f.at("f", "in_three"));
    assertEquals(List.of(), f.at("f", "in_default"));
    assertEquals(HELD, describe(f.at("f", "after")));
  }

  @Test
  void loopWithLockInsideConverges() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p, int n)
        {
        	int i;
        	for (i = 0; i < n; i++) {
        		before_lock();
        		spin_lock(&p->lock);
        		if (p->n)
        			continue;
        		locked();
        		spin_unlock(&p->lock);
        	}
        	after();
        }
        void g(struct foo *p)
        {
        	while (p->n) {
        		top();
        		spin_lock(&p->lock);
        		if (done())
        			break;
        		spin_unlock(&p->lock);
        	}
        	after_while();
        }
        """);
    assertEquals(
        HELD,
        describe(f.at("f", "before_lock")),
        "the continue path comes back around still holding the lock");
    assertEquals(HELD, describe(f.at("f", "locked")));
    assertEquals(HELD, describe(f.at("f", "after")));
    assertEquals(HELD, describe(f.at("g", "after_while")));
    assertEquals(List.of(), f.at("g", "top"), "each iteration unlocks before the back edge");
  }

  @Test
  void doWhileZeroMacroBodyAndInfiniteLoop() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	do {
        		spin_lock(&p->lock);
        	} while (0);
        	in_do();
        	spin_unlock(&p->lock);
        	for (;;) {
        		if (poll())
        			break;
        	}
        	after();
        }
        """);
    assertEquals(HELD, describe(f.at("f", "in_do")));
    assertEquals(List.of(), f.at("f", "after"));
    assertEquals(List.of(), f.at("f", "poll"));
  }

  @Test
  void trylockForms() {
    ContextFixture f =
        fx(
            """
        int f(struct foo *p, int a)
        {
        	if (spin_trylock(&p->lock)) {
        		got_it();
        		spin_unlock(&p->lock);
        	} else {
        		missed();
        	}
        	if (a && spin_trylock(&p->lock)) {
        		got_and();
        		spin_unlock(&p->lock);
        	}
        	after_and();
        	while (!spin_trylock(&p->lock))
        		cpu_relax();
        	spun();
        	spin_unlock(&p->lock);
        	if (!spin_trylock(&p->lock))
        		return -16;
        	early();
        	spin_unlock(&p->lock);
        	return 0;
        }
        """);
    assertEquals(HELD, describe(f.at("f", "got_it")));
    assertEquals(List.of(), f.at("f", "missed"));
    assertEquals(HELD, describe(f.at("f", "got_and")));
    assertEquals(List.of(), f.at("f", "after_and"));
    assertEquals(List.of(), f.at("f", "cpu_relax"));
    assertEquals(HELD, describe(f.at("f", "spun")));
    assertEquals(HELD, describe(f.at("f", "early")));
    assertTrue(f.context("f").effect().isNone());
  }

  @Test
  void trylockResultInVariable() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	int locked = spin_trylock(&p->lock);
        	if (!locked)
        		return;
        	inside();
        	spin_unlock(&p->lock);
        }
        """);
    assertEquals(HELD, describe(f.at("f", "inside")));
  }

  @Test
  void decAndLockHeldOnTrueBranch() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	if (atomic_dec_and_lock(&p->ref, &p->lock)) {
        		last_ref();
        		spin_unlock(&p->lock);
        	}
        	if (!refcount_dec_and_lock(&p->rc, &p->lock))
        		return;
        	freeing();
        	spin_unlock(&p->lock);
        }
        """);
    assertEquals(HELD, describe(f.at("f", "last_ref")));
    assertEquals(HELD, describe(f.at("f", "freeing")));
  }

  @Test
  void guardHoldsUntilEndOfBlock() {
    ContextFixture f =
        fx(
            """
        int f(struct foo *p, int x)
        {
        	before();
        	if (x) {
        		guard(spinlock_irqsave)(&p->lock);
        		in_guard();
        		if (p->n)
        			return 1;
        	}
        	after();
        	return 0;
        }
        void g(void)
        {
        	guard(rcu)();
        	in_rcu();
        }
        void h(struct foo *p)
        {
        	guard(mutex)(&p->lock);
        	sleepy();
        }
        """);
    assertEquals(List.of(), f.at("f", "before"));
    assertEquals(
        List.of("IRQS_OFF &(p->lock), SPINLOCK &(p->lock)"), describe(f.at("f", "in_guard")));
    assertEquals(List.of(), f.at("f", "after"));
    assertTrue(f.context("f").effect().isNone(), "a guard is released when the function returns");
    assertEquals(List.of("RCU_READ"), describe(f.at("g", "in_rcu")));
    assertEquals(List.of(), f.at("h", "sleepy"));
  }

  @Test
  void scopedGuardHoldsInBodyOnly() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	scoped_guard(spinlock, &p->lock) {
        		in_scope();
        		if (p->n)
        			break;
        		still_in_scope();
        	}
        	after();
        	scoped_guard(rcu)
        		in_rcu();
        	after_rcu();
        }
        """);
    assertEquals(HELD, describe(f.at("f", "in_scope")));
    assertEquals(HELD, describe(f.at("f", "still_in_scope")));
    assertEquals(List.of(), f.at("f", "after"));
    assertEquals(List.of("RCU_READ"), describe(f.at("f", "in_rcu")));
    assertEquals(List.of(), f.at("f", "after_rcu"));
  }

  @Test
  void statementExpressionRunsInline() {
    ContextFixture f =
        fx(
            """
        int f(struct foo *p)
        {
        	int v = ({ spin_lock(&p->lock); int r = read_it(); r + 1; });
        	use(v);
        	spin_unlock(&p->lock);
        	return v;
        }
        """);
    assertEquals(HELD, describe(f.at("f", "read_it")));
    assertEquals(HELD, describe(f.at("f", "use")));
  }

  @Test
  void callArgumentsRunBeforeTheCall() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p)
        {
        	consume(spin_trylock(&p->lock) ? a() : b(), c());
        }
        void g(struct foo *p)
        {
        	spin_lock(&p->lock);
        	outer(inner());
        	spin_unlock(&p->lock);
        }
        """);
    assertEquals(HELD, describe(f.at("f", "a")));
    assertEquals(List.of(), f.at("f", "b"));
    assertEquals(HELD, describe(f.at("g", "inner")));
    assertEquals(HELD, describe(f.at("g", "outer")));
    assertFalse(f.at("f", "consume").isEmpty(), "held on the trylock success path");
  }

  @Test
  void conditionalGfpSeesThePathAssumption() {
    ContextFixture f =
        fx(
            """
        void f(struct foo *p, bool atomic, int len)
        {
        	if (atomic)
        		spin_lock(&p->lock);
        	p->n = kmalloc(len, atomic ? GFP_ATOMIC : GFP_KERNEL) != 0;
        	if (atomic)
        		spin_unlock(&p->lock);
        }
        """);
    List<PathState> states = f.at("f", "kmalloc");
    assertEquals(1, states.size());
    assertEquals(Boolean.TRUE, states.get(0).assumptions().get("atomic"));
  }
}
