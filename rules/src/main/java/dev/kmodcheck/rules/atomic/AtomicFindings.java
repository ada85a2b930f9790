package dev.kmodcheck.rules.atomic;

import dev.kmodcheck.check.Fact;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.context.ContextAnalysis;
import dev.kmodcheck.facts.context.EarlyBoot;
import dev.kmodcheck.facts.context.EntryPoint;
import dev.kmodcheck.facts.context.EntryPoints;
import dev.kmodcheck.facts.context.FunctionContext;
import dev.kmodcheck.facts.context.LockEffect;
import dev.kmodcheck.facts.context.PathState;
import dev.kmodcheck.facts.origin.KmallocOnlyTypes;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.facts.sleep.SleepChain;
import dev.kmodcheck.facts.sleep.SleepStep;
import dev.kmodcheck.facts.sleep.SleepSummaries;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.SleepCategory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sleeping calls made in atomic context anywhere in the program, computed once per scan and
 * shared by the three atomic-context rules (one per {@link SleepCategory}).
 *
 * <p>Each function is analysed with the atomic context it is entered in: a callback the module
 * registers as atomic (docs/kernel-facts.md §4.6) starts in that context, a function annotated
 * {@code __must_hold} starts with its caller's lock held; every other function starts preemptible.
 * A call made while atomic is a candidate when it may sleep, directly or through any chain of
 * program functions. It is reported there, at the outermost call made while atomic, and not again
 * inside the callee, which is not atomic by itself.
 */
final class AtomicFindings {

  private final Map<SleepCategory, List<AtomicCandidate>> byCategory;
  private final Program program;

  private AtomicFindings(Program program, Map<SleepCategory, List<AtomicCandidate>> byCategory) {
    this.program = program;
    this.byCategory = byCategory;
  }

  /** The shared result for this scan. */
  static AtomicFindings of(ProgramContext ctx) {
    return ctx.fact(FACT);
  }

  private static final Fact<ProgramContext, AtomicFindings> FACT =
      Fact.ofProgram("atomic findings", AtomicFindings::compute);

  /** The candidates of one category, in program order (file, line of the function, call order). */
  List<AtomicCandidate> candidates(SleepCategory category) {
    return byCategory.getOrDefault(category, List.of());
  }

  Program program() {
    return program;
  }

  private static AtomicFindings compute(ProgramContext ctx) {
    Program program = ctx.program();
    Map<FunctionRef, LockEffect> effects = ContextAnalysis.lockEffects(program);
    Map<FunctionRef, List<AtomicCause>> entries = entryCauses(program);
    SleepSummaries sleep =
        SleepSummaries.compute(
            program,
            ctx.knowledge().sleepApis(),
            ctx.knowledge().kernelSummaries(),
            ctx::evaluator);
    CalleeContext calleeContext = new CalleeContext(program, effects);
    EarlyBoot boot = EarlyBoot.of(program);
    KmallocOnlyTypes kmallocOnly = KmallocOnlyTypes.of(program, ctx.apis());

    Map<SleepCategory, List<AtomicCandidate>> found = new EnumMap<>(SleepCategory.class);
    // Candidates found in a function that is entered atomic; a caller's candidate through it
    // would report the same chain twice.
    Map<FunctionRef, EnumMap<SleepCategory, Boolean>> entryReports = new IdentityHashMap<>();
    List<AtomicCandidate> all = new ArrayList<>();
    for (FunctionRef fn : program.functions()) {
      if (fn.def().body() == null || !fn.def().range().inProject()) continue;
      List<AtomicCause> entry = entries.getOrDefault(fn, List.of());
      FunctionContext fc = ContextAnalysis.analyze(program, fn, entry, effects);
      ValueEvaluator ev = ctx.evaluator(fn.unit(), fn.def());
      // Atomic context that begins in code only early boot runs: the finding stays, graded
      // conditional (docs/kernel-facts.md §4.7).
      String atBoot = boot.why(program.canonical(fn));
      String bootEvidence = boot.evidence(program.canonical(fn));
      for (CallSite site : program.callSites(fn)) {
        List<PathState> states = fc.atomicStatesAt(site.call());
        if (states.isEmpty()) continue;
        FunctionRef callee = sleep.callee(fn, site);
        boolean direct = callee == null;
        for (AtomicCandidate chosen :
            chooseChains(sleep, site, states, ev, direct, entry, kmallocOnly)) {
          AtomicCandidate c = chosen;
          if (!direct) {
            List<String> when = calleeContext.atomicOnlyWhen(site, callee, c.state(), c.chain());
            if (when == null) continue;
            if (!when.isEmpty()) c = c.withChain(c.chain().under(when));
            String mixed = mixedConfigs(program, fn, c.chain());
            if (mixed != null) c = c.withChain(c.chain().under(List.of(mixed)));
          }
          if (atBoot != null) c = c.duringEarlyBoot(atBoot, bootEvidence);
          all.add(c);
          if (!entry.isEmpty()) {
            entryReports
                .computeIfAbsent(program.canonical(fn), f -> new EnumMap<>(SleepCategory.class))
                .put(c.chain().category(), true);
          }
        }
      }
    }
    // One finding per call site: the strongest of its candidates across the three rules.
    Map<Expr.Call, AtomicCandidate> bySite = new IdentityHashMap<>();
    List<Expr.Call> sites = new ArrayList<>();
    for (AtomicCandidate c : all) {
      FunctionRef callee = c.direct() ? null : sleep.callee(c.site().caller(), c.site());
      EnumMap<SleepCategory, Boolean> calleeReports =
          callee == null ? null : entryReports.get(program.canonical(callee));
      if (calleeReports != null && calleeReports.containsKey(c.chain().category())) continue;
      AtomicCandidate prev = bySite.get(c.site().call());
      if (prev == null) sites.add(c.site().call());
      if (prev == null || STRONGER.compare(c, prev) < 0) bySite.put(c.site().call(), c);
    }
    for (Expr.Call call : sites) {
      AtomicCandidate c = bySite.get(call);
      found.computeIfAbsent(c.chain().category(), k -> new ArrayList<>()).add(c);
    }
    return new AtomicFindings(program, found);
  }

