package dev.kmodcheck.facts.context;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.facts.cfg.Cfg;
import dev.kmodcheck.facts.cfg.CfgBuilder;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.AtomicApi;
import dev.kmodcheck.kernel.AtomicApis;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.KernelSummaries;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Atomic state along each function's control-flow graph, from the lock table (atomic-apis.tsv,
 * docs/kernel-facts.md §4.3) and lock effects of called program functions. Path-sensitive where it
 * matters: a lock taken and released under the same condition, trylock success branches.
 */
public final class ContextAnalysis {
  /** Re-analyses of one function while lock effects settle (recursion through wrappers). */
  private static final int MAX_EFFECT_ROUNDS = 6;

  private ContextAnalysis() {}

  /**
   * @param entry causes held when the function starts (a callback's context, __must_hold)
   * @param effects lock effects of program functions (from {@link #lockEffects})
   */
  public static FunctionContext analyze(
      Program program,
      FunctionRef fn,
      List<AtomicCause> entry,
      Map<FunctionRef, LockEffect> effects) {
    return analyze(
        fn.def(), entry, callees(program, fn, effects), program.knowledge().atomicApis());
  }

  /** Lock effects of every function of the program, to a fixed point (wrappers of wrappers). */
  public static Map<FunctionRef, LockEffect> lockEffects(Program program) {
    return lockEffects(program, false, null);
  }

  /**
   * The lock effects kernel summaries keep: as {@link #lockEffects}, except that a caller's lock
   * counts as released only when every returning path releases it (an unlock wrapper such as {@code
   * uart_port_unlock_irqrestore()}). Within a scan, "may release" keeps a false "held" out of
   * callers; in a summary it would make every module calling {@code netif_rx()} under {@code
   * rcu_read_lock()} forget the RCU section, because the function enables bottom halves on a path
   * that correlates with having disabled them.
   */
  public static Map<FunctionRef, LockEffect> summaryEffects(
      Program program, Predicate<String> definedElsewhere) {
    return lockEffects(program, true, definedElsewhere);
  }

  private static Map<FunctionRef, LockEffect> lockEffects(
      Program program, boolean mustRelease, Predicate<String> definedElsewhere) {
    Map<FunctionRef, LockEffect> effects = new IdentityHashMap<>();
    Map<FunctionRef, Integer> rounds = new IdentityHashMap<>();
    Deque<FunctionRef> work = new ArrayDeque<>();
    Set<FunctionRef> queued = Collections.newSetFromMap(new IdentityHashMap<>());
    // The scan's table: the shipped rows plus a project's own lock wrappers (.kmodcheck.json).
    AtomicApis apis = program.knowledge().atomicApis();
    for (FunctionRef fn : program.functions()) {
      effects.put(fn, LockEffect.NONE);
      if (mayHaveEffect(program, fn, apis)) {
        work.add(fn);
        queued.add(fn);
      }
    }
    while (!work.isEmpty()) {
      WorkBudget.checkpoint();
      FunctionRef fn = work.poll();
      queued.remove(fn);
      int round = rounds.merge(fn, 1, Integer::sum);
      LockEffect now = effectOf(fn.def(), callees(program, fn, effects), apis, mustRelease);
      if (mustRelease) now = wrapperShaped(program, fn, now, apis, definedElsewhere);
      if (now.equals(effects.get(fn))) continue;
      effects.put(fn, now);
      if (round >= MAX_EFFECT_ROUNDS) continue;
      for (CallSite site : program.callersOf(fn)) {
        FunctionRef caller = program.canonical(site.caller());
        if (queued.add(caller)) work.add(caller);
      }
    }
    return effects;
  }

