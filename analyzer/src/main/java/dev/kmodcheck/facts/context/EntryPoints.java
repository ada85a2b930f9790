package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.RegistrationTable;
import dev.kmodcheck.kernel.RegistrationTable.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds atomic entry points at their registration: calls such as request_irq(irq, handler, ...),
 * timer_setup(t, fn, 0), tasklet_setup(t, fn), and initialisers of ops structures such as {@code
 * struct net_device_ops .ndo_start_xmit = fn} (also when the struct is initialised in another
 * file), from the data table callback-apis.tsv.
 *
 * <p>A callback is named in the initializer or argument; it is resolved with the linkage of the
 * unit that holds that text, so a static handler of another file with the same name is never
 * mistaken for it. Function pointers held in variables are not followed (unknown target).
 */
public final class EntryPoints {
  private EntryPoints() {}

  /** Sorted by function then registration site; a function may appear several times. */
  public static List<EntryPoint> find(Program program) {
    Finder f = new Finder(program);
    for (RegistrationGlobals.Global g : f.globals.all()) {
      f.initializer(g.unit(), g.decl().name(), g.decl().type(), g.decl().init());
    }
    for (FunctionRef fn : program.functions()) f.function(fn);
    Map<FunctionRef, Integer> order = new IdentityHashMap<>();
    for (FunctionRef fn : program.functions()) order.put(fn, order.size());
    f.found.sort(
        Comparator.comparing((EntryPoint e) -> order.getOrDefault(e.function(), -1))
            .thenComparing(EntryPoint::registeredAt)
            .thenComparing(EntryPoint::context)
            .thenComparing(EntryPoint::how));
    List<EntryPoint> out = new ArrayList<>();
    for (EntryPoint e : f.found) {
      if (out.isEmpty() || !same(out.get(out.size() - 1), e)) out.add(e);
    }
    return List.copyOf(out);
  }

  private static boolean same(EntryPoint a, EntryPoint b) {
    return a.function() == b.function()
        && a.context() == b.context()
        && a.registeredAt().equals(b.registeredAt())
        && a.how().equals(b.how());
  }

  private static final class Finder {
    private final Program program;
    private final RegistrationTable table;
    private final RegistrationGlobals globals;
    private final CallbackValues values;
    private final List<EntryPoint> found = new ArrayList<>();
    private final Map<FunctionRef, Body> bodies = new IdentityHashMap<>();

    /**
     * Module functions that pass a parameter of their own straight to a registration API, by
     * parameter index: a driver's {@code drv_init_timer(t, fn)} around {@code timer_setup(t, fn,
     * 0)} registers its callers' {@code fn}, as the API would. Also a function that stores its
     * parameter in a struct field and registers a trampoline of its own which calls through that
     * field: rtl8812au's {@code _init_timer(t, nic, pfunc, ctx)} sets {@code t->function = pfunc}
     * and registers {@code timer_hdl}, which calls {@code t->function(t->arg)}; the stored function
     * runs where the trampoline runs.
     */
    private final Map<FunctionRef, Map<Integer, Row>> wrappers = new IdentityHashMap<>();

    Finder(Program program) {
      this.program = program;
      // The scan's table: the shipped rows plus a project's own registration functions.
      this.table = program.knowledge().callbackApis();
      this.globals = new RegistrationGlobals(program);
      this.values = new CallbackValues(program, globals);
      findWrappers();
    }