  /**
   * A call of the chain between functions no build holds together ({@link Program#configConflict}),
   * as the undecided condition it needs: "CONFIG_SMP is unset, as init_IRQ() was read, in a build
   * that compiles smp.c (built only with it)"; null when none.
   */
  private static String mixedConfigs(Program program, FunctionRef caller, SleepChain chain) {
    FunctionRef prev = program.canonical(caller);
    for (SleepStep step : chain.steps()) {
      FunctionRef at = program.enclosing(step.range());
      if (at == null) break;
      if (at == prev) continue;
      String option = program.configConflict(prev, at);
      if (option != null) {
        boolean prevBuilt = prev.unit().buildConfigs().contains(option);
        FunctionRef read = prevBuilt ? at : prev;
        String built = (prevBuilt ? prev : at).unit().file();
        return option
            + " is unset, as "
            + read.name()
            + "() was read, in a build that compiles "
            + built.substring(built.lastIndexOf('/') + 1)
            + " (built only with it)";
      }
      prev = at;
    }
    return null;
  }

  /**
   * The stronger of two candidates at one call site comes first: a chain that needs no undecided
   * condition; then one whose sleeping call is wrong in any atomic context over one that is wrong
   * only outside interrupt context (an error-path vfree) or only with interrupts off; then vmalloc
   * over a blocking allocation over another sleeping call; then the shorter chain.
   */
  private static final Comparator<AtomicCandidate> STRONGER =
      // Early boot applies to every candidate of a call site alike: the chain decides.
      Comparator.comparing((AtomicCandidate c) -> !c.chain().certain())
          .thenComparing(c -> c.chain().condition() != SleepApis.Condition.ALWAYS)
          .thenComparing(c -> c.chain().category())
          .thenComparingInt(c -> c.chain().length());

  /**
   * One candidate per category at a call site: the best chain over the atomic states reaching it
   * ({@link #BETTER_CHAIN}; the first state on a tie, so the choice is deterministic). A chain that
   * sleeps only outside interrupt context (vfree) needs a state not in interrupt
   * (docs/kernel-facts.md §3.2).
   */
  private static List<AtomicCandidate> chooseChains(
      SleepSummaries sleep,
      CallSite site,
      List<PathState> states,
      ValueEvaluator ev,
      boolean direct,
      List<AtomicCause> entry,
      KmallocOnlyTypes kmallocOnly) {
    Map<SleepCategory, AtomicCandidate> best = new EnumMap<>(SleepCategory.class);
    Map<Map<String, Boolean>, List<SleepChain>> byAssumptions = new HashMap<>();
    for (PathState state : states) {
      if (!state.atomic()) continue;
      ValueEvaluator assumed = ev.withAssumptions(state.assumptions());
      List<SleepChain> chains =
          byAssumptions.computeIfAbsent(
              state.assumptions(), a -> sleep.chainsForCall(site, assumed, a));
      for (SleepChain chain : chains) {
        if (chain.unlessInInterrupt() && inInterrupt(state)) continue;
        if (freesKmallocMemory(chain, kmallocOnly)) continue;
        if (chain.unlessInInterrupt() && transmits(state)) chain = chain.under(NETPOLL);
        if (chain.onlyIrqsOffOrInInterrupt() && !irqsOffOrInInterrupt(state)) continue;
        if (chain.besidesRcu() && only(state, AtomicKind.RCU_READ)) continue;
        if (chain.besidesIrqsOff() && only(state, AtomicKind.IRQS_OFF)) continue;
        if (chain.unlessShuttingDown() && only(state, AtomicKind.SHUTDOWN_HANDLER)) continue;
        AtomicCandidate prev = best.get(chain.category());
        if (prev == null || BETTER_CHAIN.compare(chain, prev.chain()) < 0) {
          boolean entered = entry.stream().anyMatch(e -> e == state.outermost());
          best.put(
              chain.category(),
              new AtomicCandidate(site, state, chain, direct, assumed, entered, null, null));
        }
      }
    }
    return new ArrayList<>(best.values());
  }