  /**
   * For kernel summaries: a lock the function returns holding is kept only when every call it makes
   * after taking it is one the engine can follow: a table API, a function of the program, or a
   * function {@code definedElsewhere} in the tree. {@code schedule()} takes {@code
   * preempt_disable()} and gives it back with {@code sched_preempt_enable_no_resched()}, a
   * scheduler-internal macro that header-less parsing sees as an unknown call: a summary must not
   * make every module caller of {@code schedule()} look atomic afterwards. Within a scan the engine
   * keeps its wider view (the module's own code, which a reviewer reads).
   */
  private static LockEffect wrapperShaped(
      Program program,
      FunctionRef fn,
      LockEffect effect,
      AtomicApis apis,
      Predicate<String> definedElsewhere) {
    if (effect.acquired().isEmpty()) return effect;
    List<AtomicCause> kept = new ArrayList<>();
    for (AtomicCause c : effect.acquired()) {
      boolean lockCallsOnly = true;
      for (CallSite site : program.callSites(fn)) {
        if (site.call().range().compareTo(c.range()) <= 0
            || !site.call().range().file().equals(c.range().file())) {
          continue;
        }
        if (apis.call(site.name()) != null || apis.call(site.call().macro()) != null) continue;
        String name = site.call().calleeName();
        if (name != null && (program.resolve(fn, name) != null || definedElsewhere.test(name))) {
          continue;
        }
        lockCallsOnly = false;
        break;
      }
      if (lockCallsOnly) kept.add(c);
    }
    if (kept.size() == effect.acquired().size()) return effect;
    if (kept.isEmpty() && effect.released().isEmpty()) return LockEffect.NONE;
    return new LockEffect(List.copyOf(kept), effect.released());
  }

  /**
   * Causes a function's sparse {@code __must_hold(x)} annotations imply on entry, as {@link
   * AtomicKind#CALLER_HELD}. Sparse does not say whether x is a spinlock or a mutex, so only locks
   * the function's own unit declares as spinlock_t, raw_spinlock_t or rwlock_t count.
   */
  public static List<AtomicCause> entryCausesFromAnnotations(FunctionRef fn) {
    List<AtomicCause> out = new ArrayList<>();
    for (String attr : fn.def().attributes()) {
      String arg = annotationArg(attr, "must_hold");
      if (arg == null || !LockTypes.isSpinning(fn.unit(), fn.def(), arg)) continue;
      String lock = LockText.canonical(arg, fn.def());
      out.add(
          new AtomicCause(
              AtomicKind.CALLER_HELD,
              lock,
              fn.def().nameRange(),
              fn.name() + " is annotated __must_hold(" + arg + "): its callers hold the lock"));
    }
    return out;
  }

  // ---- package-private core, usable without a Program ----

  static FunctionContext analyze(
      FunctionDef def,
      List<AtomicCause> entry,
      Function<Expr.Call, AtomicDataflow.Callee> callees) {
    return analyze(def, entry, callees, AtomicApis.builtin());
  }

  /**
   * As {@link #analyze(Program, FunctionRef, List, Map)} for a helper entered with its caller's
   * atomic state: the paths that released it are kept apart from those still holding it, so that
   * {@link FunctionContext#alsoPreemptibleAt} tells a conditional release.
   */
  public static FunctionContext analyzeWithCallerState(
      Program program,
      FunctionRef fn,
      List<AtomicCause> entry,
      Map<FunctionRef, LockEffect> effects) {
    return analyze(
        fn.def(), entry, callees(program, fn, effects), program.knowledge().atomicApis(), true);
  }

  static FunctionContext analyze(
      FunctionDef def,
      List<AtomicCause> entry,
      Function<Expr.Call, AtomicDataflow.Callee> callees,
      AtomicApis apis) {
    return analyze(def, entry, callees, apis, false);
  }

  private static FunctionContext analyze(
      FunctionDef def,
      List<AtomicCause> entry,
      Function<Expr.Call, AtomicDataflow.Callee> callees,
      AtomicApis apis,
      boolean exact) {
    AtomicDataflow.Result r;
    try {
      Cfg cfg = CfgBuilder.build(def);
      Set<String> params = new HashSet<>();
      for (VarDecl p : def.params()) params.add(p.name());
      r = new AtomicDataflow(cfg, apis, callees, entry, params).run(true, exact);
    } catch (StackOverflowError e) {
      // Pathologically deep expressions (macro towers): no facts rather than a crash.
      return new FunctionContext(new IdentityHashMap<>(), LockEffect.NONE);
    }
    return new FunctionContext(r.atCalls(), r.alsoPreemptible(), effect(def, entry, r, false));
  }

