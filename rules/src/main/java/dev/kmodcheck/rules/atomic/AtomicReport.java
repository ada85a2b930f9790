package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.check.Confidence;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.facts.Gfp;
import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.sleep.SleepChain;
import dev.kmodcheck.facts.sleep.SleepStep;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.kernel.SleepCategory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns the candidates of one category into findings: "vzalloc() may sleep but is called with
 * spinlock 'dev->lock' held (taken at foo.c:41)", "helper() may sleep (it calls kzalloc with
 * GFP_KERNEL at bar.c:12) but foo_irq is registered as a hard IRQ handler by request_irq (at
 * foo.c:88)", with the trace [where atomic context began, each call of the chain down to the
 * sleeping call].
 */
final class AtomicReport {

  private final ProgramContext ctx;

  private AtomicReport(ProgramContext ctx) {
    this.ctx = ctx;
  }

  /** Reports every candidate of {@code category} as a finding of the rule {@code info}. */
  static void report(ProgramContext ctx, SleepCategory category, RuleInfo info) {
    AtomicReport report = new AtomicReport(ctx);
    for (AtomicCandidate c : AtomicFindings.of(ctx).candidates(category)) {
      ctx.report(report.finding(c, info));
    }
  }

  private Finding finding(AtomicCandidate c, RuleInfo info) {
    CallSite site = c.site();
    AtomicCause cause = c.cause();
    String function = site.caller().name();
    // dma_free_coherent() does not sleep where it is wrong: the kernel warns there, and may unmap.
    String verb =
        c.chain().onlyIrqsOffOrInInterrupt()
            ? " must not run with interrupts disabled or in interrupt context"
            : " may sleep";
    String message =
        sleeper(c)
            + verb
            + qualifier(c)
            + " but "
            + AtomicText.context(c.state(), cause, c.causeEntered());
    List<TraceStep> trace = new ArrayList<>();
    if (c.earlyBoot() != null) {
      trace.add(
          new TraceStep(
              site.caller().def().nameRange(),
              function
                  + "() runs only during early boot, when one CPU and one thread run: "
                  + c.bootEvidence()));
    }
    trace.add(new TraceStep(cause.range(), AtomicText.begin(cause)));
    for (SleepStep step : c.chain().steps()) {
      trace.add(new TraceStep(step.range(), step.message()));
    }
    boolean certain = c.certain();
    if (!c.chain().certain()) {
      message += "; only when " + String.join(" && ", c.chain().conditions());
    }
    if (c.earlyBoot() != null) {
      message +=
          "; only during early boot, when one CPU and one thread run (" + c.earlyBoot() + ")";
    }
    return new Finding(
        info.id(),
        certain ? info.severity() : Severity.NOTE,
        message,
        site.call().range(),
        function,
        trace,
        certain ? Confidence.CERTAIN : Confidence.CONDITIONAL,
        rootCause(c));
  }

  /**
   * The id shared by findings whose chains take the same path beyond their first call: one helper
   * (or one kernel function, for a chain that leaves through a summary at its first call) reaching
   * the same sleeping call from many call sites. A direct sleeping call is its own root cause.
   * Built from source positions relative to the source root, so it is stable across runs and
   * machines.
   */
  static String rootCause(AtomicCandidate c) {
    SleepChain chain = c.chain();
    StringBuilder key = new StringBuilder(chain.category().name()).append('|').append(chain.api());
    List<SleepStep> steps = chain.steps();
    if (steps.size() > 1) {
      for (SleepStep s : steps.subList(1, steps.size())) key.append('|').append(position(s));
    } else if (chain.kernelSummary() != null) {
      key.append("|kernel|").append(c.site().name()).append('|').append(chain.kernelSummary());
    } else {
      key.append('|').append(position(steps.get(0)));
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String position(SleepStep s) {
    SrcRange r = s.range();
    return r.file() + ":" + r.line() + ":" + r.column();
  }

  /** The called thing as the message names it: "vzalloc()", "kzalloc() with GFP_KERNEL". */
  private String sleeper(AtomicCandidate c) {
    String name = c.site().name() + "()";
    // kvmalloc (VMALLOC) sleeps through its flags as the ALLOC family does.
    if (!c.direct() || c.chain().category() == SleepCategory.SLEEP) return name;
    String gfp = blockingFlags(c.site().call(), c);
    return gfp == null ? name : name + " with " + gfp;
  }

  /** What follows "may sleep": how a helper reaches the sleeping call, or when vfree sleeps. */
  private String qualifier(AtomicCandidate c) {
    if (!c.direct()) return " (" + ending(c) + ")";
    String kernel = c.chain().kernelSummary();
    if (kernel != null) {
      // The module calls a kernel function it has no body for; the shipped summary knows.
      String when = c.chain().unlessInInterrupt() ? ", outside interrupt context" : "";
      return " (" + kernel + when + ")";
    }
    return c.chain().unlessInInterrupt() ? " outside interrupt context" : "";
  }

  /** "it calls kzalloc with GFP_KERNEL at bar.c:12": the end of a chain through helpers. */
  private String ending(AtomicCandidate c) {
    SleepChain chain = c.chain();
    List<SleepStep> steps = chain.steps();
    SleepStep last = steps.get(steps.size() - 1);
    if (chain.kernelSummary() != null) {
      String verb = steps.size() <= 2 ? "it calls " : "it reaches ";
      return verb
          + chain.api()
          + " at "
          + AtomicText.at(last.range())
          + "; "
          + chain.kernelSummary();
    }
    String with = "";
    if (chain.category() == SleepCategory.ALLOC) {
      with = " with " + flagsPassedDown(c);
    } else if (chain.unlessInInterrupt()) {
      with = " outside interrupt context";
    }
    // steps.get(0) is the call site; one more step means the callee itself makes the call.
    String verb = steps.size() <= 2 ? "it calls " : "it reaches ";
    return verb + chain.api() + with + " at " + AtomicText.at(last.range());
  }

  /**
   * The blocking flags of a chain through helpers: the ones a call hands down to a gfp parameter
   * (the deepest such call: "calls helper() with GFP_KERNEL"), else the fixed flags of the
   * allocation at the end, as the sleep summaries describe it. Argument values a step shows for a
   * condition ("with alloc = GFP_ATOMIC") are not what the allocation uses.
   */
  private static String flagsPassedDown(AtomicCandidate c) {
    List<SleepStep> steps = c.chain().steps();
    for (int i = steps.size() - 2; i >= 0; i--) {
      if (steps.get(i).flags() != null) return steps.get(i).flags();
    }
    String last = steps.get(steps.size() - 1).message();
    int colon = last.lastIndexOf(": ");
    int allows = last.lastIndexOf(" allows ");
    if (colon >= 0 && allows > colon) return last.substring(colon + 2, allows);
    return "blocking GFP flags";
  }

  /** The flags of a direct allocation call, as Gfp names them ("GFP_KERNEL"), or null. */
  private String blockingFlags(Expr.Call call, AtomicCandidate c) {
    int argc = call.args().size();
    AllocApi api = ctx.apis().alloc(call.calleeName(), argc);
    if (api == null && call.macro() != null) api = ctx.apis().alloc(call.macro(), argc);
    if (api == null || api.gfpArg() < 0 || api.gfpArg() >= argc) return null;
    Gfp.Verdict v = Gfp.of(call.args().get(api.gfpArg()), c.ev(), call.macro());
    return v.kind() == Gfp.Kind.BLOCKS || v.kind() == Gfp.Kind.BLOCKS_OUTSIDE_INTERRUPT
        ? v.reason()
        : null;
  }
}