    /** Wrappers, and wrappers of wrappers, to a fixed point (bounded: call chains are short). */
    private void findWrappers() {
      for (int round = 0; round < 4; round++) {
        boolean changed = false;
        for (FunctionRef fn : program.functions()) {
          List<VarDecl> params = fn.def().params();
          if (params.isEmpty()) continue;
          for (CallSite site : program.callSites(fn)) {
            Expr.Call call = site.call();
            for (Map.Entry<Integer, Row> inner : registrationsOf(fn, call).entrySet()) {
              int at = inner.getKey();
              if (at >= call.args().size()) continue;
              Row row = inner.getValue();
              Expr arg = call.args().get(at);
              String where = fn.name() + "() at " + call.range().shortText();
              int param = paramIndex(params, arg);
              if (param >= 0) {
                changed |= wrap(fn, param, row, row.name() + " in " + where);
              } else {
                FunctionRef trampoline = values.functionOf(fn.unit(), arg);
                if (trampoline != null) {
                  String api = row.name() + " of " + trampoline.name() + "() in " + where;
                  changed |= trampoline(fn, trampoline, row, api);
                }
              }
            }
          }
          // The old timer API: the trampoline assigned to the timer's own .function field.
          for (Expr.Binary b : body(fn).assignments()) {
            if (table.assigns(((Expr.Member) b.left()).field()).isEmpty()) continue;
            FunctionRef trampoline = values.functionOf(fn.unit(), b.right());
            if (trampoline == null) continue;
            String api =
                "."
                    + ((Expr.Member) b.left()).field()
                    + " = "
                    + trampoline.name()
                    + " in "
                    + fn.name()
                    + "() at "
                    + b.range().shortText();
            for (Row row : assigned(fn, b, trampoline, program.callSites(fn))) {
              changed |= trampoline(fn, trampoline, row, api);
            }
          }
        }
        if (!changed) return;
      }
    }

    /** Records that {@code fn} registers its parameter {@code param} by {@code row}. */
    private boolean wrap(FunctionRef fn, int param, Row row, String api) {
      Map<Integer, Row> own = wrappers.computeIfAbsent(fn, k -> new TreeMap<>());
      if (own.containsKey(param)) return false;
      own.put(
          param,
          new Row(
              RegistrationTable.Form.CALL,
              fn.name(),
              param,
              null,
              row.kind(),
              row.how().replace("{api}", api),
              row.citation()));
      return true;
    }

    /**
     * {@code fn} registers {@code trampoline} by {@code row}: each parameter of {@code fn} stored
     * in a struct field the trampoline calls through is registered by {@code fn} as well.
     */
    private boolean trampoline(FunctionRef fn, FunctionRef trampoline, Row row, String api) {
      List<VarDecl> params = fn.def().params();
      boolean changed = false;
      for (Expr.Binary b : body(fn).assignments()) {
        int param = paramIndex(params, b.right());
        if (param < 0) continue;
        Expr.Member stored = (Expr.Member) b.left();
        String tag = values.structs(fn.unit()).objectTag(stored);
        Expr.Call through = callThrough(trampoline, stored.field(), tag);
        if (through == null) continue;
        String how =
            api
                + ", which calls it through "
                + ExprKey.of(through.callee())
                + " at "
                + through.range().shortText();
        changed |= wrap(fn, param, row, how);
      }
      return changed;
    }

    /**
     * The first call in {@code fn} through the member {@code field} of a struct tagged {@code tag}
     * ({@code t->function(t->arg)}, {@code (*t->function)(...)}), or null. An unknown struct type
     * on either side matches by the field's name.
     */
    private Expr.Call callThrough(FunctionRef fn, String field, String tag) {
      Expr.Call[] first = new Expr.Call[1];
      IrWalk.calls(
          fn.def().body(),
          c -> {
            if (first[0] != null) return;
            Expr callee = strip(c.callee());
            if (callee instanceof Expr.Unary u && u.op().equals("*")) callee = strip(u.operand());
            if (!(callee instanceof Expr.Member m) || !m.field().equals(field)) return;
            String owner = values.structs(fn.unit()).objectTag(m);
            if (tag == null || owner == null || tag.equals(owner)) first[0] = c;
          });
      return first[0];
    }

    /** Callback argument index to row, for a call of a table API or of a known wrapper. */
    private Map<Integer, Row> registrationsOf(FunctionRef caller, Expr.Call call) {
      Row row = table.call(call.calleeName());
      if (row == null && call.macro() != null) row = table.call(call.macro());
      if (row != null) return row.field() == null ? Map.of(row.index(), row) : Map.of();
      String name = call.calleeName();
      FunctionRef callee = name == null ? null : program.resolve(caller, name);
      Map<Integer, Row> w = callee == null ? null : wrappers.get(program.canonical(callee));
      return w == null ? Map.of() : w;
    }