  static LockEffect effectOf(FunctionDef def, Function<Expr.Call, AtomicDataflow.Callee> callees) {
    return effectOf(def, callees, AtomicApis.builtin());
  }

  static LockEffect effectOf(
      FunctionDef def, Function<Expr.Call, AtomicDataflow.Callee> callees, AtomicApis apis) {
    return effectOf(def, callees, apis, false);
  }

  private static LockEffect effectOf(
      FunctionDef def,
      Function<Expr.Call, AtomicDataflow.Callee> callees,
      AtomicApis apis,
      boolean mustRelease) {
    try {
      Cfg cfg = CfgBuilder.build(def);
      AtomicDataflow.Result r = new AtomicDataflow(cfg, apis, callees, List.of()).run(false);
      return effect(def, List.of(), r, mustRelease);
    } catch (StackOverflowError e) {
      return LockEffect.NONE;
    }
  }

  /**
   * Acquired: what every returning path still holds (a lock wrapper), except entry causes, scope
   * guards, locks named through one of the function's local variables (the caller cannot name them,
   * so it could never release them) and locks the path released before taking them again. Released:
   * the caller's locks a returning path released and did not take again, plus sparse __releases,
   * minus sparse __acquires (dropped and retaken). A drop-and-retake helper ({@code
   * spin_unlock_bh(l); del_timer_sync(t); spin_lock_bh(l);}) thus has no net effect: its caller
   * keeps its own lock, with its own evidence. Must for acquire and may for release, so that
   * neither leaves a false "held" in callers.
   */
  private static LockEffect effect(
      FunctionDef def, List<AtomicCause> entry, AtomicDataflow.Result r, boolean mustRelease) {
    List<LockState> exits = r.atExit();
    List<AtomicCause> acquired = new ArrayList<>();
    List<String> released = new ArrayList<>();
    if (!exits.isEmpty()) {
      for (AtomicCause c : exits.get(0).held) {
        if (r.scoped().contains(c) || r.localRooted().contains(c) || containsIdentity(entry, c)) {
          continue;
        }
        // By kind and lock text: paths may hold the same lock from different calls.
        boolean everywhere = true;
        for (LockState s : exits) everywhere &= holdsLike(s, c) && !releasedLock(s, c.lock());
        if (everywhere) acquired.add(c);
      }
      for (LockState s : exits) {
        for (String rel : s.released) {
          if (released.contains(rel) || retaken(s, rel)) continue;
          if (mustRelease && !releasedEverywhere(exits, rel)) continue;
          released.add(rel);
        }
      }
    }
    for (String attr : def.attributes()) {
      String arg = annotationArg(attr, "releases");
      if (arg != null) {
        String lock = LockText.canonical(arg, def);
        if (!released.contains(lock)) released.add(lock);
      }
    }
    // __releases(x) __acquires(x) together: x is dropped and retaken inside (tg3_chip_reset),
    // so the caller still holds it afterwards even where the body shows a release only.
    for (String attr : def.attributes()) {
      String arg = annotationArg(attr, "acquires");
      if (arg != null) released.remove(LockText.canonical(arg, def));
    }
    if (acquired.isEmpty() && released.isEmpty()) return LockEffect.NONE;
    Collections.sort(released);
    return new LockEffect(List.copyOf(acquired), List.copyOf(released));
  }

  private static boolean releasedEverywhere(List<LockState> exits, String lock) {
    for (LockState s : exits) {
      if (!releasedLock(s, lock) || retaken(s, lock)) return false;
    }
    return true;
  }

