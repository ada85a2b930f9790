package dev.kmodcheck.facts.context;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.TranslationUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which annotation texts name a spinning lock, from declarations and the unit's lock calls. */
class LockTypesTest {
  @TempDir Path dir;

  private static final String CODE =
      """
      struct known {
      	spinlock_t lock;
      	struct mutex mtx;
      	struct other *other;
      };
      static spinlock_t global_lock;

      static void uses(struct ext *ext, struct known *k)
      {
      	unsigned long flags;

      	spin_lock_irqsave(&ext->ext_lock, flags);
      	spin_unlock_irqrestore(&ext->ext_lock, flags);
      	mutex_lock(&ext->ext_mutex);
      	mutex_unlock(&ext->ext_mutex);
      	spin_lock(&ext->both);
      	mutex_lock(&ext->both);
      }

      static void f(struct known *k, struct ext *ext, struct other *o, spinlock_t *l)
      {
      	struct known *local = k;
      }
      """;

  private boolean spinning(TranslationUnit unit, String text) {
    FunctionDef f =
        unit.functions().stream().filter(d -> d.name().equals("f")).findFirst().orElseThrow();
    return LockTypes.isSpinning(unit, f, text);
  }

  @Test
  void declaredMembersDecide() {
    TranslationUnit unit = ContextFixture.parse(dir, "t.c", CODE);
    assertEquals(true, spinning(unit, "&k->lock"));
    assertEquals(false, spinning(unit, "&k->mtx"));
    assertEquals(true, spinning(unit, "&local->lock"), "a local of a declared struct");
    assertEquals(true, spinning(unit, "&global_lock"));
    assertEquals(true, spinning(unit, "l"), "a parameter pointing to a spinlock");
  }

  /** A member of an undeclared struct is no spinlock because a declared one of that name is. */
  @Test
  void theMemberNameAloneNeverDecides() {
    TranslationUnit unit = ContextFixture.parse(dir, "t.c", CODE);
    assertEquals(false, spinning(unit, "&o->lock"));
    assertEquals(false, spinning(unit, "&k->other->lock"));
    assertEquals(false, spinning(unit, "&unknown->lock"));
  }

  @Test
  void theUnitsLockCallsDecideForUndeclaredStructs() {
    TranslationUnit unit = ContextFixture.parse(dir, "t.c", CODE);
    assertEquals(true, spinning(unit, "&ext->ext_lock"));
    assertEquals(false, spinning(unit, "&ext->ext_mutex"));
    assertEquals(false, spinning(unit, "&ext->both"), "calls that disagree");
    assertEquals(false, spinning(unit, "&ext->never_locked"));
  }
}
