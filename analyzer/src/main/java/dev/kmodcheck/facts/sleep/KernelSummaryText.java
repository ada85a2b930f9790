package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.facts.Gfp;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.SleepCategory;

/**
 * How a trace step names a chain that leaves the scanned code through a kernel summary: the kernel
 * function, the summaries' kernel version, and each kernel call with its kernel-relative file:line,
 * ending as the engine words the sleeping call, e.g.
 *
 * <pre>
 * request_firmware(&amp;fw, name, dev) may sleep (kernel 6.12 summary: request_firmware at
 * drivers/base/firmware_loader/main.c:857 -&gt; _request_firmware() at ...:830 -&gt;
 * kzalloc(sizeof(*fw_priv), GFP_KERNEL) at ...:120): GFP_KERNEL allows direct reclaim
 * </pre>
 *
 * The message ends with the blocking flags after the last ": " as the engine's own allocation steps
 * do, so reports can name the flags.
 */
final class KernelSummaryText {

  private static final String MAY_SLEEP = " may sleep";

  private KernelSummaryText() {}

  /** "kernel 6.12 summary: it reaches kzalloc with GFP_KERNEL", for a finding's message. */
  static String gist(String label, KernelSummaries.Chain ch, Gfp.Verdict v) {
    String flags = v != null && ch.gfpParam() >= 0 ? v.reason() : ch.flags();
    // The caller hands its own gfp parameter on: its callers' flags decide.
    if (v != null && v.kind() == Gfp.Kind.PARAMS) flags = "the gfp it is given";
    if (flags == null && ch.category() == SleepCategory.ALLOC) {
      // "kzalloc(..., GFP_KERNEL) may sleep: GFP_KERNEL allows direct reclaim"
      int colon = ch.sleeper().lastIndexOf(": ");
      int allows = ch.sleeper().lastIndexOf(" allows ");
      if (colon >= 0 && allows > colon) flags = ch.sleeper().substring(colon + 2, allows);
    }
    String verb = ch.calls().isEmpty() ? "it calls " : "it reaches ";
    return "kernel "
        + label
        + " summary: "
        + verb
        + ch.api()
        + (flags != null && ch.category() != SleepCategory.SLEEP ? " with " + flags : "");
  }

  /**
   * @param call the call as the module makes it
   * @param v the verdict of the module's gfp argument, for a chain that depends on it; else null
   */
  static String step(
      String call,
      String label,
      KernelSummaries.Function f,
      KernelSummaries.Chain ch,
      Gfp.Verdict v) {
    StringBuilder sb =
        new StringBuilder(call)
            .append(MAY_SLEEP)
            .append(" (kernel ")
            .append(label)
            .append(" summary: ")
            .append(f.name())
            .append(" at ")
            .append(f.file())
            .append(':')
            .append(f.line());
    for (KernelSummaries.Call c : ch.calls()) {
      sb.append(" -> ")
          .append(c.callee())
          .append("() at ")
          .append(c.file())
          .append(':')
          .append(c.line());
    }
    String sleeper = ch.sleeper();
    int cut = sleeper.indexOf(MAY_SLEEP);
    if (cut < 0) cut = sleeper.indexOf(" must not run");
    String sleepingCall = cut < 0 ? sleeper : sleeper.substring(0, cut);
    String how = cut < 0 ? "" : sleeper.substring(cut);
    sb.append(" -> ")
        .append(sleepingCall)
        .append(" at ")
        .append(ch.file())
        .append(':')
        .append(ch.line())
        .append(')');
    // "kmalloc(size, gfp) may sleep when gfp allows direct reclaim": flags passed down decide,
    // the module's own, or the ones a kernel caller up the chain passed.
    String flags = v != null && ch.gfpParam() >= 0 ? v.reason() : ch.flags();
    if (flags != null) {
      int allows = how.lastIndexOf(" allows ");
      String what = allows < 0 ? " allows direct reclaim" : how.substring(allows);
      // As the engine words a gfp parameter: "may sleep when gfp allows direct reclaim".
      String sep = v != null && v.kind() == Gfp.Kind.PARAMS ? " when " : ": ";
      return sb.append(sep).append(flags).append(what).toString();
    }
    if (how.startsWith(MAY_SLEEP)) how = how.substring(MAY_SLEEP.length());
    if (how.startsWith(" must not")) how = ":" + how;
    return sb.append(how).toString();
  }
}