    /** The index of the parameter an argument names as is ({@code fn}, a cast of it), or -1. */
    private static int paramIndex(List<VarDecl> params, Expr arg) {
      Expr x = strip(arg);
      if (!(x instanceof Expr.Ident id) || id.kind() == Expr.IdKind.FUNCTION) return -1;
      for (int i = 0; i < params.size(); i++) {
        if (id.name().equals(params.get(i).name())) return i;
      }
      return -1;
    }

    /**
     * What registrations are read from in a body: assignments to a struct member, local
     * declarations, compound literals.
     */
    private record Body(
        List<Expr.Binary> assignments, List<VarDecl> locals, List<Expr.CompoundLiteral> literals) {}

    /** One walk per function, shared by the wrapper search and the registration pass. */
    private Body body(FunctionRef fn) {
      Body cached = bodies.get(fn);
      if (cached != null) return cached;
      List<Expr.Binary> assignments = new ArrayList<>();
      List<VarDecl> locals = new ArrayList<>();
      List<Expr.CompoundLiteral> literals = new ArrayList<>();
      IrWalk.expressions(
          fn.def().body(),
          e -> {
            if (e instanceof Expr.Binary b
                && b.op().equals("=")
                && b.left() instanceof Expr.Member) {
              assignments.add(b);
            } else if (e instanceof Expr.CompoundLiteral c) {
              literals.add(c);
            }
          },
          locals::add);
      Body body = new Body(assignments, locals, literals);
      bodies.put(fn, body);
      return body;
    }

    /** Registrations inside one function body: calls, field assignments, local initializers. */
    void function(FunctionRef fn) {
      TranslationUnit unit = fn.unit();
      Body body = body(fn);
      // The registration pass visits each function once; the wrapper search no longer needs it.
      bodies.remove(fn);
      for (VarDecl v : body.locals()) {
        if (v.init() != null) initializer(unit, v.name(), v.type(), v.init());
      }
      for (Expr.CompoundLiteral c : body.literals()) {
        initializer(unit, "a compound literal", c.type(), c.init());
      }
      List<CallSite> sites = program.callSites(fn);
      for (CallSite site : sites) call(fn, site, body.assignments(), body.locals());
      for (Expr.Binary b : body.assignments()) assignment(fn, b, sites, body.locals());
    }

    private void call(
        FunctionRef fn, CallSite site, List<Expr.Binary> assignments, List<VarDecl> locals) {
      Expr.Call call = site.call();
      // In build-aware mode timer_setup is a macro around init_timer_key with the same argument
      // positions; the expanded call carries the macro's name.
      Row row = table.call(call.calleeName());
      String api = call.calleeName();
      if (row == null && call.macro() != null) {
        row = table.call(call.macro());
        api = call.macro();
      }
      if (row == null) {
        FunctionRef callee =
            call.calleeName() == null ? null : program.resolve(fn, call.calleeName());
        Map<Integer, Row> wrapped = callee == null ? null : wrappers.get(program.canonical(callee));
        if (wrapped != null) {
          for (Row w : wrapped.values()) {
            if (w.index() < call.args().size()) {
              register(fn, call, w, callee.name(), assignments, locals);
            }
          }
          return;
        }
        kernelCallback(fn, call, assignments, locals);
        return;
      }
      if (row.index() >= call.args().size()) return;
      register(fn, call, row, api, assignments, locals);
    }

