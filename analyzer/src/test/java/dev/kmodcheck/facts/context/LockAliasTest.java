package dev.kmodcheck.facts.context;

import static dev.kmodcheck.facts.context.ContextFixture.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock released through another variable that a plain assignment made name the same object, and
 * branches on a condition already tested (in either polarity) on the same path.
 */
class LockAliasTest {

  @TempDir Path dir;

  private static final String PRELUDE =
      """
      struct node { spinlock_t lock; struct node *up; int n; };
      struct tree { spinlock_t lock; int mode; struct node *root; };
      """;

  private ContextFixture fx(String code) {
    return ContextFixture.of(dir, PRELUDE + code);
  }

  @Test
  void handOverHandWalkReleasesTheLockThroughTheCopy() {
    ContextFixture f =
        fx(
            """
        void walk(struct tree *t, struct node *start)
        {
        	struct node *p = start;

        	spin_lock(&t->lock);
        	spin_lock(&p->lock);
        	while (p->n) {
        		struct node *up;

        		up = p->up;
        		spin_unlock(&p->lock);
        		spin_lock(&up->lock);
        		p = up;
        	}
        	spin_unlock(&p->lock);
        	middle();
        	spin_unlock(&t->lock);
        	after();
        }
        """);
    assertEquals(List.of("SPINLOCK &(t->lock)"), describe(f.at("walk", "middle")));
    assertEquals(List.of(), f.at("walk", "after"));
  }

  @Test
  void copyBeforeTheLockCallIsResolvedAsBefore() {
    ContextFixture f =
        fx(
            """
        void g(struct tree *t, struct node *a, struct node *b)
        {
        	struct node *p;

        	spin_lock(&t->lock);
        	spin_lock(&a->lock);
        	p = a;
        	if (b->n)
        		p = b;
        	spin_unlock(&p->lock);
        	after();
        	spin_unlock(&t->lock);
        }
        """);
    // Where p = b, a's lock is still held: the copy only names what it was copied from.
    List<String> at = describe(f.at("g", "after"));
    assertEquals(
        List.of("SPINLOCK &(t->lock)", "SPINLOCK &(t->lock), SPINLOCK &(a->lock)"),
        at.stream().sorted().toList());
  }

  @Test
  void reassignedPointerNoLongerNamesTheFirstLock() {
    ContextFixture f =
        fx(
            """
        void h(struct node *a, struct node *p)
        {
        	spin_lock(&a->lock);
        	spin_lock(&p->lock);
        	p = a;
        	spin_unlock(&p->lock);
        	still_held();
        }
        """);
    // The unlock ends a's lock (p names it now); the first p's lock stays held.
    assertEquals(List.of("SPINLOCK &(p->lock)"), describe(f.at("h", "still_held")));
  }

  @Test
  void irqRestoreThroughTheReassignedPointerRestoresTheSave() {
    ContextFixture f =
        fx(
            """
        void r(struct tree *t, struct node *leaf)
        {
        	unsigned long flags;
        	struct node *p = t->root;

        	spin_lock_irqsave(&p->lock, flags);
        	p->n = 0;
        	spin_unlock(&p->lock);
        	p = leaf;
        	spin_lock(&p->lock);
        	p->n = 1;
        	spin_unlock_irqrestore(&p->lock, flags);
        	after();
        }
        """);
    assertEquals(List.of(), f.at("r", "after"));
  }

  @Test
  void sameConfigTestNegatedKeepsPathsApart() {
    ContextFixture f =
        fx(
            """
        void e(struct tree *t)
        {
        	local_irq_disable();
        	if (!IS_ENABLED(CONFIG_FOO))
        		local_irq_enable();
        	between();
        	if (IS_ENABLED(CONFIG_FOO))
        		local_irq_enable();
        	after();
        }
        """);
    assertEquals(List.of("IRQS_OFF"), describe(f.at("e", "between")));
    assertEquals(List.of(), f.at("e", "after"));
  }

  @Test
  void oppositeComparisonsAndFieldReadsKeepPathsApart() {
    ContextFixture f =
        fx(
            """
        void c(struct tree *t, int n)
        {
        	spin_lock(&t->lock);
        	if (n > 4)
        		spin_unlock(&t->lock);
        	between();
        	if (n <= 4)
        		spin_unlock(&t->lock);
        	after_cmp();
        	spin_lock(&t->lock);
        	if (t->mode != 2)
        		spin_unlock(&t->lock);
        	if (t->mode == 2)
        		spin_unlock(&t->lock);
        	after_field();
        }
        """);
    assertEquals(List.of(), f.at("c", "after_cmp"));
    assertEquals(List.of(), f.at("c", "after_field"));
  }

  @Test
  void fieldWrittenInBetweenIsTestedAnew() {
    ContextFixture f =
        fx(
            """
        void w(struct tree *t)
        {
        	spin_lock(&t->lock);
        	if (t->mode)
        		spin_unlock(&t->lock);
        	t->mode = next_mode();
        	if (!t->mode)
        		spin_unlock(&t->lock);
        	after();
        }
        """);
    // After the write, !t->mode is a new question: the path that kept the lock may skip it.
    assertEquals(List.of("SPINLOCK &(t->lock)"), describe(f.at("w", "after")));
  }
}
