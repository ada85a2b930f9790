package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.facts.CValue;
import dev.kmodcheck.facts.ExprText;
import dev.kmodcheck.facts.Gfp;
import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.cfg.CfgBuilder;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.SleepCategory;
import dev.kmodcheck.kernel.Target;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * May-sleep facts for every function of the program, computed to a fixed point over the call graph
 * (recursion-safe, no depth limit) from the sleeping-API table (sleep-apis.tsv and alloc-apis,
 * docs/kernel-facts.md §3): per function and {@link SleepCategory}, the shortest chain to a
 * sleeping call that happens whatever the arguments, and the chains that happen only when gfp
 * parameter k may block (GFP values are evaluated through macros, locals, conditionals and
 * parameters).
 *
 * <p>Shortest means fewest calls; ties go to the chain whose calls come first in source order, so
 * the witness does not depend on the order of the fixed-point iteration. A chain that only sleeps
 * outside interrupt context (vfree) is kept apart from an unconditional one of the same category,
 * so a longer unconditional chain is not hidden by a shorter vfree.
 *
 * <p>Immutable after {@link #compute}; {@link #chainsForCall} is safe for concurrent callers as
 * long as each passes its own evaluator.
 */
public final class SleepSummaries {

  private static final SleepCategory[] CATEGORIES = SleepCategory.values();
  private static final SleepApis.Condition[] CONDITIONS = SleepApis.Condition.values();

  /** One slot per category and condition: index = category * conditions + condition. */
  private static final int SLOTS = CONDITIONS.length * CATEGORIES.length;

  private static final int MAX_ARG_TEXT = 48;

  /** Conditions named per chain at most: the first ones are where the chain leaves the norm. */
  public static final int MAX_CONDITIONS = 4;

  private final Program program;
  private final SleepApis apis;

  /** Answers for callees with neither a definition in the program nor a table row. */
  private final KernelSummaries kernel;

  private final BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators;
  private final Map<FunctionRef, Summary> summaries = new IdentityHashMap<>();

  /** Gfp verdicts of call arguments without assumptions, by argument identity. */
  private final Map<Expr, Gfp.Verdict> verdicts = new IdentityHashMap<>();

  /** Control-flow guards of each summarised function's calls, computed on first need. */
  private final Map<FunctionRef, CallGuards> guards = new IdentityHashMap<>();

  /** The branch conditions each summarised function's calls are written under, likewise. */
  private final Map<FunctionRef, CallConditions> conditions = new IdentityHashMap<>();

  /** How a parameter decides a chain: it allows direct reclaim, or it is true, or false. */
  private static final int GFP = 0;

  private static final int WHEN_TRUE = 1;
  private static final int WHEN_FALSE = 2;

  /** The chain happens only when the parameter's {@link Summary#masks} bits are clear. */
  private static final int MASK_CLEAR = 3;

  /** The chain happens only when some of the parameter's {@link Summary#masks} bits are set. */
  private static final int MASK_SET = 4;

  /** The chain happens only when the parameter equals {@link Summary#masks}' value (a case). */
  private static final int EQUALS = 5;

  private static final int MODES = 8;

  private static int key(int param, int mode) {
    return param * MODES + mode;
  }

  /** Per function: the best chain per slot, unconditionally and per parameter condition. */
  private static final class Summary {
    Link[] always = new Link[SLOTS];

    /** {@link #key} of parameter and mode to slots; null when no chain depends on one. */
    TreeMap<Integer, Link[]> byParam;

    /**
     * Per {@link #MASK_CLEAR} or {@link #MASK_SET} key: its mask; per {@link #EQUALS} key: the
     * value.
     */
    TreeMap<Integer, Long> masks;

    boolean isEmpty() {
      if (byParam != null) return false;
      for (Link l : always) {
        if (l != null) return false;
      }
      return true;
    }
  }

  /** An immutable chain as a linked list, so that callers share their callees' tails. */
  private static final class Link {
    final SleepStep step;
    final Link next;
    final int length;
    final SleepCategory category;
    final String api;
    final SleepApis.Condition condition;

    /** {@link SleepChain#kernelSummary}, or null. */
    final String kernel;

    /** {@link SleepChain#conditions}: this step's undecided conditions, then the tail's. */
    final List<String> conditions;

    /** This step's own part of {@link #conditions}, named in its message. */
    final List<String> stepConditions;

    private Link(
        SleepStep step,
        Link next,
        int length,
        SleepCategory category,
        String api,
        SleepApis.Condition condition,
        String kernel,
        List<String> conditions,
        List<String> stepConditions) {
      this.step = step;
      this.next = next;
      this.length = length;
      this.category = category;
      this.api = api;
      this.condition = condition;
      this.kernel = kernel;
      this.conditions = conditions;
      this.stepConditions = stepConditions;
    }

    Link(SleepStep step, SleepCategory category, String api, SleepApis.Condition condition) {
      this(step, category, api, condition, null);
    }

    Link(
        SleepStep step,
        SleepCategory category,
        String api,
        SleepApis.Condition condition,
        String kernel) {
      this(step, null, 1, category, api, condition, kernel, List.of(), List.of());
    }

    /** {@code base} ending in an API that sleeps only under {@code condition}. */
    Link(Link base, SleepApis.Condition condition) {
      this(
          base.step,
          base.next,
          base.length,
          base.category,
          base.api,
          condition,
          base.kernel,
          base.conditions,
          base.stepConditions);
    }

    Link(SleepStep step, Link next) {
      this(
          step,
          next,
          next.length + 1,
          next.category,
          next.api,
          next.condition,
          next.kernel,
          next.conditions,
          List.of());
    }

    /**
     * This link with its first step taken only when {@code own} (undecided conditions of the
     * function making that call) hold: they are named in the step and lead the chain's list.
     */
    Link under(List<String> own) {
      if (own.isEmpty()) return this;
      List<String> all = new ArrayList<>(own);
      for (String c : conditions) {
        if (all.size() >= MAX_CONDITIONS) break;
        if (!all.contains(c)) all.add(c);
      }
      List<String> mine = new ArrayList<>(own);
      for (String c : stepConditions) if (!mine.contains(c)) mine.add(c);
      return new Link(
          step,
          next,
          length,
          category,
          api,
          condition,
          kernel,
          List.copyOf(all),
          List.copyOf(mine));
    }

    /** The step as a finding shows it: its message names the conditions it is taken under. */
    SleepStep shownStep() {
      return stepConditions.isEmpty()
          ? step
          : new SleepStep(
              step.range(), step.message() + " when " + String.join(" && ", stepConditions));
    }

    int slot() {
      return CONDITIONS.length * category.ordinal() + condition.ordinal();
    }

    SleepChain toChain() {
      List<SleepStep> steps = new ArrayList<>(length);
      for (Link l = this; l != null; l = l.next) steps.add(l.shownStep());
      return new SleepChain(category, api, List.copyOf(steps), condition, kernel, conditions);
    }
  }

  private SleepSummaries(
      Program program,
      SleepApis apis,
      KernelSummaries kernel,
      BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators) {
    this.program = program;
    this.apis = apis;
    this.kernel = kernel;
    this.evaluators = evaluators;
  }

  /** Summaries with evaluators for the default target (GFP values do not depend on it). */
  public static SleepSummaries compute(Program program) {
    return compute(program, Target.defaultTarget());
  }

  /** Summaries with evaluators for {@code target} (static globals not trusted). */
  public static SleepSummaries compute(Program program, Target target) {
    Map<TranslationUnit, TypeLayout> layouts = new IdentityHashMap<>();
    return compute(
        program,
        SleepApis.builtin(),
        (unit, fn) -> {
          TypeLayout layout;
          synchronized (layouts) {
            layout = layouts.computeIfAbsent(unit, u -> TypeLayout.forUnit(target, u));
          }
          return new ValueEvaluator(target, layout, unit, fn);
        });
  }

  /**
   * Summaries over {@code apis}, evaluating gfp arguments with evaluators from {@code evaluators}
   * (e.g. {@code ProgramContext::evaluator}); one is requested per function that needs one, and not
   * kept.
   */
  public static SleepSummaries compute(
      Program program,
      SleepApis apis,
      BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators) {
    return compute(program, apis, KernelSummaries.none(), evaluators);
  }

  /**
   * As above, with {@code kernel}'s summaries answering for callees that have neither a definition
   * in the program (which wins) nor a row in {@code apis} (which stays authoritative).
   */
  public static SleepSummaries compute(
      Program program,
      SleepApis apis,
      KernelSummaries kernel,
      BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators) {
    SleepSummaries s = new SleepSummaries(program, apis, kernel, evaluators);
    s.fixedPoint();
    return s;
  }

  // ---------------------------------------------------------------- fixed point

  private void fixedPoint() {
    Deque<FunctionRef> work = new ArrayDeque<>(calleesFirst());
    Map<FunctionRef, Boolean> queued = new IdentityHashMap<>();
    for (FunctionRef f : work) queued.put(f, Boolean.TRUE);
    while (!work.isEmpty()) {
      WorkBudget.checkpoint();
      FunctionRef fn = work.poll();
      queued.remove(fn);
      Summary next = summarise(fn);
      Summary old = summaries.get(fn);
      if (old == null ? next.isEmpty() : same(old, next)) continue;
      summaries.put(fn, next);
      for (CallSite caller : program.callersOf(fn)) {
        FunctionRef c = program.canonical(caller.caller());
        if (queued.put(c, Boolean.TRUE) == null) work.add(c);
      }
    }
  }

  /** Functions in DFS post-order over the call graph: callees before their callers. */
  private List<FunctionRef> calleesFirst() {
    List<FunctionRef> order = new ArrayList<>(program.functions().size());
    Map<FunctionRef, Boolean> seen = new IdentityHashMap<>();
    Deque<FunctionRef> stack = new ArrayDeque<>();
    Deque<Integer> next = new ArrayDeque<>();
    for (FunctionRef root : program.functions()) {
      if (seen.put(root, Boolean.TRUE) != null) continue;
      stack.push(root);
      next.push(0);
      while (!stack.isEmpty()) {
        FunctionRef fn = stack.peek();
        List<CallSite> sites = program.callSites(fn);
        int i = next.pop();
        FunctionRef child = null;
        while (i < sites.size() && child == null) {
          FunctionRef t = callee(fn, sites.get(i++));
          if (t != null && seen.put(t, Boolean.TRUE) == null) child = t;
        }
        next.push(i);
        if (child != null) {
          stack.push(child);
          next.push(0);
        } else {
          stack.pop();
          next.pop();
          order.add(fn);
        }
      }
    }
    return order;
  }

  /**
   * The program function a call reaches, or null when the catalogue's contract decides: a
   * catalogued kernel API (usb_submit_urb, kmalloc, mutex_lock) is judged by its documented
   * behaviour even when a scan of the kernel itself includes its body (drivers/usb/core), because
   * the body's internal paths are not the caller's to reason about, also for callers in the API's
   * own file (usbcore calling usb_hcd_giveback_urb). A module's own static function of the same
   * name still shadows the API, as in C.
   */
  public FunctionRef callee(FunctionRef caller, CallSite site) {
    FunctionRef t = program.resolve(caller, site.name());
    if (t == null) return null;
    if (!t.def().isStatic() && apiOf(site) != null) return null;
    return program.canonical(t);
  }

  /** The summary of {@code fn} from its call sites and its callees' current summaries. */
  private Summary summarise(FunctionRef fn) {
    Summary s = new Summary();
    ValueEvaluator[] ev = new ValueEvaluator[1]; // made on first need
    CallGuards g = null;
    for (CallSite site : program.callSites(fn)) {
      FunctionRef target = callee(fn, site);
      KernelSummaries.Function ext = target == null && apiOf(site) == null ? external(site) : null;
      if (target == null ? apiOf(site) == null && ext == null : summaries.get(target) == null) {
        continue;
      }
      if (g == null) g = guards.computeIfAbsent(fn, f -> CallGuards.of(f.def()));
      if (g.unreachable(site.call())) continue;
      CallGuards.Guard guard = g.of(site.call());
      // The function tests its context before this call and avoids it when atomic.
      if (guard != null && guard.contextChecked()) continue;
      // Runs only when a parameter was tested true (or false), or its mask bits clear: chains
      // through it are conditional.
      int guarded = guard == null ? -1 : operand(guard.param(), guard.field());
      int when =
          guard == null
              ? -1
              : guard.equals() != null
                  ? maskKey(s, guarded, EQUALS, guard.equals())
                  : guard.mask() != 0
                      ? maskKey(s, guarded, guard.value() ? MASK_SET : MASK_CLEAR, guard.mask())
                      : key(guarded, guard.value() ? WHEN_TRUE : WHEN_FALSE);
      List<String> own = undecided(fn, site, guard, ev);
      if (target != null) {
        Summary callee = summaries.get(target);
        if (callee == null) continue;
        for (Link l : callee.always) {
          if (l != null) offer(s, when, new Link(callStep(site, target, null), l).under(own));
        }
        if (callee.byParam == null) continue;
        for (Map.Entry<Integer, Link[]> e : callee.byParam.entrySet()) {
          Operand o = operandOf(e.getKey() / MODES);
          Expr arg = argument(site, o.param());
          if (arg == null) continue;
          if (o.field() == null) {
            offerThrough(s, fn, site, target, e.getKey(), e.getValue(), o, arg, when, own, ev);
            continue;
          }
          int mode = e.getKey() % MODES;
          long mask =
              callee.masks != null && callee.masks.containsKey(e.getKey())
                  ? callee.masks.get(e.getKey())
                  : 0;
          int q = paramIndex(fn.def(), arg);
          FieldValues fields = fieldValues(fn);
          if (q >= 0 && !fields.storesTo(fn.def().params().get(q).name(), o.field())) {
            // The caller hands its own pointer on: the condition on the field becomes its own,
            // unless the call is already guarded by one of its parameters. A chain keeps one
            // condition, and the caller's own test (if (wait_ack)) is the one its callers
            // decide; a device-state field (padapter->bDriverStopped) rarely is.
            int op = operand(q, o.field());
            int k =
                when >= 0
                    ? when
                    : mode == MASK_CLEAR || mode == MASK_SET || mode == EQUALS
                        ? maskKey(s, op, mode, mask)
                        : key(op, mode);
            SleepStep step = callStep(site, target, null);
            for (Link l : e.getValue()) {
              if (l != null) offer(s, k, new Link(step, l).under(own));
            }
            continue;
          }
          List<Expr> values = fields.valuesOf(arg, o.field(), mask, returned(fn));
          for (Expr v : values == null ? List.of(unknownField(arg, o)) : values) {
            offerThrough(s, fn, site, target, e.getKey(), e.getValue(), o, v, when, own, ev);
          }
        }
        continue;
      }
      if (ext != null) {
        offerKernel(s, when, fn, site, ext, own, ev);
        continue;
      }
      ApiCall api = apiOf(site);
      if (api == null || !api.api.condition().reported()) continue;
      if (api.api.gfpArg() < 0) {
        offer(s, when, directLink(site, api, null).under(own));
        continue;
      }
      Expr arg = argument(site, api.api.gfpArg());
      if (arg == null) continue;
      Gfp.Verdict v = verdict(fn, site, arg, ev);
      if (v.kind() != Gfp.Kind.NO_BLOCK && v.kind() != Gfp.Kind.UNKNOWN) {
        offerGfp(s, when, v, directLink(site, api, v).under(own));
      }
    }
    return s;
  }

  /**
   * The conditions the call at {@code site} is written under in {@code fn} that neither the
   * evaluator nor the callers' arguments decide (CallConditions#undecided), outermost first.
   */
  private List<String> undecided(
      FunctionRef fn, CallSite site, CallGuards.Guard guard, ValueEvaluator[] ev) {
    CallConditions written = conditions.computeIfAbsent(fn, f -> CallConditions.of(f.def()));
    if (written.of(site.call()).isEmpty()) return List.of();
    if (ev[0] == null) ev[0] = evaluators.apply(fn.unit(), fn.def());
    return written.undecided(fn.def(), site.call(), guard, ev[0], MAX_CONDITIONS);
  }

  /**
   * Offers the callee's chains that depend on operand {@code o} (parameter or field, key {@code
   * calleeKey}), given the caller-side expression {@code arg} it holds: dropped when the caller's
   * value rules them out, re-keyed to the caller's own parameter when it passes that on, else under
   * the caller's own guard {@code when}.
   */
  private void offerThrough(
      Summary s,
      FunctionRef fn,
      CallSite site,
      FunctionRef target,
      int calleeKey,
      Link[] links,
      Operand o,
      Expr arg,
      int when,
      List<String> own,
      ValueEvaluator[] ev) {
    Summary callee = summaries.get(target);
    int mode = calleeKey % MODES;
    if (mode == MASK_CLEAR || mode == MASK_SET || mode == EQUALS) {
      if (ev[0] == null) ev[0] = evaluators.apply(fn.unit(), fn.def());
      long mask = callee.masks.get(calleeKey);
      if (ruledOut(mode, mask, arg, ev[0])) return;
      boolean known = ev[0].eval(arg) != null;
      int q = known ? -1 : paramIndex(fn.def(), arg);
      int k = q >= 0 ? maskKey(s, q, mode, mask) : when;
      List<String> conds = known || q >= 0 ? own : plus(own, operandCondition(arg, mode, mask));
      FlagOperand f =
          known || q >= 0 || mode == EQUALS ? null : FlagOperand.of(fn.def(), arg, ev[0]);
      if (f != null) {
        // flags | CD_URGENT handed on: the bits it sets decide, the others stay the caller's.
        long open = mask & f.kept() & ~f.set();
        boolean anySet = (mask & f.set()) != 0;
        if (mode == MASK_SET ? !anySet && open == 0 : anySet) return;
        k = anySet || open == 0 ? when : maskKey(s, f.param(), mode, open);
        conds = own;
      }
      SleepStep step = operandStep(site, target, o, arg, ev[0]);
      for (Link l : links) {
        if (l != null) offer(s, k, new Link(step, l).under(conds));
      }
      return;
    }
    if (mode == GFP) {
      Gfp.Verdict v = verdict(fn, site, arg, ev);
      for (Link l : links) {
        if (l != null) offerGfp(s, when, v, new Link(callStep(site, target, v), l).under(own));
      }
      return;
    }
    if (ev[0] == null) ev[0] = evaluators.apply(fn.unit(), fn.def());
    if (ruledOut(mode, 0, arg, ev[0])) return;
    Truth t = truth(arg, ev[0], fn.def());
    SleepStep step = operandStep(site, target, o, arg, ev[0]);
    int eq = t.value == null ? equalsKey(s, fn.def(), arg, ev[0], mode == WHEN_TRUE) : -1;
    if (eq >= 0) {
      // cmd_type == MWIFIEX_SYNC_CMD given to a "sync" parameter: the caller's own
      // parameter must equal the constant.
      for (Link l : links) {
        if (l != null) offer(s, eq, new Link(step, l).under(own));
      }
      return;
    }
    boolean passedOn = t.param >= 0 && !(t.onlyTrue && mode != WHEN_TRUE);
    List<String> conds =
        t.value != null || passedOn ? own : plus(own, truthCondition(target, o, arg, mode));
    for (Link l : links) {
      if (l == null) continue;
      if (!passedOn) {
        offer(s, when, new Link(step, l).under(conds));
      } else {
        boolean whenTrue = (mode == WHEN_TRUE) != t.negated;
        offer(s, key(t.param, whenTrue ? WHEN_TRUE : WHEN_FALSE), new Link(step, l).under(own));
      }
    }
  }

  /**
   * A flag argument built from the caller's parameter: {@code (p | set) & kept}, from {@code p},
   * {@code p | K}, {@code K | p}, {@code p & K} and their nestings (casts aside).
   */
  public record FlagOperand(int param, long set, long kept) {
    public static FlagOperand of(FunctionDef caller, Expr arg, ValueEvaluator ev) {
      Expr e = stripCasts(arg);
      int p = paramIndex(caller, e);
      if (p >= 0) return new FlagOperand(p, 0, -1L);
      if (!(e instanceof Expr.Binary b) || !(b.op().equals("|") || b.op().equals("&"))) {
        return null;
      }
      CValue kl = ev.eval(b.left());
      CValue kr = ev.eval(b.right());
      CValue k = kl != null ? kl : kr;
      if ((kl == null) == (kr == null) || k.value().bitLength() > 63) return null;
      FlagOperand inner = of(caller, kl != null ? b.right() : b.left(), ev);
      if (inner == null) return null;
      long v = k.value().longValue();
      return b.op().equals("|")
          ? new FlagOperand(inner.param, inner.set | v, inner.kept | v)
          : new FlagOperand(inner.param, inner.set & v, inner.kept & v);
    }
  }

  private static List<String> plus(List<String> own, String condition) {
    if (condition == null) return own;
    List<String> out = new ArrayList<>(own);
    out.add(condition);
    return out;
  }

  /**
   * Whether the caller's value {@code arg} of a condition rules out the chains under it: a known
   * value that fails the mask or case ({@code mask} is its operand), bits known set where they must
   * be clear, or a known truth against {@link #WHEN_TRUE}/{@link #WHEN_FALSE}.
   */
  private static boolean ruledOut(int mode, long mask, Expr arg, ValueEvaluator ev) {
    if (mode == MASK_CLEAR || mode == MASK_SET || mode == EQUALS) {
      CValue v = ev.eval(arg);
      if (v != null) return !operandHolds(mode, mask, v);
      return mode == MASK_CLEAR && (knownSetBits(arg, ev) & mask) != 0;
    }
    Boolean known = truth(arg, ev, null).value;
    return known != null && known != (mode == WHEN_TRUE);
  }

  /** "calls f() with flags = CMD_ASYNC", or plain "calls f()" for a field value not known. */
  private static SleepStep operandStep(
      CallSite site, FunctionRef target, Operand o, Expr arg, ValueEvaluator ev) {
    return arg instanceof Expr.Opaque
        ? callStep(site, target, null)
        : conditionStep(site, target, o, arg, ev);
  }

  // ---------------------------------------------------------------- field operands

  /**
   * What a chain's condition is about: a parameter, or the field {@code param->field} of the struct
   * a pointer parameter points to (CallGuards).
   */
  private record Operand(int param, String field, Long value) {
    Operand(int param, String field) {
      this(param, field, null);
    }
  }

  /**
   * Field operands, and operands with a mask or case value, are numbered from here in order of
   * first use; parameters are themselves.
   */
  private static final int FIELD_OPERANDS = 1 << 10;

  private final List<Operand> fieldOperands = new ArrayList<>();
  private final Map<Operand, Integer> fieldOperandIds = new HashMap<>();
  private final Map<FunctionRef, FieldValues> fieldValues =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** The operand number of a parameter or field; only called while computing. */
  private int operand(int param, String field) {
    if (field == null) return param;
    return fieldOperandIds.computeIfAbsent(
        new Operand(param, field),
        o -> {
          fieldOperands.add(o);
          return FIELD_OPERANDS + fieldOperands.size() - 1;
        });
  }

  /** The operand {@code operand} with a mask or case value of its own. */
  private int valued(int operand, long value) {
    Operand base = operandOf(operand);
    return fieldOperandIds.computeIfAbsent(
        new Operand(base.param(), base.field(), value),
        o -> {
          fieldOperands.add(o);
          return FIELD_OPERANDS + fieldOperands.size() - 1;
        });
  }

  private Operand operandOf(int id) {
    return id < FIELD_OPERANDS ? new Operand(id, null) : fieldOperands.get(id - FIELD_OPERANDS);
  }

  private FieldValues fieldValues(FunctionRef fn) {
    return fieldValues.computeIfAbsent(fn, f -> FieldValues.of(f.def()));
  }

  /** Resolves {@code x = alloc(cqp, false)}: the argument the returned struct's field holds. */
  private FieldValues.Returned returned(FunctionRef caller) {
    return (call, field) -> {
      String name = call.calleeName();
      FunctionRef g = name == null ? null : program.resolve(caller, name);
      if (g == null || g.def().body() == null) return null;
      FieldValues.ReturnedField rf = fieldValues(g).returnedField(field, CfgBuilder::constant);
      if (rf == null) return null;
      if (rf.param() < 0) return rf.value();
      return rf.param() < call.args().size() ? call.args().get(rf.param()) : null;
    };
  }

  /** Stands for a field value the caller does not know: the chain counts unconditionally. */
  private static Expr unknownField(Expr arg, Operand o) {
    return new Expr.Opaque(arg.range(), null, ExprText.of(arg) + "->" + o.field());
  }

  private void offerGfp(Summary s, int when, Gfp.Verdict v, Link link) {
    if (v.kind() == Gfp.Kind.BLOCKS) {
      offer(s, when, link);
    } else if (v.kind() == Gfp.Kind.PARAMS) {
      for (int k : v.params()) offer(s, key(k, GFP), link);
    } else if (v.kind() == Gfp.Kind.WHEN_PARAM_TRUE) {
      offer(s, key(v.params().get(0), WHEN_TRUE), link);
    } else if (v.kind() == Gfp.Kind.WHEN_PARAM_FALSE) {
      offer(s, key(v.params().get(0), WHEN_FALSE), link);
    } else if (v.kind() == Gfp.Kind.BLOCKS_OUTSIDE_INTERRUPT) {
      offer(s, when, outsideInterrupt(link));
    }
  }

  /** The chain, sleeping only outside interrupt context like vfree (docs/kernel-facts.md §3.2). */
  private static Link outsideInterrupt(Link link) {
    return link.condition == SleepApis.Condition.ALWAYS
        ? new Link(link, SleepApis.Condition.UNLESS_IN_INTERRUPT)
        : link;
  }

  /**
   * What the caller knows about a condition argument: its truth (under the evaluator's
   * assumptions), or the caller's own parameter it is (possibly negated), or nothing. {@code
   * onlyTrue}: the argument is true only if the parameter is, but not always then (HZ * p).
   */
  private record Truth(Boolean value, int param, boolean negated, boolean onlyTrue) {
    Truth(Boolean value, int param, boolean negated) {
      this(value, param, negated, false);
    }
  }

  private static Truth truth(Expr arg, ValueEvaluator ev, FunctionDef caller) {
    Boolean known = ev.assumed(arg);
    if (known == null) {
      CValue v = ev.eval(arg);
      // NULL is (void *)0: the evaluator keeps pointer values unknown (their arithmetic scales),
      // but a constant's truth survives the cast.
      if (v == null && arg instanceof Expr.Cast c) v = ev.eval(stripCasts(c.operand()));
      if (v != null) known = v.isTrue();
    }
    // The address of an object is never NULL (&list handed to a "head" parameter).
    if (known == null && stripCasts(arg) instanceof Expr.Unary u && u.op().equals("&")) {
      known = true;
    }
    if (known != null) return new Truth(known, -1, false);
    Expr e = arg;
    boolean negated = false;
    boolean onlyTrue = false;
    while (true) {
      if (e instanceof Expr.Cast c) {
        e = c.operand();
      } else if (e instanceof Expr.Unary u && u.op().equals("!")) {
        negated = !negated;
        e = u.operand();
      } else if (e instanceof Expr.Binary b && b.op().equals("*")) {
        // HZ * can_sleep: zero when either factor is; non-zero only if can_sleep is.
        if (isZero(b.left(), ev) || isZero(b.right(), ev)) return new Truth(negated, -1, false);
        if (negated) break;
        Expr l = stripCasts(b.left());
        e =
            l instanceof Expr.Ident li && li.kind() == Expr.IdKind.PARAM
                ? l
                : stripCasts(b.right());
        onlyTrue = true;
      } else if (!negated && !onlyTrue && e instanceof Expr.Binary b && excludesZero(b, ev)) {
        // wait_ms > 0 handed on as "wait_ack": true only if wait_ms is non-zero.
        Expr l = stripCasts(b.left());
        e =
            l instanceof Expr.Ident li && li.kind() == Expr.IdKind.PARAM
                ? l
                : stripCasts(b.right());
        onlyTrue = true;
      } else {
        break;
      }
    }
    if (e instanceof Expr.Ident id && id.kind() == Expr.IdKind.PARAM && caller != null) {
      List<VarDecl> ps = caller.params();
      for (int i = 0; i < ps.size(); i++) {
        if (id.name().equals(ps.get(i).name())) return new Truth(null, i, negated, onlyTrue);
      }
    }
    return new Truth(null, -1, false);
  }

  /**
   * {@code p > K} (K >= 0), {@code p >= K} (K > 0), and their mirrors, with p a parameter: true
   * only when p is non-zero.
   */
  private static boolean excludesZero(Expr.Binary b, ValueEvaluator ev) {
    Expr l = stripCasts(b.left());
    Expr r = stripCasts(b.right());
    boolean paramLeft = l instanceof Expr.Ident li && li.kind() == Expr.IdKind.PARAM;
    boolean paramRight = r instanceof Expr.Ident ri && ri.kind() == Expr.IdKind.PARAM;
    if (paramLeft == paramRight) return false;
    CValue k = ev.eval(paramLeft ? r : l);
    if (k == null) return false;
    int sign = k.value().signum();
    String op = b.op();
    if (!paramLeft) {
      op =
          switch (op) {
            case ">" -> "<";
            case "<" -> ">";
            case ">=" -> "<=";
            case "<=" -> ">=";
            default -> op;
          };
    }
    return switch (op) {
      case ">" -> sign >= 0;
      case ">=" -> sign > 0;
      case "<" -> sign <= 0;
      case "<=" -> sign < 0;
      default -> false;
    };
  }

  private static boolean isZero(Expr e, ValueEvaluator ev) {
    CValue v = ev.eval(e);
    return v != null && !v.isTrue();
  }

  private static Expr stripCasts(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }

  /**
   * The key of "operand's mask bits clear (or set)", or "operand equals the value", in {@code s},
   * registering the mask or value. Each value has a key of its own, so the chains of {@code case
   * ADDBA_RSP:} and {@code case DELBA:} stay apart.
   */
  private int maskKey(Summary s, int operand, int mode, long mask) {
    if (s.masks == null) s.masks = new TreeMap<>();
    int k = key(valued(operand, mask), mode);
    s.masks.put(k, mask);
    return k;
  }

  /**
   * Bits certainly set in {@code e}: its value, or for {@code A | B} the bits of the operands that
   * are known ({@code INTEL_GUC_CT_SEND_NB | (len << shift)}), also as the value of a statement
   * expression.
   */
  private static long knownSetBits(Expr e, ValueEvaluator ev) {
    e = stripCasts(e);
    CValue v = ev.eval(e);
    if (v != null) return v.value().bitLength() > 63 ? 0 : v.value().longValue();
    if (e instanceof Expr.Binary b && b.op().equals("|")) {
      return knownSetBits(b.left(), ev) | knownSetBits(b.right(), ev);
    }
    // A statement-expression flag macro ({ checks; (FIELD_PREP(...) | SEND_NB); }): its value.
    if (e instanceof Expr.StmtExpr se
        && !se.body().stmts().isEmpty()
        && se.body().stmts().get(se.body().stmts().size() - 1) instanceof Stmt.ExprStmt last
        && last.expr() != null) {
      return knownSetBits(last.expr(), ev);
    }
    return 0;
  }

  /**
   * For an argument {@code q == K} (or {@code q != K}) where q is the caller's parameter and K a
   * constant: the key of "q equals K" when the chain needs the argument true (false for !=), or -1.
   */
  private int equalsKey(
      Summary s, FunctionDef caller, Expr arg, ValueEvaluator ev, boolean needTrue) {
    Expr e = stripCasts(arg);
    if (!(e instanceof Expr.Binary b) || !(b.op().equals("==") || b.op().equals("!="))) return -1;
    if (b.op().equals("==") != needTrue) return -1;
    int q = paramIndex(caller, b.left());
    Expr k = b.right();
    if (q < 0) {
      q = paramIndex(caller, b.right());
      k = b.left();
    }
    if (q < 0) return -1;
    CValue v = ev.eval(k);
    if (v == null || v.value().bitLength() > 62) return -1;
    return maskKey(s, q, EQUALS, v.value().longValue());
  }

  /** Whether a known argument value satisfies a mask or case condition of {@code mode}. */
  private static boolean operandHolds(int mode, long operand, CValue v) {
    if (v.value().bitLength() > 63) return true;
    long x = v.value().longValue();
    return switch (mode) {
      case MASK_SET -> (x & operand) != 0;
      case MASK_CLEAR -> (x & operand) == 0;
      default -> x == operand;
    };
  }

  /** The index of the caller's parameter {@code arg} is (casts aside), or -1. */
  private static int paramIndex(FunctionDef caller, Expr arg) {
    Expr e = stripCasts(arg);
    if (!(e instanceof Expr.Ident id) || id.kind() != Expr.IdKind.PARAM) return -1;
    List<VarDecl> ps = caller.params();
    for (int i = 0; i < ps.size(); i++) {
      if (id.name().equals(ps.get(i).name())) return i;
    }
    return -1;
  }

  /** Keeps {@code link} in the slot if it is better than what is there. */
  private static void offer(Summary s, int param, Link link) {
    Link[] slots;
    if (param < 0) {
      slots = s.always;
    } else {
      if (s.byParam == null) s.byParam = new TreeMap<>();
      slots = s.byParam.computeIfAbsent(param, k -> new Link[SLOTS]);
    }
    ChainSlots.offer(slots, link.slot(), link, SleepSummaries::compare);
  }

  private Gfp.Verdict verdict(FunctionRef fn, CallSite site, Expr arg, ValueEvaluator[] ev) {
    Gfp.Verdict v = verdicts.get(arg);
    if (v == null) {
      if (ev[0] == null) ev[0] = evaluators.apply(fn.unit(), fn.def());
      v = Gfp.of(arg, ev[0], site.call().macro());
      verdicts.put(arg, v);
    }
    return v;
  }

  private static boolean same(Summary a, Summary b) {
    if (!sameSlots(a.always, b.always)) return false;
    if (!Objects.equals(a.masks, b.masks)) return false;
    if (a.byParam == null || b.byParam == null) return a.byParam == b.byParam;
    if (!a.byParam.keySet().equals(b.byParam.keySet())) return false;
    for (Map.Entry<Integer, Link[]> e : a.byParam.entrySet()) {
      if (!sameSlots(e.getValue(), b.byParam.get(e.getKey()))) return false;
    }
    return true;
  }

  private static boolean sameSlots(Link[] a, Link[] b) {
    return ChainSlots.same(a, b, SleepSummaries::compare);
  }

  /**
   * A chain with no undecided condition first; then fewer calls; then the calls' source positions,
   * step by step; then the text.
   */
  private static int compare(Link a, Link b) {
    int c = Boolean.compare(!a.conditions.isEmpty(), !b.conditions.isEmpty());
    if (c != 0) return c;
    c = Integer.compare(a.length, b.length);
    if (c != 0) return c;
    for (Link x = a, y = b; x != null; x = x.next, y = y.next) {
      if (x == y) break; // a shared tail: only the heads' conditions can differ
      c = x.step.range().compareTo(y.step.range());
      if (c == 0) c = x.step.message().compareTo(y.step.message());
      if (c != 0) return c;
    }
    c = a.api.compareTo(b.api);
    if (c == 0) c = a.condition.compareTo(b.condition);
    if (c == 0) c = String.join("\n", a.conditions).compareTo(String.join("\n", b.conditions));
    return c;
  }

  // ---------------------------------------------------------------- queries

  /**
   * The sleep chains a call may start, given the argument values at the call site: for a sleeping
   * API directly (a one-step chain at the call site), or through the callee's summary (the first
   * step is the call site, the last the sleeping API), with gfp arguments evaluated by {@code ev}
   * (the caller's evaluator) under {@code assumptions} (see {@link
   * dev.kmodcheck.facts.context.PathState#assumptions}). Unknown GFP values, and gfp values that
   * are the caller's own parameters, do not count as blocking.
   *
   * <p>At most one chain per category, the shortest, ordered by category; except that when the
   * shortest one only sleeps outside interrupt context (vfree), the shortest unconditional one of
   * the same category follows it.
   */
  public List<SleepChain> chainsForCall(
      CallSite site, ValueEvaluator ev, Map<String, Boolean> assumptions) {
    ValueEvaluator e = ev.withAssumptions(assumptions);
    Summary s = new Summary();
    FunctionRef caller = site.caller();
    FunctionRef target = callee(caller, site);
    if (target != null) {
      Summary callee = summaries.get(target);
      if (callee != null) {
        for (Link l : callee.always) {
          if (l != null) offer(s, -1, new Link(callStep(site, target, null), l));
        }
        if (callee.byParam != null) {
          for (Map.Entry<Integer, Link[]> en : callee.byParam.entrySet()) {
            Operand o = operandOf(en.getKey() / MODES);
            Expr arg = argument(site, o.param());
            if (arg == null) continue;
            List<Expr> values = List.of(arg);
            if (o.field() != null) {
              long mask =
                  callee.masks != null && callee.masks.containsKey(en.getKey())
                      ? callee.masks.get(en.getKey())
                      : 0;
              values = fieldValues(caller).valuesOf(arg, o.field(), mask, returned(caller));
              if (values == null) values = List.of(unknownField(arg, o));
            }
            for (Expr v : values) offerAtCall(s, site, target, en.getKey(), en.getValue(), o, v, e);
          }
        }
      }
    } else {
      ApiCall api = apiOf(site);
      if (api != null && !api.api.condition().reported()) {
        api = null;
      }
      KernelSummaries.Function ext = api == null ? external(site) : null;
      if (ext != null) {
        offerKernelAtCall(s, site, ext, e);
      } else if (api != null && api.api.gfpArg() < 0) {
        offer(s, -1, directLink(site, api, null));
      } else if (api != null) {
        Expr arg = argument(site, api.api.gfpArg());
        Gfp.Verdict v = arg == null ? null : Gfp.of(arg, e, site.call().macro());
        // The caller's own parameter deciding a ternary is an unknown condition: one blocking
        // arm counts, as in Gfp.
        if (v != null
            && (v.kind() == Gfp.Kind.BLOCKS
                || v.kind() == Gfp.Kind.WHEN_PARAM_TRUE
                || v.kind() == Gfp.Kind.WHEN_PARAM_FALSE)) {
          offer(s, -1, directLink(site, api, v));
        } else if (v != null && v.kind() == Gfp.Kind.BLOCKS_OUTSIDE_INTERRUPT) {
          offer(s, -1, outsideInterrupt(directLink(site, api, v)));
        }
      }
    }
    return chainsOf(s.always);
  }

  /** As {@link #offerThrough}, for a query at a call site: an unknown condition counts. */
  private void offerAtCall(
      Summary s,
      CallSite site,
      FunctionRef target,
      int calleeKey,
      Link[] links,
      Operand o,
      Expr arg,
      ValueEvaluator e) {
    Summary callee = summaries.get(target);
    int mode = calleeKey % MODES;
    SleepStep step;
    if (mode == GFP) {
      Gfp.Verdict v = Gfp.of(arg, e, site.call().macro());
      if (v.kind() == Gfp.Kind.BLOCKS_OUTSIDE_INTERRUPT) {
        for (Link l : links) {
          if (l != null) offer(s, -1, outsideInterrupt(new Link(callStep(site, target, v), l)));
        }
      }
      if (v.kind() != Gfp.Kind.BLOCKS) return;
      step = callStep(site, target, v);
    } else {
      // An unknown condition counts, as one blocking arm of a ternary does (Gfp), but the chain
      // is then conditional on it.
      long mask =
          callee.masks != null && callee.masks.containsKey(calleeKey)
              ? callee.masks.get(calleeKey)
              : 0;
      if (ruledOut(mode, mask, arg, e)) return;
      step = operandStep(site, target, o, arg, e);
      if (!decided(mode, arg, e)) {
        String c =
            mode == WHEN_TRUE || mode == WHEN_FALSE
                ? truthCondition(target, o, arg, mode)
                : operandCondition(arg, mode, mask);
        for (Link l : links) {
          if (l != null) offer(s, -1, new Link(step, l).under(plus(List.of(), c)));
        }
        return;
      }
    }
    for (Link l : links) {
      if (l != null) offer(s, -1, new Link(step, l));
    }
  }

  /** Whether the caller's argument value decides a condition of {@code mode} on it. */
  private static boolean decided(int mode, Expr arg, ValueEvaluator ev) {
    if (mode == WHEN_TRUE || mode == WHEN_FALSE) return truth(arg, ev, null).value != null;
    return ev.eval(arg) != null;
  }

  /**
   * How a chain's condition on the argument {@code arg} reads in the caller's terms ("(*mode) &
   * 0x1", "cmd == 3", "!((*mode) & 0x1)"), for a caller whose argument does not decide it.
   */
  private static String operandCondition(Expr arg, int mode, long value) {
    String a = operandText(arg);
    return switch (mode) {
      case MASK_SET -> a + " & 0x" + Long.toHexString(value);
      case MASK_CLEAR -> "!(" + a + " & 0x" + Long.toHexString(value) + ")";
      default -> a + " == " + value;
    };
  }

  /**
   * "!(n - 1)", "wait": a truth condition on the argument the caller does not decide; null for a
   * pointer the callee only checks for NULL before it does its work (the normal path, not a
   * condition).
   */
  private static String truthCondition(FunctionRef target, Operand o, Expr arg, int mode) {
    String a = operandText(arg);
    if (mode == WHEN_TRUE) {
      List<VarDecl> ps = target.def().params();
      boolean pointer =
          o.field() == null
              && o.param() < ps.size()
              && CallConditions.isPointer(ps.get(o.param()).type());
      return pointer ? null : a;
    }
    return "!" + a;
  }

  /** An argument's text, parenthesised unless it is a name, a member or a call. */
  private static String operandText(Expr arg) {
    Expr e = stripCasts(arg);
    String t = ExprText.of(e);
    return e instanceof Expr.Ident
            || e instanceof Expr.Member
            || e instanceof Expr.Call
            || e instanceof Expr.Opaque
        ? t
        : "(" + t + ")";
  }

  /**
   * The chains {@code fn} itself starts whatever its arguments (the first step is a call in its
   * body), as {@link #chainsForCall} orders them. Empty for functions outside the program.
   */
  public List<SleepChain> chainsOf(FunctionRef fn) {
    Summary s = summaries.get(program.canonical(fn));
    return s == null ? List.of() : chainsOf(s.always);
  }

  /** The gfp parameters of {@code fn} that decide whether it sleeps, ascending. */
  public List<Integer> gfpParams(FunctionRef fn) {
    Summary s = summaries.get(program.canonical(fn));
    if (s == null || s.byParam == null) return List.of();
    List<Integer> out = new ArrayList<>();
    for (int k : s.byParam.keySet()) {
      if (k % MODES == GFP) out.add(k / MODES);
    }
    return out;
  }

  /**
   * The parameters of {@code fn} whose truth decides whether it sleeps ({@code can_sleep ?
   * GFP_KERNEL : GFP_ATOMIC}), ascending.
   */
  public List<Integer> conditionParams(FunctionRef fn) {
    Summary s = summaries.get(program.canonical(fn));
    if (s == null || s.byParam == null) return List.of();
    TreeSet<Integer> out = new TreeSet<>();
    for (int k : s.byParam.keySet()) {
      if (k % MODES != GFP) out.add(operandOf(k / MODES).param());
    }
    return List.copyOf(out);
  }

  /**
   * Per category: the conditional chains (vfree, dma_free_coherent) shorter than the unconditional
   * one, shortest first, then the unconditional one.
   */
  private static List<SleepChain> chainsOf(Link[] slots) {
    List<SleepChain> out = new ArrayList<>();
    int k = CONDITIONS.length;
    for (int c = 0; c < CATEGORIES.length; c++) {
      Link plain = slots[k * c + SleepApis.Condition.ALWAYS.ordinal()];
      List<Link> conditional = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        Link l = slots[k * c + i];
        if (l != null && l != plain && (plain == null || compare(l, plain) < 0)) {
          conditional.add(l);
        }
      }
      conditional.sort(SleepSummaries::compare);
      for (Link l : conditional) out.add(l.toChain());
      if (plain != null) out.add(plain.toChain());
    }
    return out;
  }

  // ---------------------------------------------------------------- kernel summaries

  /**
   * The kernel summary answering for a call the program has no body and the tables no row for, or
   * null.
   */
  private KernelSummaries.Function external(CallSite site) {
    if (kernel.isEmpty()) return null;
    String name = site.call().calleeName();
    int argc = site.call().args().size();
    if (name == null || apis.covers(name, argc)) return null;
    return kernel.lookup(name, argc, site.call().range().file());
  }

  /** As the API branch of {@link #summarise}, for a call answered by a kernel summary. */
  private void offerKernel(
      Summary s,
      int when,
      FunctionRef fn,
      CallSite site,
      KernelSummaries.Function ext,
      List<String> own,
      ValueEvaluator[] ev) {
    for (KernelSummaries.Chain ch : ext.chains()) {
      if (ch.gfpParam() < 0) {
        if (ch.when() == KernelSummaries.When.ALWAYS) {
          offer(s, when, kernelLink(site, ext, ch, null).under(own));
          continue;
        }
        if (ev[0] == null) ev[0] = evaluators.apply(fn.unit(), fn.def());
        if (kernelRuledOut(site, ch, ev[0])) continue;
        int k = kernelKey(s, fn, site, ch, when, ev[0]);
        // Passed on to the caller's own parameter, its callers decide; else it is undecided.
        List<String> conds =
            k != when || kernelDecided(site, ch, ev[0]) ? own : plus(own, kernelCondition(ext, ch));
        offer(s, k, kernelLink(site, ext, ch, null).under(conds));
        continue;
      }
      Expr arg = argument(site, ch.gfpParam());
      if (arg == null) continue;
      Gfp.Verdict v = verdict(fn, site, arg, ev);
      if (v.kind() != Gfp.Kind.NO_BLOCK && v.kind() != Gfp.Kind.UNKNOWN) {
        offerGfp(s, when, v, kernelLink(site, ext, ch, v).under(own));
      }
    }
  }

  private static boolean kernelDecided(CallSite site, KernelSummaries.Chain ch, ValueEvaluator ev) {
    Expr arg = argument(site, ch.param());
    return arg != null && decided(kernelMode(ch), arg, ev);
  }

  /**
   * A kernel chain's condition on the function's argument, as the message names it ("argument 2 ==
   * -517"); null for a truth test, which the summaries record mostly for NULL checks of pointers
   * (the normal path).
   */
  private static String kernelCondition(KernelSummaries.Function ext, KernelSummaries.Chain ch) {
    String name = ext.name() + "() argument " + (ch.param() + 1);
    return switch (ch.when()) {
      case TRUE -> null;
      case FALSE -> name + " == 0";
      case MASK_SET -> name + " & 0x" + Long.toHexString(ch.value());
      case MASK_CLEAR -> "!(" + name + " & 0x" + Long.toHexString(ch.value()) + ")";
      default -> name + " == " + ch.value();
    };
  }

  /** As {@link #chainsForCall} answers a sleeping API, for a call answered by a kernel summary. */
  private void offerKernelAtCall(
      Summary s, CallSite site, KernelSummaries.Function ext, ValueEvaluator e) {
    for (KernelSummaries.Chain ch : ext.chains()) {
      if (ch.gfpParam() < 0) {
        if (kernelRuledOut(site, ch, e)) continue;
        Link l = kernelLink(site, ext, ch, null);
        if (ch.when() != KernelSummaries.When.ALWAYS && !kernelDecided(site, ch, e)) {
          l = l.under(plus(List.of(), kernelCondition(ext, ch)));
        }
        offer(s, -1, l);
        continue;
      }
      Expr arg = argument(site, ch.gfpParam());
      if (arg == null) continue;
      Gfp.Verdict v = Gfp.of(arg, e, site.call().macro());
      if (v.kind() == Gfp.Kind.BLOCKS
          || v.kind() == Gfp.Kind.WHEN_PARAM_TRUE
          || v.kind() == Gfp.Kind.WHEN_PARAM_FALSE) {
        offer(s, -1, kernelLink(site, ext, ch, v));
      } else if (v.kind() == Gfp.Kind.BLOCKS_OUTSIDE_INTERRUPT) {
        offer(s, -1, outsideInterrupt(kernelLink(site, ext, ch, v)));
      }
    }
  }

  /**
   * Whether the caller's argument rules out a kernel chain that happens only when the kernel
   * function's parameter passes its test (the function's own checks); an unknown value counts, as
   * at any call site.
   */
  private static boolean kernelRuledOut(
      CallSite site, KernelSummaries.Chain ch, ValueEvaluator ev) {
    if (ch.when() == KernelSummaries.When.ALWAYS) return false;
    Expr arg = argument(site, ch.param());
    if (arg == null) return true;
    return ruledOut(kernelMode(ch), ch.value(), arg, ev);
  }

  private static int kernelMode(KernelSummaries.Chain ch) {
    return switch (ch.when()) {
      case TRUE -> WHEN_TRUE;
      case FALSE -> WHEN_FALSE;
      case MASK_SET -> MASK_SET;
      case MASK_CLEAR -> MASK_CLEAR;
      default -> EQUALS;
    };
  }

  /**
   * The key a conditional kernel chain gets in the caller's summary, as {@link #offerThrough} keys
   * a program callee's: the caller's own parameter's condition when it passes one on (its callers
   * decide), else the call's own guard {@code when}.
   */
  private int kernelKey(
      Summary s,
      FunctionRef fn,
      CallSite site,
      KernelSummaries.Chain ch,
      int when,
      ValueEvaluator ev) {
    Expr arg = argument(site, ch.param());
    int mode = kernelMode(ch);
    if (mode == MASK_CLEAR || mode == MASK_SET || mode == EQUALS) {
      int q = ev.eval(arg) == null ? paramIndex(fn.def(), arg) : -1;
      return q >= 0 ? maskKey(s, q, mode, ch.value()) : when;
    }
    Truth t = truth(arg, ev, fn.def());
    if (t.param < 0 || (t.onlyTrue && mode != WHEN_TRUE)) return when;
    boolean whenTrue = (mode == WHEN_TRUE) != t.negated;
    return key(t.param, whenTrue ? WHEN_TRUE : WHEN_FALSE);
  }

  /** A one-step chain at the call site whose message carries the kernel's chain. */
  private Link kernelLink(
      CallSite site, KernelSummaries.Function ext, KernelSummaries.Chain ch, Gfp.Verdict v) {
    String call = callText(site, ext.name(), ch.gfpParam(), v);
    String message = KernelSummaryText.step(call, kernel.label(), ext, ch, v);
    Link l =
        new Link(
            new SleepStep(site.call().range(), message),
            ch.category(),
            ext.name(),
            ch.condition(),
            KernelSummaryText.gist(kernel.label(), ch, v));
    // Conditions inside the kernel's functions: the summary's own text, in the kernel's terms.
    return l.under(ch.conditions());
  }

  // ---------------------------------------------------------------- APIs and messages

  public record ApiCall(SleepApis.Api api, String name) {}

  private ApiCall apiOf(CallSite site) {
    return apiOf(apis, site);
  }

  /** The sleeping API a call names: its callee, else the macro it came from (wait_event). */
  public static ApiCall apiOf(SleepApis apis, CallSite site) {
    Expr.Call call = site.call();
    String callee = call.calleeName();
    int argc = call.args().size();
    if (callee != null) {
      SleepApis.Api api = apis.lookup(callee, argc);
      if (api != null) return new ApiCall(api, callee);
    }
    String macro = call.macro();
    if (macro != null && !macro.equals(callee)) {
      SleepApis.Api api = apis.lookup(macro, argc);
      // A gfp index is about the macro's arguments, which the expansion may have reordered.
      if (api != null && api.gfpArg() < 0) return new ApiCall(api, macro);
    }
    return null;
  }

  private static Expr argument(CallSite site, int index) {
    List<Expr> args = site.call().args();
    return index >= 0 && index < args.size() ? args.get(index) : null;
  }

  private static Link directLink(CallSite site, ApiCall api, Gfp.Verdict v) {
    return new Link(
        new SleepStep(site.call().range(), directMessage(site, api, v)),
        api.api.category(),
        api.name,
        api.api.condition());
  }

  /** "kzalloc(sizeof(*ev), GFP_KERNEL) may sleep: GFP_KERNEL allows direct reclaim". */
  public static String directMessage(CallSite site, ApiCall api, Gfp.Verdict v) {
    String call = callText(site, api.name, api.api.gfpArg(), v);
    String message;
    if (v == null) {
      if (api.api.condition() == SleepApis.Condition.UNLESS_IN_INTERRUPT) {
        message = call + " may sleep outside interrupt context";
      } else if (api.api.condition() == SleepApis.Condition.IRQS_OFF_OR_IN_INTERRUPT) {
        message = call + " must not run with interrupts disabled or in interrupt context";
      } else if (api.api.category() == SleepCategory.VMALLOC) {
        message = call + " may sleep: the vmalloc family always may, whatever the flags";
      } else {
        message = call + " may sleep";
      }
    } else {
      String what = api.api.vmallocFallback() ? "the vmalloc fallback" : "direct reclaim";
      message =
          v.kind() == Gfp.Kind.PARAMS
              ? call + " may sleep when " + v.reason() + " allows " + what
              : call + " may sleep: " + v.reason() + " allows " + what;
    }
    return message;
  }

  private static SleepStep callStep(CallSite site, FunctionRef target, Gfp.Verdict v) {
    String message = "calls " + target.name() + "()";
    if (v != null) message += " with " + v.reason();
    String flags = v == null || v.kind() == Gfp.Kind.PARAMS ? null : v.reason();
    return new SleepStep(site.call().range(), message, flags);
  }

  /**
   * "calls alloc_buf() with can_sleep = 1": the callee's parameter decides a ternary; a value the
   * evaluator knows follows a name that hides it ("flags = CD_NOSEND | CD_WAIT (0x3)").
   */
  private static SleepStep conditionStep(
      CallSite site, FunctionRef target, Operand o, Expr arg, ValueEvaluator ev) {
    List<VarDecl> ps = target.def().params();
    int param = o.param();
    String name = param < ps.size() ? ps.get(param).name() : "argument " + (param + 1);
    if (o.field() != null) name += "->" + o.field();
    String value =
        arg.macro() != null && !arg.macro().equals(site.call().macro())
            ? arg.macro()
            : ExprText.of(arg);
    value += knownValue(arg, value, ev);
    return new SleepStep(
        site.call().range(), "calls " + target.name() + "() with " + name + " = " + value);
  }

  /** " (0x3)", " (-517)" after a text that names a value the evaluator knows; else "". */
  private static String knownValue(Expr arg, String text, ValueEvaluator ev) {
    if (ev == null || text.matches("-?[0-9]+|true|false|NULL")) return "";
    CValue v = ev.eval(arg);
    if (v == null || v.value().bitLength() > 63) return "";
    long x = v.value().longValue();
    boolean bits =
        text.contains("|") || text.contains("&") || text.contains("<<") || text.contains("BIT");
    return bits && x >= 0 ? " (0x" + Long.toHexString(x) + ")" : " (" + x + ")";
  }

  /** {@code kzalloc(sizeof(*(p)), GFP_KERNEL)}, with the gfp argument as the source names it. */
  private static String callText(CallSite site, String name, int gfpArg, Gfp.Verdict v) {
    StringBuilder sb = new StringBuilder(name).append('(');
    List<Expr> args = site.call().args();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) sb.append(", ");
      String a =
          i == gfpArg && v != null ? v.text() : ExprText.of(args.get(i), site.call().macro());
      sb.append(a.length() > MAX_ARG_TEXT ? a.substring(0, MAX_ARG_TEXT - 3) + "..." : a);
    }
    return sb.append(')').toString();
  }
}
