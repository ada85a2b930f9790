package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.context.PathState;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.AtomicKind;

/** The wording of atomic contexts in findings, so the three rules read alike. */
final class AtomicText {

  private AtomicText() {}

  /** "foo.c:41": the file name is enough in a message; the trace carries the full path. */
  static String at(SrcRange r) {
    String f = r.file();
    int slash = f.lastIndexOf('/');
    return (slash >= 0 ? f.substring(slash + 1) : f) + ":" + r.line();
  }

  /** A lock's canonical text as the author wrote it: "&(dev->lock)" reads "dev->lock". */
  static String lockName(String key) {
    if (key == null) return null;
    if (key.startsWith("&(") && key.endsWith(")")) return key.substring(2, key.length() - 1);
    return key;
  }

  /**
   * The second half of a message, after "... may sleep but", about cause {@code c} held on {@code
   * state}'s paths: "is called with spinlock 'dev->lock' held (taken at foo.c:41)", or for a
   * context entered before the function began, its evidence: "foo_irq is registered as a hard IRQ
   * handler by request_irq (at foo.c:88)".
   */
  static String context(PathState state, AtomicCause c, boolean entered) {
    String where = at(c.range());
    if (entered && c.description() != null && !c.description().isBlank()) {
      return c.description() + " (at " + where + ")";
    }
    // One call may enter several causes (spin_lock_irqsave: interrupts off and a spinlock): name
    // the lock, and what else the same call did.
    AtomicCause named = c;
    boolean irqsOff = false;
    boolean bhOff = false;
    for (AtomicCause h : state.held()) {
      if (!h.range().equals(c.range())) continue;
      if (!isLock(named.kind()) && isLock(h.kind())) named = h;
      irqsOff |= h.kind() == AtomicKind.IRQS_OFF;
      bhOff |= h.kind() == AtomicKind.BH_OFF;
    }
    String also =
        named.kind() == AtomicKind.IRQS_OFF || named.kind() == AtomicKind.BH_OFF
            ? ""
            : irqsOff ? " and interrupts disabled" : bhOff ? " and bottom halves disabled" : "";
    String lock = lockName(named.shown() != null ? named.shown() : named.lock());
    return switch (named.kind()) {
      case SPINLOCK -> held("spinlock", lock, also, where);
      case RAW_SPINLOCK -> held("raw spinlock", lock, also, where);
      case RWLOCK -> held("rwlock", lock, also, where);
      case SEQLOCK -> held("seqlock", lock, also, where);
      case BIT_SPINLOCK -> held("bit spinlock", lock, also, where);
      case LOCAL_LOCK -> held("local lock", lock, also, where);
      case IRQS_OFF -> "is called with interrupts disabled (at " + where + ")";
      case BH_OFF -> "is called with bottom halves disabled (at " + where + ")";
      case PREEMPT_OFF -> "is called with preemption disabled (at " + where + ")";
      case RCU_READ ->
          "is called inside an RCU read-side critical section (begun at " + where + ")";
      case HARDIRQ -> "is called in hard IRQ context (from " + where + ")";
      case SOFTIRQ -> "is called in softirq context (from " + where + ")";
      case ATOMIC_CALLBACK -> "is called in atomic context (from " + where + ")";
      case XMIT -> "is called with bottom halves disabled (from " + where + ")";
      case SHUTDOWN_HANDLER ->
          "is called with interrupts off while the system goes down (from " + where + ")";
      case CALLER_HELD ->
          "is called with "
              + (lock == null ? "a lock" : "'" + lock + "'")
              + " held by the caller (at "
              + where
              + ")";
    };
  }

  private static boolean isLock(AtomicKind k) {
    return switch (k) {
      case SPINLOCK, RAW_SPINLOCK, RWLOCK, SEQLOCK, BIT_SPINLOCK, LOCAL_LOCK -> true;
      default -> false;
    };
  }

  private static String held(String what, String lock, String also, String where) {
    String name = lock == null ? what : what + " '" + lock + "'";
    return "is called with " + name + " held" + also + " (taken at " + where + ")";
  }

  /** The first trace step: where atomic context began, and why it is atomic. */
  static String begin(AtomicCause c) {
    String d = c.description();
    return d == null || d.isBlank() ? "atomic context (" + c.kind() + ") begins here" : d;
  }
}
