package dev.kmodcheck.summarize;

import dev.kmodcheck.facts.CValue;
import dev.kmodcheck.facts.Conditions;
import dev.kmodcheck.facts.ExprText;
import dev.kmodcheck.facts.Gfp;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.context.AtomicCause;
import dev.kmodcheck.facts.context.CallbackParams;
import dev.kmodcheck.facts.context.ContextAnalysis;
import dev.kmodcheck.facts.context.FunctionContext;
import dev.kmodcheck.facts.context.LockEffect;
import dev.kmodcheck.facts.origin.Origin;
import dev.kmodcheck.facts.origin.PointerOrigins;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.facts.sleep.CallConditions;
import dev.kmodcheck.facts.sleep.CallGuards;
import dev.kmodcheck.facts.sleep.SleepSummaries;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.OriginKind;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.Target;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The per-directory half of {@code kmodcheck summarize}: while one directory's parse trees are in
 * memory, reduces each function to what the global fixed point ({@link KernelSummaryBuilder})
 * needs: its sleeping calls, judged as {@link SleepSummaries} judges them (the same tables, gfp
 * evaluation, unreachable code and context checks), and its calls to other functions, with how each
 * argument's gfp value depends on the function's own parameters.
 *
 * <p>A call guarded by one of the function's parameters keeps that test as its chain's condition (a
 * caller passing a value that fails it is not blamed); a call guarded by a field behind a parameter
 * is left out, as the module's side of such a test is not followed through summaries: a summary
 * that is not sure is no summary (the module scan then simply knows less).
 *
 * <p>A call the kernel function itself makes in atomic context (under its own spinlock, with
 * interrupts off: the engine's lock-state analysis, ContextAnalysis) is left out too. Either the
 * callee does not sleep on the paths that run there, which a context-insensitive summary cannot
 * tell (queue_work_on() reaches allocations only on debug paths, under local_irq_save()), or it is
 * a kernel bug that the kernel's own scan reports; it is never the module's doing.
 */
public final class KernelSummaryCollector {

  private final Program program;
  private final SleepApis apis;
  private final BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators;
  private final KernelSummaryBuilder builder;

  private KernelSummaryCollector(
      Program program,
      SleepApis apis,
      BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators,
      KernelSummaryBuilder builder) {
    this.program = program;
    this.apis = apis;
    this.evaluators = evaluators;
    this.builder = builder;
  }

  /**
   * Adds every function of {@code program} (one directory) to {@code builder}.
   *
   * @param sharedHeader whether a file is one of the kernel's shared headers (include/), whose
   *     inline functions every module sees
   */
  public static void collect(
      Program program,
      SleepApis apis,
      BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators,
      Predicate<String> sharedHeader,
      KernelSummaryBuilder builder) {
    collect(program, apis, evaluators, sharedHeader, name -> false, builder);
  }

  /**
   * As above, with {@code definedInTree}: whether a name is a function defined somewhere in the
   * tree (other directories included), so that a lock wrapper calling on into it keeps its lock
   * effect, while one calling a macro the engine cannot see into does not.
   */
  public static void collect(
      Program program,
      SleepApis apis,
      BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators,
      Predicate<String> sharedHeader,
      Predicate<String> definedInTree,
      KernelSummaryBuilder builder) {
    KernelSummaryCollector c = new KernelSummaryCollector(program, apis, evaluators, builder);
    Map<FunctionRef, KernelSummaryBuilder.Node> nodes = new IdentityHashMap<>();
    List<KernelSummaryBuilder.Node> all = new ArrayList<>();
    for (FunctionRef fn : program.functions()) {
      FunctionDef def = fn.def();
      String file = def.nameRange().file();
      boolean header = sharedHeader.test(file);
      KernelSummaryBuilder.Node n =
          new KernelSummaryBuilder.Node(
              builder.intern(def.name()),
              builder.intern(file),
              def.nameRange().line(),
              def.params().size(),
              header || (!def.isStatic() && file.endsWith(".c")),
              header);
      n.varargs = def.varargs();
      nodes.put(fn, n);
      all.add(n);
    }
    Map<FunctionRef, LockEffect> effects = ContextAnalysis.lockEffects(program);
    Map<FunctionRef, LockEffect> summaryEffects =
        ContextAnalysis.summaryEffects(program, definedInTree);
    KernelKnowledge knowledge = program.knowledge();
    PointerOrigins origins =
        PointerOrigins.compute(
            program,
            knowledge.allocApis(),
            knowledge.dmaSinks(),
            Target.defaultTarget().pageSize(),
            evaluators);
    for (FunctionRef fn : program.functions()) {
      KernelSummaryBuilder.Node node = nodes.get(fn);
      c.edges(fn, node, nodes, effects);
      c.lockEffect(fn, node, summaryEffects.get(fn));
      c.callbacks(fn, node, nodes);
      c.returns(fn, node, origins);
    }
    builder.add(all);
  }

  /** The locks the function returns holding and the caller's locks it releases. */
  private void lockEffect(FunctionRef fn, KernelSummaryBuilder.Node node, LockEffect effect) {
    if (effect == null || effect.isNone()) return;
    LockEffect e = ContextAnalysis.positional(effect, fn.def());
    List<String> ownTexts = effect.released();
    List<KernelSummaries.Acquired> acquired = new ArrayList<>();
    for (AtomicCause a : e.acquired()) {
      acquired.add(
          new KernelSummaries.Acquired(
              a.kind(),
              builder.intern(a.lock()),
              builder.intern(a.range().file()),
              a.range().line(),
              a.description()));
    }
    node.acquired = List.copyOf(acquired);
    // A caller can only name a lock it passed in, or a kind of context (interrupts off): a
    // released lock of the function's own locals or globals means nothing at a module's call.
    List<KernelSummaries.Released> released = new ArrayList<>();
    for (int i = 0; i < e.released().size(); i++) {
      String r = e.released().get(i);
      if (isKindName(r)) {
        if (ContextAnalysis.endsCallersContext(program, fn, AtomicKind.valueOf(r))) {
          released.add(new KernelSummaries.Released(builder.intern(r), List.of()));
        }
      } else if (r.contains("$")) {
        released.add(
            new KernelSummaries.Released(
                builder.intern(r), ContextAnalysis.releaseKinds(program, fn, ownTexts.get(i))));
      }
    }
    node.released = List.copyOf(released);
  }

  private static boolean isKindName(String s) {
    for (AtomicKind k : AtomicKind.values()) {
      if (k.name().equals(s)) return true;
    }
    return false;
  }

  /** Parameters the function registers as atomic callbacks, or passes on to other calls. */
  private void callbacks(
      FunctionRef fn,
      KernelSummaryBuilder.Node node,
      Map<FunctionRef, KernelSummaryBuilder.Node> nodes) {
    CallbackParams.Facts facts = CallbackParams.of(program, fn);
    if (facts.isEmpty()) return;
    List<KernelSummaryBuilder.CallbackDirect> direct = new ArrayList<>();
    for (CallbackParams.Direct d : facts.direct()) {
      direct.add(
          new KernelSummaryBuilder.CallbackDirect(
              d.param(),
              d.field(),
              d.kind(),
              builder.intern(d.api()),
              builder.intern(d.how()),
              builder.intern(d.at().file()),
              d.at().line()));
    }
    List<KernelSummaryBuilder.CallbackEdge> edges = new ArrayList<>();
    for (CallbackParams.Flow f : facts.flows()) {
      Expr.Call call = f.site().call();
      String name = call.calleeName();
      if (name == null) continue;
      FunctionRef target = program.resolve(fn, name);
      // As the sleep edges: a callee of this directory is its node; another is linked by name
      // across the tree (every definition of the name must register the parameter).
      KernelSummaryBuilder.Node callee = null;
      if (target != null) {
        callee = nodes.get(program.canonical(target));
        if (callee == null) continue;
      }
      edges.add(
          new KernelSummaryBuilder.CallbackEdge(
              callee,
              callee == null ? builder.intern(name) : null,
              call.args().size(),
              f.argIndex(),
              f.param(),
              builder.intern(call.range().file()),
              call.range().line()));
    }
    node.callbackDirect = List.copyOf(direct);
    node.callbackEdges = List.copyOf(edges);
  }

  /** Vmalloc memory the function may return, from its own directory's allocations. */
  private void returns(FunctionRef fn, KernelSummaryBuilder.Node node, PointerOrigins origins) {
    if (fn.def().isStatic() && !node.header) return;
    Origin first = null;
    for (Origin o : origins.returnOrigins(fn)) {
      if (o.kind() != OriginKind.VMALLOC || o.steps().isEmpty()) continue;
      if (first == null || o.steps().get(0).range().compareTo(first.steps().get(0).range()) < 0) {
        first = o;
      }
    }
    if (first == null) return;
    SrcRange at = first.steps().get(0).range();
    node.returns =
        List.of(
            new KernelSummaries.Returned(
                builder.intern(first.what()), builder.intern(at.file()), at.line()));
  }

  private void edges(
      FunctionRef fn,
      KernelSummaryBuilder.Node node,
      Map<FunctionRef, KernelSummaryBuilder.Node> nodes,
      Map<FunctionRef, LockEffect> effects) {
    CallGuards guards = null;
    CallConditions written = null;
    FunctionContext context = null;
    ValueEvaluator ev = null;
    for (CallSite site : program.callSites(fn)) {
      Expr.Call call = site.call();
      FunctionRef target = program.resolve(fn, site.name());
      SleepSummaries.ApiCall api = SleepSummaries.apiOf(apis, site);
      // As SleepSummaries.callee: a table row beats a non-static body of the same name.
      boolean local = target != null && (target.def().isStatic() || api == null);
      String name = call.calleeName();
      if (!local && api == null && (name == null || apis.covers(name, call.args().size()))) {
        continue;
      }
      if (api != null && !local && !api.api().condition().reported()) continue;
      if (guards == null) guards = CallGuards.of(fn.def());
      if (guards.unreachable(call)) continue;
      if (context == null) {
        context = ContextAnalysis.analyze(program, fn, List.of(), effects);
      }
      if (!context.atomicStatesAt(call).isEmpty()) continue;
      CallGuards.Guard guard = guards.of(call);
      if (guard != null && (guard.contextChecked() || guard.field() != null)) continue;
      KernelSummaryBuilder.Key key = guard == null ? null : key(guard);
      if (ev == null) ev = evaluators.apply(fn.unit(), fn.def());
      if (written == null) written = CallConditions.of(fn.def());
      List<String> open =
          written.undecided(fn.def(), call, guard, ev, SleepSummaries.MAX_CONDITIONS);
      String conditions = open.isEmpty() ? null : builder.intern(String.join(" && ", open));
      String file = call.range().file();
      int line = call.range().line();
      if (local || api == null) {
        KernelSummaryBuilder.Node callee = local ? nodes.get(program.canonical(target)) : null;
        if (local && callee == null) continue;
        node.edges.add(
            new KernelSummaryBuilder.CallEdge(
                callee,
                local ? null : name,
                builder.intern(file),
                line,
                call.args().size(),
                arguments(site, ev),
                key,
                conditions));
        continue;
      }
      SleepApis.Api a = api.api();
      if (a.gfpArg() < 0) {
        node.edges.add(sleepEdge(a, a.condition(), 0, site, api, null, key, conditions));
        continue;
      }
      if (a.gfpArg() >= call.args().size()) continue;
      Gfp.Verdict v = Gfp.of(call.args().get(a.gfpArg()), ev, call.macro());
      switch (v.kind()) {
        case BLOCKS ->
            node.edges.add(sleepEdge(a, a.condition(), 0, site, api, v, key, conditions));
        case BLOCKS_OUTSIDE_INTERRUPT ->
            node.edges.add(
                sleepEdge(
                    a, SleepApis.Condition.UNLESS_IN_INTERRUPT, 0, site, api, v, key, conditions));
        case PARAMS ->
            node.edges.add(
                sleepEdge(a, a.condition(), bits(v.params()), site, api, v, key, conditions));
        default -> {}
      }
    }
  }

  private KernelSummaryBuilder.SleepEdge sleepEdge(
      SleepApis.Api a,
      SleepApis.Condition cond,
      long params,
      CallSite site,
      SleepSummaries.ApiCall api,
      Gfp.Verdict v,
      KernelSummaryBuilder.Key guard,
      String conditions) {
    return new KernelSummaryBuilder.SleepEdge(
        a.category(),
        cond,
        builder.intern(api.name()),
        params,
        builder.intern(site.call().range().file()),
        site.call().range().line(),
        SleepSummaries.directMessage(site, api, v),
        guard,
        conditions);
  }

  /** The guard of a call as a chain condition (CallGuards' parameter tests). */
  private static KernelSummaryBuilder.Key key(CallGuards.Guard g) {
    if (g.equals() != null) {
      return new KernelSummaryBuilder.Key(KernelSummaries.When.EQUALS, g.param(), g.equals());
    }
    if (g.mask() != 0) {
      return new KernelSummaryBuilder.Key(
          g.value() ? KernelSummaries.When.MASK_SET : KernelSummaries.When.MASK_CLEAR,
          g.param(),
          g.mask());
    }
    return new KernelSummaryBuilder.Key(
        g.value() ? KernelSummaries.When.TRUE : KernelSummaries.When.FALSE, g.param(), 0);
  }

  /**
   * Per argument: what the callee's conditions need to know of it (see {@link
   * KernelSummaryBuilder.Arg}).
   */
  private static KernelSummaryBuilder.Arg[] arguments(CallSite site, ValueEvaluator ev) {
    List<Expr> args = site.call().args();
    KernelSummaryBuilder.Arg[] out = null;
    for (int i = 0; i < args.size(); i++) {
      Expr arg = args.get(i);
      // Strings and addresses are neither gfp values nor tested parameters.
      if (arg instanceof Expr.StringLit || arg instanceof Expr.Unary u && u.op().equals("&")) {
        continue;
      }
      KernelSummaryBuilder.Arg a = argument(arg, ev, site.call().macro());
      if (a == null) continue;
      if (out == null) out = new KernelSummaryBuilder.Arg[args.size()];
      out[i] = a;
    }
    return out;
  }

  private static KernelSummaryBuilder.Arg argument(Expr arg, ValueEvaluator ev, String macro) {
    Gfp.Verdict v = Gfp.of(arg, ev, macro);
    long gfp =
        switch (v.kind()) {
          case BLOCKS -> KernelSummaryBuilder.BLOCKS;
          case BLOCKS_OUTSIDE_INTERRUPT -> KernelSummaryBuilder.BLOCKS_OUTSIDE_INTERRUPT;
          case PARAMS -> bits(v.params());
          default -> 0;
        };
    Long value = null;
    CValue c = ev.eval(arg);
    // NULL is (void *)0: the evaluator keeps pointers unknown, but a constant's value survives.
    if (c == null && arg instanceof Expr.Cast cast) c = ev.eval(strip(cast.operand()));
    if (c != null && c.value().bitLength() <= 63) value = c.value().longValue();
    int param = -1;
    boolean negated = false;
    Expr e = strip(arg);
    while (e instanceof Expr.Unary u && u.op().equals("!")) {
      negated = !negated;
      e = strip(u.operand());
    }
    if (value == null && e instanceof Expr.Ident id && id.kind() == Expr.IdKind.PARAM) {
      List<VarDecl> ps = ev.function().params();
      for (int i = 0; i < ps.size(); i++) if (ps.get(i).name().equals(id.name())) param = i;
    }
    long set = 0;
    long kept = -1L;
    if (value == null && param < 0 && !negated) {
      // flags | FOLL_FAST_ONLY handed on: the bits it sets decide, the others stay the caller's.
      SleepSummaries.FlagOperand f = SleepSummaries.FlagOperand.of(ev.function(), arg, ev);
      if (f != null) {
        param = f.param();
        set = f.set();
        kept = f.kept();
      }
    }
    String text =
        value == null && param < 0 && !CallConditions.isPointer(ev.typeOf(arg))
            ? ExprText.of(Conditions.strip(arg))
            : null;
    if (gfp == 0 && value == null && param < 0 && text == null) return null;
    String flags = gfp < 0 ? v.reason() : null;
    return new KernelSummaryBuilder.Arg(gfp, value, param, negated, flags, text, set, kept);
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }

  private static long bits(List<Integer> params) {
    long b = 0;
    for (int p : params) if (p < 62) b |= 1L << p;
    return b;
  }
}