    /**
     * A call of a kernel function without a body here and without a table row, whose kernel summary
     * says it registers one of its parameters as an atomic callback ({@code pci_request_irq()}
     * passes its handler to {@code request_threaded_irq()}).
     */
    private void kernelCallback(
        FunctionRef fn, Expr.Call call, List<Expr.Binary> assignments, List<VarDecl> locals) {
      String name = call.calleeName();
      if (name == null || program.resolve(fn, name) != null) return;
      KernelSummaries summaries = program.knowledge().kernelSummaries();
      KernelSummaries.Function f = summaries.lookup(name, call.args().size(), call.range().file());
      if (f == null || f.callbacks().isEmpty()) return;
      for (KernelSummaries.Callback cb : f.callbacks()) {
        if (cb.param() >= call.args().size()) continue;
        StringBuilder chain = new StringBuilder();
        chain.append(name).append(" at ").append(f.file()).append(':').append(f.line());
        for (KernelSummaries.Call c : cb.calls()) {
          chain
              .append(" -> ")
              .append(c.callee())
              .append("() at ")
              .append(c.file())
              .append(':')
              .append(c.line());
        }
        chain
            .append(" -> ")
            .append(cb.api())
            .append("() at ")
            .append(cb.file())
            .append(':')
            .append(cb.line());
        String how =
            cb.how()
                + " through "
                + name
                + "() (kernel "
                + summaries.label()
                + " summary: "
                + chain
                + ")";
        Row row =
            new Row(
                RegistrationTable.Form.CALL,
                name,
                cb.param(),
                cb.field(),
                cb.kind(),
                how.replace("{api}", name),
                "kernel " + summaries.label() + " summary");
        register(fn, call, row, name, assignments, locals);
      }
    }

    private void register(
        FunctionRef fn,
        Expr.Call call,
        Row row,
        String api,
        List<Expr.Binary> assignments,
        List<VarDecl> locals) {
      Expr arg = call.args().get(row.index());
      if (row.field() == null) {
        for (CallbackValues.Value v : values.of(fn, arg, locals)) {
          String via = v.via() == null ? api : api + " from " + v.via();
          add(v.function(), row, call.range(), via, null);
        }
        return;
      }
      // The callback sits in a struct passed by address: its initializer, or an assignment to
      // the same object in this function.
      String object = objectKeyOfPointer(arg);
      for (Expr.Binary b : assignments) {
        Expr.Member m = (Expr.Member) b.left();
        if (m.field().equals(row.field()) && object.equals(objectKey(m))) {
          add(functionOf(fn.unit(), b.right()), row, call.range(), api, null);
        }
      }
      Expr target = strip(arg);
      if (target instanceof Expr.Unary u
          && u.op().equals("&")
          && strip(u.operand()) instanceof Expr.Ident id) {
        for (VarDecl v : locals) {
          if (v.name().equals(id.name()) && v.init() != null) {
            add(functionOf(fn.unit(), field(v.init(), row.field())), row, call.range(), api, null);
            return;
          }
        }
        RegistrationGlobals.Global g = globals.resolve(fn.unit(), id.name());
        if (g != null) {
          add(
              functionOf(g.unit(), field(g.decl().init(), row.field())),
              row,
              call.range(),
              api,
              null);
        }
      }
    }

    private void assignment(
        FunctionRef fn, Expr.Binary b, List<CallSite> sites, List<VarDecl> locals) {
      Expr.Member m = (Expr.Member) b.left();
      if (table.assigns(m.field()).isEmpty()) return;
      for (CallbackValues.Value v : values.of(fn, b.right(), locals)) {
        String api = "." + m.field() + (v.via() == null ? "" : " = " + v.via());
        for (Row row : assigned(fn, b, v.function(), sites)) {
          add(v.function(), row, b.range(), api, null);
        }
      }
    }

    /** The rows by which the assignment {@code b} of {@code callback} registers it. */
    private List<Row> assigned(
        FunctionRef fn, Expr.Binary b, FunctionRef callback, List<CallSite> sites) {
      Expr.Member m = (Expr.Member) b.left();
      List<Row> rows = table.assigns(m.field());
      if (rows.isEmpty()) return List.of();
      // The object's struct type says what the field is; when the frontend does not know it
      // (an undefined struct in header-less mode), the callback's parameter type does.
      String owner = values.structs(fn.unit()).objectTag(m);
      String tag = owner != null ? owner : firstParamPointee(callback);
      List<Row> out = new ArrayList<>();
      for (Row row : rows) {
        if (!row.field().equals(tag)) continue;
        Row effective = row;
        if (tag.equals("hrtimer") && softHrtimer(objectKey(m), sites)) {
          effective =
              new Row(
                  row.form(),
                  row.name(),
                  row.index(),
                  row.field(),
                  AtomicKind.SOFTIRQ,
                  "{fn} is set as an hrtimer callback ({api}) of a HRTIMER_MODE_*_SOFT timer, "
                      + "run in softirq context",
                  row.citation());
        }
        out.add(effective);
      }
      return out;
    }

