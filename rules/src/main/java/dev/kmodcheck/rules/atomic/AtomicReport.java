package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.facts.AllocApi;
import dev.kmodcheck.facts.KernelApis;
import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.facts.sleep.SleepCategory;
import dev.kmodcheck.facts.sleep.SleepChain;
import dev.kmodcheck.facts.sleep.SleepStep;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.SrcRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the candidates of one category into findings: "vzalloc() may sleep but is called with
 * spinlock 'dev->lock' held (taken at foo.c:41)", with the trace [where atomic context began, each
 * call of the chain, the sleeping call].
 */
final class AtomicReport {

  private final ProgramContext ctx;
  private final Program program;
  private Map<SrcRange, Expr.Call> callsByRange;

  private AtomicReport(ProgramContext ctx, Program program) {
    this.ctx = ctx;
    this.program = program;
  }

  /** Reports every candidate of {@code category} as a finding of the rule {@code info}. */
  static void report(ProgramContext ctx, SleepCategory category, RuleInfo info) {
    AtomicFindings findings = AtomicFindings.of(ctx);
    AtomicReport report = new AtomicReport(ctx, findings.program());
    for (AtomicCandidate c : findings.candidates(category)) {
      ctx.report(report.finding(c, info));
    }
  }

  private Finding finding(AtomicCandidate c, RuleInfo info) {
    CallSite site = c.site();
    AtomicCause cause = c.cause();
    String function = site.caller().name();
    String message =
        sleeper(c) + " may sleep" + qualifier(c) + " but "
            + AtomicText.context(cause, function);
    List<TraceStep> trace = new ArrayList<>();
    trace.add(new TraceStep(cause.range(), AtomicText.begin(cause, function)));
    for (SleepStep step : c.chain().steps()) {
      trace.add(new TraceStep(step.range(), step.message()));
    }
    if (c.chain().steps().isEmpty()) {
      trace.add(new TraceStep(site.call().range(), sleeper(c) + " may sleep"));
    }
    return new Finding(
        info.id(), info.severity(), message, site.call().range(), function, trace);
  }

  /** The called thing as the message names it: "vzalloc()", "kzalloc() with GFP_KERNEL". */
  private String sleeper(AtomicCandidate c) {
    String name = c.site().name() + "()";
    if (!c.direct()) return name;
    if (c.chain().category() == SleepCategory.ALLOC) {
      String gfp = gfpText(ctx.apis(), c.site().call());
      return gfp == null ? name : name + " with " + gfp;
    }
    return name;
  }

  /** What follows "may sleep": how a helper reaches the sleeping call, or when vfree sleeps. */
  private String qualifier(AtomicCandidate c) {
    if (!c.direct()) return " (" + ending(c.chain()) + ")";
    return c.chain().unlessInInterrupt() ? " outside interrupt context" : "";
  }

  /** "it calls kzalloc with GFP_KERNEL at bar.c:12": the end of a chain through helpers. */
  private String ending(SleepChain chain) {
    List<SleepStep> steps = chain.steps();
    String api = chain.api();
    if (steps.isEmpty()) return "it calls " + api;
    SleepStep last = steps.get(steps.size() - 1);
    String with = "";
    if (chain.category() == SleepCategory.ALLOC) {
      Expr.Call call = callAt(last.range());
      String gfp = call == null ? null : gfpText(ctx.apis(), call);
      with = gfp == null ? " with blocking GFP flags" : " with " + gfp;
    }
    String verb = steps.size() == 1 ? "it calls " : "it reaches ";
    return verb + api + with + " at " + AtomicText.at(last.range());
  }

  private static String gfpText(KernelApis apis, Expr.Call call) {
    AllocApi api = apis.alloc(call.calleeName(), call.args().size());
    if (api == null && call.macro() != null) api = apis.alloc(call.macro(), call.args().size());
    if (api == null || api.gfpArg() < 0 || api.gfpArg() >= call.args().size()) return null;
    return GfpText.of(call.args().get(api.gfpArg()));
  }

  /** The call a chain step points at, found by its range among all call sites. */
  private Expr.Call callAt(SrcRange range) {
    if (callsByRange == null) {
      callsByRange = new HashMap<>();
      for (FunctionRef fn : program.functions()) {
        for (CallSite s : program.callSites(fn)) {
          callsByRange.putIfAbsent(s.call().range(), s.call());
        }
      }
    }
    return callsByRange.get(range);
  }
}
