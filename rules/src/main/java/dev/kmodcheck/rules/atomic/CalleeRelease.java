package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.context.AtomicKind;
import dev.kmodcheck.facts.context.LockEffect;
import dev.kmodcheck.facts.context.PathState;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.VarDecl;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A callee that releases every lock its caller holds at the call (a drop-and-wait helper:
 * {@code spin_unlock_irqrestore(lock, flags); schedule_timeout(t);}) is trusted to sleep only
 * after the release: the chain through it is not reported. Precision first; a helper that sleeps
 * before it releases is then missed.
 */
final class CalleeRelease {

  private static final Pattern WORD = Pattern.compile("[A-Za-z_]\\w*");

  private CalleeRelease() {}

  static boolean releasesAll(LockEffect effect, FunctionRef callee, CallSite site, PathState st) {
    if (effect == null || effect.released().isEmpty()) return false;
    List<String> released =
        effect.released().stream().map(r -> inCaller(r, callee, site.call())).toList();
    for (AtomicCause held : st.held()) {
      boolean gone =
          released.contains(held.kind().name())
              || (held.lock() != null && released.contains(held.lock()));
      if (!gone) return false;
    }
    return true;
  }

  /** A released lock text in the callee's terms ("lock", "&(p->lock)") in the caller's. */
  private static String inCaller(String released, FunctionRef callee, Expr.Call call) {
    if (isKind(released)) return released;
    List<VarDecl> params = callee.def().params();
    Matcher m = WORD.matcher(released);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String word = m.group();
      String replacement = word;
      for (int i = 0; i < params.size() && i < call.args().size(); i++) {
        if (params.get(i).name().equals(word)) {
          replacement = ExprKey.of(call.args().get(i));
          break;
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static boolean isKind(String s) {
    for (AtomicKind k : AtomicKind.values()) {
      if (k.name().equals(s)) return true;
    }
    return false;
  }
}
