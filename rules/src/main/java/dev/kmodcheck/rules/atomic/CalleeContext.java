package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.context.ContextAnalysis;
import dev.kmodcheck.facts.context.FunctionContext;
import dev.kmodcheck.facts.context.LockEffect;
import dev.kmodcheck.facts.context.PathState;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.facts.sleep.SleepChain;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.VarDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a chain through a helper still sleeps in atomic context once the helper's own locking is
 * taken into account. Helpers that drop their caller's lock around the sleep ({@code
 * spin_unlock_irq(&uhci->lock); msleep(20); spin_lock_irq(&uhci->lock);}, or a drop-and-wait helper
 * given the lock as a parameter) are common; the helper is re-analysed with the caller's locks held
 * on entry, written in its own terms, and the chain counts only if the helper's call on it is still
 * atomic there.
 */
final class CalleeContext {

  private final Program program;
  private final Map<FunctionRef, LockEffect> effects;

  CalleeContext(Program program, Map<FunctionRef, LockEffect> effects) {
    this.program = program;
    this.effects = effects;
  }

  /**
   * Null when a function on the chain releases the locks held on entry to it before its next call
   * on the chain: each helper is re-analysed with the atomic state its caller had at the call, down
   * to the sleeping call. Otherwise the conditions the chain gains: a helper that releases them on
   * some paths only ({@code if (!debug) spin_unlock(&l); alloc_pages(GFP_KERNEL, 0);}) sleeps in
   * atomic context only on the others.
   */
  List<String> atomicOnlyWhen(
      CallSite site, FunctionRef callee, PathState state, SleepChain chain) {
    Expr.Call call = site.call();
    FunctionRef fn = callee;
    PathState held = state;
    List<String> when = new ArrayList<>();
    for (int k = 1; k < chain.steps().size(); k++) {
      if (fn == null || fn.def().body() == null) return when;
      CallSite next = siteAt(fn, chain.steps().get(k).range());
      if (next == null) return when;
      List<AtomicCause> entry = new ArrayList<>();
      for (AtomicCause c : held.held()) {
        String lock = c.lock() == null ? null : inCallee(c.lock(), fn, call);
        entry.add(new AtomicCause(c.kind(), lock, c.range(), c.description()));
      }
      FunctionContext fc = ContextAnalysis.analyzeWithCallerState(program, fn, entry, effects);
      List<PathState> states = fc.atomicStatesAt(next.call());
      if (states.isEmpty()) return null;
      if (fc.alsoPreemptibleAt(next.call())) {
        when.add(fn.name() + "() keeps " + heldText(entry) + " at " + next.name() + "()");
      }
      held = states.get(0);
      call = next.call();
      fn = program.resolve(fn, next.name());
    }
    return when;
  }

  /** "la_table_lock", "interrupts off": what the caller holds, as the helper names it. */
  private static String heldText(List<AtomicCause> entry) {
    List<String> parts = new ArrayList<>();
    for (AtomicCause c : entry) {
      String t =
          c.lock() != null
              ? AtomicText.lockName(c.lock())
              : c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      if (!parts.contains(t)) parts.add(t);
    }
    return String.join(" and ", parts);
  }

  /** The call site in {@code fn} at a chain step's range, or null. */
  private CallSite siteAt(FunctionRef fn, SrcRange range) {
    for (CallSite s : program.callSites(fn)) {
      if (s.call().range().equals(range)) return s;
    }
    return null;
  }

  /**
   * A lock text of the caller ("&(priv->lock)") in the callee's terms, replacing an argument's text
   * by its parameter ("&(p->lock)" for a parameter p given priv, "lock" for a parameter given
   * &priv->lock). Unchanged when no argument appears in it (a global lock).
   */
  static String inCallee(String lock, FunctionRef callee, Expr.Call call) {
    List<VarDecl> params = callee.def().params();
    String best = null;
    int bestIndex = -1;
    for (int i = 0; i < params.size() && i < call.args().size(); i++) {
      String arg = ExprKey.of(call.args().get(i));
      if (arg.isEmpty() || (best != null && best.length() >= arg.length())) continue;
      if (bounded(lock, arg)) {
        best = arg;
        bestIndex = i;
      }
    }
    if (best == null) return throughAddress(lock, params, call);
    String param = params.get(bestIndex).name();
    return lock.replaceAll(
        "(?<![\\w>.])" + Pattern.quote(best) + "(?!\\w)", Matcher.quoteReplacement(param));
  }

  /**
   * An argument that is a member's address ({@code &(bitmap->counts)}) given to parameter p: the
   * caller's {@code &(bitmap->counts.lock)} is the callee's {@code &(p->lock)}.
   */
  private static String throughAddress(String lock, List<VarDecl> params, Expr.Call call) {
    for (int i = 0; i < params.size() && i < call.args().size(); i++) {
      String arg = ExprKey.of(call.args().get(i));
      if (!arg.startsWith("&(") || !arg.endsWith(")")) continue;
      String inner = arg.substring(2, arg.length() - 1);
      Pattern member = Pattern.compile("(?<![\\w>.])" + Pattern.quote(inner + "."));
      if (inner.isEmpty() || !member.matcher(lock).find()) continue;
      return member.matcher(lock).replaceAll(Matcher.quoteReplacement(params.get(i).name() + "->"));
    }
    return lock;
  }

  private static boolean bounded(String text, String part) {
    return Pattern.compile("(?<![\\w>.])" + Pattern.quote(part) + "(?!\\w)").matcher(text).find();
  }
}