  /**
   * A {@code kvfree()} of memory the program allocates only with kmalloc: there it is a {@code
   * kfree()}, which never sleeps (docs/kernel-facts.md §3.2).
   */
  private static boolean freesKmallocMemory(SleepChain chain, KmallocOnlyTypes kmallocOnly) {
    if (!chain.api().equals("kvfree") || chain.kernelSummary() != null) return false;
    return kmallocOnly.frees(chain.steps().stream().map(SleepStep::range).toList());
  }

  /** A chain that needs no undecided condition first, then the shorter. */
  private static final Comparator<SleepChain> BETTER_CHAIN =
      Comparator.comparing((SleepChain c) -> !c.certain()).thenComparingInt(SleepChain::length);

  /**
   * in_interrupt() on these paths: true as soon as one held cause is a hard IRQ, a softirq or a
   * BH-disabled section, whatever else is held (a spinlock taken in a tasklet, spin_lock_bh), so
   * vfree defers its work instead of sleeping (docs/kernel-facts.md §3.2, §4.1).
   */
  private static boolean inInterrupt(PathState state) {
    return state.held().stream().anyMatch(c -> c.kind().inInterrupt());
  }

  /**
   * A transmit function on these paths: in_interrupt() is true when the stack calls it (bottom
   * halves off) and false when netpoll does (interrupts off, process context), so what sleeps only
   * outside interrupt context (vfree, {@code in_interrupt() ? GFP_ATOMIC : GFP_KERNEL}) sleeps
   * there only under netconsole (docs/kernel-facts.md §4.6).
   */
  private static boolean transmits(PathState state) {
    return state.held().stream().anyMatch(c -> c.kind() == AtomicKind.XMIT);
  }

  private static final List<String> NETPOLL =
      List.of("netpoll (netconsole) transmits, with interrupts off outside interrupt context");

  /**
   * Only {@code kind} makes these paths atomic: RCU read-side sections (what cond_resched_rcu
   * leaves), disabled interrupts (what schedule() does not check), a restart or power-off handler
   * (the system is going down, where I2C transfers run in their atomic mode; docs/kernel-facts.md
   * §4.6).
   */
  private static boolean only(PathState state, AtomicKind kind) {
    return state.held().stream().allMatch(c -> c.kind() == kind);
  }

  /**
   * Interrupts disabled on these paths (IRQs-off sections, hard IRQ handlers): where
   * dma_free_coherent() trips WARN_ON(irqs_disabled) (docs/kernel-facts.md §3.1, §5.5). A plain or
   * _bh spinlock, or a softirq, is not: there it neither sleeps nor warns (the howto's "not in
   * interrupt context" is advice the kernel does not check, so it is not reported as an error).
   */
  private static boolean irqsOffOrInInterrupt(PathState state) {
    return state.held().stream()
        .anyMatch(
            c ->
                c.kind() == AtomicKind.IRQS_OFF
                    || c.kind() == AtomicKind.HARDIRQ
                    || c.kind() == AtomicKind.SHUTDOWN_HANDLER);
  }

  /**
   * The atomic context each function is entered in: its registrations as an atomic callback, and a
   * spinning lock its caller holds when it is annotated {@code __must_hold(lock)} (sparse).
   */
  private static Map<FunctionRef, List<AtomicCause>> entryCauses(Program program) {
    Map<FunctionRef, List<AtomicCause>> out = new IdentityHashMap<>();
    for (EntryPoint ep : EntryPoints.find(program)) {
      out.computeIfAbsent(program.canonical(ep.function()), f -> new ArrayList<>())
          .add(new AtomicCause(ep.context(), null, ep.registeredAt(), ep.how()));
    }
    for (FunctionRef fn : program.functions()) {
      List<AtomicCause> held = ContextAnalysis.entryCausesFromAnnotations(fn);
      if (!held.isEmpty()) out.computeIfAbsent(fn, f -> new ArrayList<>()).addAll(held);
    }
    return out;
  }
}