  private static boolean releasedLock(LockState s, String lock) {
    return lock != null && Arrays.binarySearch(s.released, lock) >= 0;
  }

  /** The path released its caller's {@code lock} and holds it again at the end. */
  private static boolean retaken(LockState s, String lock) {
    for (AtomicCause x : s.held) if (lock.equals(x.lock())) return true;
    return false;
  }

  private static boolean holdsLike(LockState s, AtomicCause c) {
    for (AtomicCause x : s.held) {
      if (x.kind() == c.kind() && Objects.equals(x.lock(), c.lock())) return true;
    }
    return false;
  }

  private static boolean containsIdentity(List<AtomicCause> list, AtomicCause c) {
    for (AtomicCause x : list) if (x == c) return true;
    return false;
  }

  /**
   * A program function's lock effect at a call. A caller's lock it releases with its own unlock
   * call ends what that call ends, as a kernel summary's unlock wrapper does: {@code
   * raw_spin_unlock_irqrestore(&s->lock, flags)} in an unlock helper also restores the interrupt
   * state its lock helper saved with {@code local_irq_save(*flags)}, a lock-less cause for the
   * caller.
   */
  private static Function<Expr.Call, AtomicDataflow.Callee> callees(
      Program program, FunctionRef fn, Map<FunctionRef, LockEffect> effects) {
    return call -> {
      FunctionRef target = program.resolve(fn, call.calleeName());
      if (target == null) return kernelCallee(program, call);
      LockEffect e = effects.get(program.canonical(target));
      if (e == null) e = effects.get(target);
      if (e == null || e.isNone()) return null;
      List<String> params = new ArrayList<>();
      for (VarDecl p : target.def().params()) params.add(p.name());
      Map<String, List<AtomicKind>> kinds = null;
      for (String r : e.released()) {
        List<AtomicKind> k = releaseKinds(program, target, r);
        if (k.isEmpty()) continue;
        if (kinds == null) kinds = new HashMap<>();
        kinds.put(r, k);
      }
      return new AtomicDataflow.Callee(target.name(), params, e, kinds);
    };
  }

  /**
   * A call the program has no body for, answered by a kernel summary's lock effect (a lock wrapper
   * of the kernel such as {@code uart_port_lock_irqsave()}), or null. The summary's locks name the
   * callee's parameters by position, which the dataflow fills with the call's arguments as it does
   * for the program's own wrappers. Table rows win (the dataflow looks there first).
   */
  private static AtomicDataflow.Callee kernelCallee(Program program, Expr.Call call) {
    String name = call.calleeName();
    if (name == null) return null;
    KernelSummaries summaries = program.knowledge().kernelSummaries();
    KernelSummaries.Function f = summaries.lookup(name, call.args().size(), call.range().file());
    if (f == null || !f.hasLockEffect()) return null;
    List<AtomicCause> acquired = new ArrayList<>();
    String source = "kernel " + summaries.label() + " summary: ";
    for (KernelSummaries.Acquired a : f.acquired()) {
      acquired.add(
          new AtomicCause(
              a.kind(),
              a.lock(),
              new SrcRange(a.file(), a.line(), 0, a.line(), 0),
              source + a.description()));
    }
    List<String> released = new ArrayList<>();
    Map<String, List<AtomicKind>> releaseKinds = new HashMap<>();
    for (KernelSummaries.Released r : f.released()) {
      released.add(r.lock());
      if (!r.kinds().isEmpty()) releaseKinds.put(r.lock(), r.kinds());
    }
    return new AtomicDataflow.Callee(
        name,
        LockText.positions(f.arity()),
        new LockEffect(List.copyOf(acquired), List.copyOf(released)),
        releaseKinds);
  }