    /**
     * hrtimer callbacks run in hard IRQ context unless the timer was initialised with a
     * HRTIMER_MODE_*_SOFT mode (docs/kernel-facts.md §4.6); only hrtimer_init of the same object in
     * the same function is taken into account.
     */
    private static boolean softHrtimer(String object, List<CallSite> sites) {
      for (CallSite s : sites) {
        Expr.Call c = s.call();
        if (!"hrtimer_init".equals(s.name()) || c.args().size() < 3) continue;
        if (object.equals(objectKeyOfPointer(c.args().get(0)))
            && ExprKey.of(c.args().get(2)).contains("SOFT")) {
          return true;
        }
      }
      return false;
    }

    /** A designated initializer of a struct type the table knows: ops structs, DECLARE_TASKLET. */
    void initializer(TranslationUnit unit, String var, CType type, Expr init) {
      CType t = unwrap(type);
      if (t instanceof CType.Array a && init instanceof Expr.InitList list) {
        for (Expr.Designated d : list.items()) initializer(unit, var, a.element(), d.value());
        return;
      }
      if (!(t instanceof CType.Record r) || r.tag() == null) return;
      if (!(init instanceof Expr.InitList list)) return;
      for (Row row : table.inits(r.tag())) {
        for (Expr.Designated d : list.items()) {
          if (d.designators().equals(List.of("." + row.field()))) {
            add(functionOf(unit, d.value()), row, d.value().range(), row.field(), var);
          }
        }
      }
    }

    private void add(FunctionRef callback, Row row, SrcRange at, String api, String var) {
      if (callback == null) return;
      FunctionRef fn = program.canonical(callback);
      String how =
          row.how()
              .replace("{fn}", fn.name())
              .replace("{api}", api)
              .replace("{var}", var == null ? "" : var);
      found.add(new EntryPoint(fn, row.kind(), at, how));
    }

    private FunctionRef functionOf(TranslationUnit unit, Expr e) {
      return values.functionOf(unit, e);
    }
  }

  private static Expr field(Expr init, String field) {
    if (!(init instanceof Expr.InitList list)) return null;
    for (Expr.Designated d : list.items()) {
      if (d.designators().equals(List.of("." + field))) return d.value();
    }
    return null;
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }

  private static CType unwrap(CType t) {
    while (t instanceof CType.Typedef td && td.resolved() != null) t = td.resolved();
    return t;
  }

  /** The struct a callback's first parameter points to ("timer_list"), or "". */
  private static String firstParamPointee(FunctionRef fn) {
    List<VarDecl> params = fn.def().params();
    if (params.isEmpty()) return "";
    if (unwrap(params.get(0).type()) instanceof CType.Pointer p
        && unwrap(p.target()) instanceof CType.Record r
        && r.tag() != null) {
      return r.tag();
    }
    return "";
  }

  /** Canonical text of the object a member access reads: {@code a.f} -> a, {@code p->f} -> *p. */
  private static String objectKey(Expr.Member m) {
    return m.arrow() ? "*" + ExprKey.of(strip(m.base())) : ExprKey.of(strip(m.base()));
  }

  /** Canonical text of the object a pointer expression points to: {@code &a} -> a, p -> *p. */
  private static String objectKeyOfPointer(Expr e) {
    Expr x = strip(e);
    if (x instanceof Expr.Unary u && u.op().equals("&")) return ExprKey.of(strip(u.operand()));
    return "*" + ExprKey.of(x);
  }
}
