package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.ir.SrcRange;

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
   * The second half of a message, after "... may sleep but": "is called with spinlock
   * 'dev->lock' held (taken at foo.c:41)", "foo_irq runs in hard IRQ context (registered as a
   * hard IRQ handler by request_irq at foo.c:88)".
   */
  static String context(AtomicCause c, String function) {
    String lock = lockName(c.lock());
    String where = at(c.range());
    return switch (c.kind()) {
      case SPINLOCK -> held("spinlock", lock, where);
      case RAW_SPINLOCK -> held("raw spinlock", lock, where);
      case RWLOCK -> held("rwlock", lock, where);
      case SEQLOCK -> held("seqlock", lock, where);
      case BIT_SPINLOCK -> held("bit spinlock", lock, where);
      case LOCAL_LOCK -> held("local lock", lock, where);
      case IRQS_OFF -> "is called with interrupts disabled (at " + where + ")";
      case BH_OFF -> "is called with bottom halves disabled (at " + where + ")";
      case PREEMPT_OFF -> "is called with preemption disabled (at " + where + ")";
      case RCU_READ -> "is called inside an RCU read-side critical section (begun at " + where
          + ")";
      case HARDIRQ -> callback(function, "hard IRQ", c, where);
      case SOFTIRQ -> callback(function, "softirq", c, where);
      case ATOMIC_CALLBACK -> callback(function, "atomic", c, where);
      case CALLER_HELD -> "is called with " + (lock == null ? "a lock" : "'" + lock + "'")
          + " held by the caller of " + function + " (__must_hold at " + where + ")";
    };
  }

  private static String held(String what, String lock, String where) {
    String name = lock == null ? what : what + " '" + lock + "'";
    return "is called with " + name + " held (taken at " + where + ")";
  }

  private static String callback(String function, String context, AtomicCause c, String where) {
    String how = c.description() == null || c.description().isBlank() ? "registered"
        : c.description();
    return function + " runs in " + context + " context (" + how + " at " + where + ")";
  }

  /** The first trace step: where atomic context began, and why it is atomic. */
  static String begin(AtomicCause c, String function) {
    String d = c.description();
    return switch (c.kind()) {
      case HARDIRQ -> function + " " + orRegistered(d) + ": the callback runs in hard IRQ context";
      case SOFTIRQ -> function + " " + orRegistered(d) + ": the callback runs in softirq context";
      case ATOMIC_CALLBACK ->
          function + " " + orRegistered(d) + ": the callback runs in atomic context";
      default -> d == null || d.isBlank() ? "atomic context begins here" : d;
    };
  }

  private static String orRegistered(String how) {
    return how == null || how.isBlank() ? "is registered here" : "is " + how;
  }
}