  /**
   * A lock effect as kernel summaries keep it: lock texts with {@code def}'s parameters written by
   * position ({@code &($0->lock)}), so that a module's call can fill in its own arguments.
   */
  public static LockEffect positional(LockEffect effect, FunctionDef def) {
    if (effect.isNone()) return effect;
    List<String> params = new ArrayList<>();
    for (VarDecl p : def.params()) params.add(p.name());
    List<AtomicCause> acquired = new ArrayList<>();
    for (AtomicCause c : effect.acquired()) {
      acquired.add(
          new AtomicCause(
              c.kind(),
              c.lock() == null ? null : LockText.positional(c.lock(), params),
              c.range(),
              c.description()));
    }
    List<String> released = new ArrayList<>();
    for (String r : effect.released()) released.add(LockText.positional(r, params));
    return new LockEffect(List.copyOf(acquired), List.copyOf(released));
  }

  /**
   * The kinds the unlock calls of {@code fn}'s own body end for its caller's lock {@code lock} (the
   * text of its lock effect): {@code spin_unlock_bh(&dev->addr_list_lock)} ends bottom halves off
   * and a spinlock. Empty when the lock is released further down, through another function.
   */
  public static List<AtomicKind> releaseKinds(Program program, FunctionRef fn, String lock) {
    AtomicApis apis = program.knowledge().atomicApis();
    List<AtomicKind> out = new ArrayList<>();
    for (CallSite site : program.callSites(fn)) {
      AtomicApi api = apis.call(site.name());
      if (api == null
          || api.effect() != AtomicApi.Effect.EXIT
          || api.lockArg() < 0
          || api.lockArg() >= site.call().args().size()) {
        continue;
      }
      if (!lock.equals(ExprKey.of(site.call().args().get(api.lockArg())))) {
        continue;
      }
      for (AtomicKind k : api.kinds()) if (!out.contains(k)) out.add(k);
    }
    return out;
  }

  /**
   * Whether {@code fn}'s own body ends context {@code kind} for its caller with a table call that
   * uses no local state: {@code local_bh_enable()}, or {@code local_irq_restore(flags)} with the
   * caller's {@code flags}. {@code cancel_work()} ends interrupts-off with {@code
   * local_irq_restore(irq_flags)} of a local its callee saved: for the caller nothing changed.
   */
  public static boolean endsCallersContext(Program program, FunctionRef fn, AtomicKind kind) {
    AtomicApis apis = program.knowledge().atomicApis();
    for (CallSite site : program.callSites(fn)) {
      AtomicApi api = apis.call(site.name());
      if (api == null || api.effect() != AtomicApi.Effect.EXIT || !api.kinds().contains(kind)) {
        continue;
      }
      boolean[] local = {false};
      for (Expr arg : site.call().args()) {
        IrWalk.expressions(
            arg,
            e -> {
              if (e instanceof Expr.Ident id && id.kind() == Expr.IdKind.LOCAL) local[0] = true;
            });
      }
      if (!local[0]) return true;
    }
    return false;
  }

  /**
   * A function can only have a lock effect if it calls a lock API or a kernel lock wrapper without
   * a body here, or is annotated.
   */
  private static boolean mayHaveEffect(Program program, FunctionRef fn, AtomicApis apis) {
    for (String attr : fn.def().attributes()) {
      if (annotationArg(attr, "releases") != null) return true;
    }
    KernelSummaries summaries = null;
    for (CallSite site : program.callSites(fn)) {
      if (apis.call(site.name()) != null || apis.call(site.call().macro()) != null) return true;
      String name = site.call().calleeName();
      if (name == null || program.resolve(fn, name) != null) continue;
      if (summaries == null) summaries = program.knowledge().kernelSummaries();
      KernelSummaries.Function f =
          summaries.lookup(name, site.call().args().size(), site.call().range().file());
      if (f != null && f.hasLockEffect()) return true;
    }
    return false;
  }

  /** "must_hold(&f->lock)" -> "&f->lock" for {@code name} "must_hold". */
  static String annotationArg(String attr, String name) {
    String a = attr.strip();
    if (a.startsWith("__")) a = a.substring(2);
    if (!a.startsWith(name + "(") || !a.endsWith(")")) return null;
    return a.substring(name.length() + 1, a.length() - 1).strip();
  }
}
