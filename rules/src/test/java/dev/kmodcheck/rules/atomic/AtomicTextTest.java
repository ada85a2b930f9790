package dev.kmodcheck.rules.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.context.PathState;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.AtomicKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wording of atomic contexts, on hand-built path states. */
class AtomicTextTest {

  private static final SrcRange LOCK_AT = new SrcRange("drivers/x/foo.c", 41, 2, 41, 30);
  private static final SrcRange OTHER_AT = new SrcRange("drivers/x/foo.c", 50, 2, 50, 30);

  @Test
  void lockNamesReadAsWritten() {
    assertEquals("dev->lock", AtomicText.lockName("&(dev->lock)"));
    assertEquals("lock", AtomicText.lockName("lock"));
    assertEquals("foo.c:41", AtomicText.at(LOCK_AT));
  }

  @Test
  void oneCallEnteringSeveralCausesNamesTheLockAndWhatElseItDid() {
    PathState irqsave =
        state(
            new AtomicCause(AtomicKind.IRQS_OFF, "&(dev->lock)", LOCK_AT, "irqsave"),
            new AtomicCause(AtomicKind.SPINLOCK, "&(dev->lock)", LOCK_AT, "irqsave"));
    assertEquals(
        "is called with spinlock 'dev->lock' held and interrupts disabled (taken at foo.c:41)",
        AtomicText.context(irqsave, irqsave.outermost(), false));
    PathState bh =
        state(
            new AtomicCause(AtomicKind.BH_OFF, "&(l)", LOCK_AT, "bh"),
            new AtomicCause(AtomicKind.RWLOCK, "&(l)", LOCK_AT, "bh"),
            new AtomicCause(AtomicKind.IRQS_OFF, null, OTHER_AT, "later"));
    assertEquals(
        "is called with rwlock 'l' held and bottom halves disabled (taken at foo.c:41)",
        AtomicText.context(bh, bh.outermost(), false));
    AtomicCause preemptOff = new AtomicCause(AtomicKind.PREEMPT_OFF, null, LOCK_AT, "p");
    assertEquals(
        "is called with preemption disabled (at foo.c:41)",
        AtomicText.context(state(preemptOff), preemptOff, false));
  }

  @Test
  void enteredContextsQuoteTheirEvidence() {
    AtomicCause irq =
        new AtomicCause(
            AtomicKind.HARDIRQ,
            null,
            LOCK_AT,
            "foo_irq is registered as a hard IRQ handler by request_irq");
    assertEquals(
        "foo_irq is registered as a hard IRQ handler by request_irq (at foo.c:41)",
        AtomicText.context(state(irq), irq, true));
    assertEquals(
        "foo_irq is registered as a hard IRQ handler by request_irq", AtomicText.begin(irq));
  }

  private static PathState state(AtomicCause... held) {
    return new PathState(List.of(held), Map.of());
  }
}
