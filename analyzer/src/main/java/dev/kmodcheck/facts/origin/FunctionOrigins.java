package dev.kmodcheck.facts.origin;

import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.facts.ExprText;
import dev.kmodcheck.facts.Gfp;
import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.kernel.DmaSink;
import dev.kmodcheck.kernel.DmaSinks;
import dev.kmodcheck.kernel.KernelApis;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.OriginKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over one function body: what each pointer expression may hold (see {@link FlowValue}),
 * in source order, with the locals' values updated at each assignment and merged after branches. It
 * records into the {@link FlowGraph} the values that leave the function (stores into struct fields
 * and pointer globals, arguments of the program's functions, returns) and the buffers that reach a
 * DMA sink. Loops are walked once; gotos are ignored.
 */
final class FunctionOrigins {

  /** What the pass needs from the whole program. */
  interface Linker {
    /** The node key of {@code callee}'s parameter or return value, if it is a program function. */
    FunctionRef resolve(FunctionRef caller, String name);

    String paramNode(FunctionRef fn, int index);

    String returnNode(FunctionRef fn);

    /** The node of field {@code field} of the struct {@code tag} as seen from {@code fn}'s unit. */
    String fieldNode(FunctionRef fn, String tag, String field);

    /** The global variable {@code name} as {@code fn}'s unit sees it, or null if not a global. */
    VarDecl global(FunctionRef fn, String name);

    String globalNode(FunctionRef fn, String name);
  }

  /** What every function's pass shares: the catalogues, the linker and the graph it fills. */
  record Shared(
      KernelApis apis, DmaSinks sinks, Linker linker, FlowGraph graph, KernelSummaries kernel) {}

  private final FunctionRef fn;
  private final ValueEvaluator ev;
  private final KernelApis apis;
  private final DmaSinks sinks;
  private final Linker linker;
  private final FlowGraph graph;
  private final KernelSummaries kernel;
  private final String fnName;

  private Map<String, FlowValue> env = new HashMap<>();
  private final Map<String, VarDecl> locals = new HashMap<>();
  private final Map<String, VarDecl> params = new HashMap<>();
  private final List<FlowGraph.PendingUse> found = new ArrayList<>();

  /** The URB a use below hands its buffer to, as {@link #objectOf} keys it, or null. */
  private String urbObject;

  private final Map<FlowGraph.PendingUse, String> urbOfUse = new IdentityHashMap<>();
  private boolean checksVmalloc;
  private boolean checksStack;

  private FunctionOrigins(FunctionRef fn, ValueEvaluator ev, Shared shared) {
    this.fn = fn;
    this.ev = ev;
    this.apis = shared.apis();
    this.sinks = shared.sinks();
    this.linker = shared.linker();
    this.graph = shared.graph();
    this.kernel = shared.kernel();
    this.fnName = fn.name();
  }

  static void analyze(FunctionRef fn, ValueEvaluator ev, Shared shared) {
    FunctionOrigins pass = new FunctionOrigins(fn, ev, shared);
    Linker linker = shared.linker();
    FlowGraph graph = shared.graph();
    List<VarDecl> ps = fn.def().params();
    for (int i = 0; i < ps.size(); i++) {
      VarDecl p = ps.get(i);
      if (p.name() == null || p.name().isEmpty()) continue;
      pass.params.put(p.name(), p);
      pass.env.put(p.name(), FlowValue.node(linker.paramNode(fn, i)));
    }
    pass.stmt(fn.def().body());
    pass.dropUnmappedUrbTransfers();
    // A function that asks is_vmalloc_addr()/object_is_on_stack() handles that memory itself
    // (vmalloc_to_page per page, a bounce buffer): its sinks are marked, whatever the order.
    for (FlowGraph.PendingUse u : pass.found) {
      graph.use(
          new FlowGraph.PendingUse(
              u.function(),
              u.sink(),
              u.argIndex(),
              u.range(),
              u.buffer(),
              u.value(),
              pass.checksVmalloc,
              pass.checksStack));
    }
  }

  // ---------------------------------------------------------------- statements

  private void stmt(Stmt s) {
    if (s == null) return;
    if (s instanceof Stmt.Block b) {
      for (Stmt t : b.stmts()) stmt(t);
    } else if (s instanceof Stmt.ExprStmt e) {
      val(e.expr());
    } else if (s instanceof Stmt.Decl d) {
      for (VarDecl v : d.vars()) declare(v);
    } else if (s instanceof Stmt.If i) {
      // Each arm starts from the state before the if; afterwards a local holds either arm's value.
      val(i.cond());
      Map<String, FlowValue> before = env;
      env = new HashMap<>(before);
      stmt(i.then());
      Map<String, FlowValue> afterThen = env;
      env = new HashMap<>(before);
      stmt(i.otherwise());
      env = join(afterThen, env);
    } else if (s instanceof Stmt.While w) {
      val(w.cond());
      maybe(w.body(), null);
    } else if (s instanceof Stmt.DoWhile d) {
      stmt(d.body());
      val(d.cond());
    } else if (s instanceof Stmt.For f) {
      stmt(f.init());
      val(f.cond());
      maybe(f.body(), f.step());
    } else if (s instanceof Stmt.Switch sw) {
      val(sw.selector());
      maybe(sw.body(), null);
    } else if (s instanceof Stmt.Return r) {
      if (r.value() != null) {
        FlowValue v = val(r.value());
        graph.edge(
            v, linker.returnNode(fn), new OriginStep(r.range(), "returned by " + fnName + "()"));
      }
    } else if (s instanceof Stmt.Label l) {
      stmt(l.body());
    }
  }

  /**
   * Code that may run zero times (a loop body walked once, then the loop's {@code step}, or a
   * switch body): afterwards the locals hold their values from before it or after it.
   */
  private void maybe(Stmt body, Expr step) {
    Map<String, FlowValue> before = env;
    env = new HashMap<>(before);
    stmt(body);
    val(step);
    env = join(before, env);
  }

  private static Map<String, FlowValue> join(Map<String, FlowValue> a, Map<String, FlowValue> b) {
    Map<String, FlowValue> out = new HashMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, FlowValue::or));
    return out;
  }

  private void declare(VarDecl v) {
    if (v.name() == null) return;
    locals.put(v.name(), v);
    params.remove(v.name());
    env.remove(v.name());
    if (v.init() == null) return;
    if (v.init() instanceof Expr.InitList list) {
      initFields(v.type(), list, v.isStatic() ? null : v.name());
      return;
    }
    FlowValue value = val(v.init());
    if (!value.isEmpty() && isPointerLike(v.type())) {
      env.put(v.name(), value.then(new OriginStep(v.range(), "assigned to '" + v.name() + "'")));
    }
  }

  /**
   * Designated initialisers of a struct ({@code .tx_buf = buf}) store into its fields. {@code
   * local} names the local variable being initialised (its members are tracked in this function
   * only, see {@link #isLocalObject}), or is null.
   */
  private void initFields(CType type, Expr.InitList list, String local) {
    CType t = TypeLayout.strip(type);
    if (t instanceof CType.Array a) {
      for (Expr.Designated d : list.items()) {
        if (d.value() instanceof Expr.InitList inner) initFields(a.element(), inner, null);
        else val(d.value());
      }
      return;
    }
    String tag = recordTag(t);
    for (Expr.Designated d : list.items()) {
      Expr value = d.value();
      boolean oneField = d.designators().size() == 1 && d.designators().get(0).startsWith(".");
      String field = oneField ? fieldName(d.designators().get(0)) : null;
      String path = local != null && field != null ? local + "." + field : null;
      if (value instanceof Expr.InitList inner) {
        CType fieldType = tag == null || field == null ? null : ev.layout().fieldType(t, field);
        if (fieldType != null) initFields(fieldType, inner, path);
        else val(inner);
        continue;
      }
      FlowValue v = val(value);
      if (tag == null || field == null) continue;
      if (path != null) {
        env.put(path, v.then(new OriginStep(value.range(), "assigned to " + path)));
        if (sinks.field(tag, field) == null) continue;
      }
      storeField(tag, field, v, value.range(), "." + field, ExprText.of(value));
    }
  }

  private static String fieldName(String designator) {
    return designator.startsWith(".") ? designator.substring(1) : designator;
  }

  // ---------------------------------------------------------------- expressions

  /** The value of {@code e}, visiting every subexpression once for its effects. */
  private FlowValue val(Expr e) {
    if (e == null) return FlowValue.NONE;
    if (e instanceof Expr.Ident id) return ident(id);
    if (e instanceof Expr.Cast c) return val(c.operand());
    if (e instanceof Expr.Call c) return call(c);
    if (e instanceof Expr.Binary b) return binary(b);
    if (e instanceof Expr.Unary u) {
      if (u.op().equals("&")) return addr(u.operand());
      FlowValue v = val(u.operand());
      // p++ / ++p keep pointing into the same buffer; *p and the rest are not pointers to it.
      return u.op().contains("++") || u.op().contains("--") ? v : FlowValue.NONE;
    }
    if (e instanceof Expr.Conditional c) {
      val(c.cond());
      FlowValue a = c.then() != null ? val(c.then()) : FlowValue.NONE;
      return a.or(val(c.otherwise()));
    }
    if (e instanceof Expr.Member m) {
      if (isArray(ev.typeOf(m))) return addr(m); // an embedded array decays to its address
      val(m.base());
      String tag = recordTag(ev.typeOf(m.base()));
      // The buffer handed to the device is reported where it was stored, not again downstream.
      if (tag != null && sinks.field(tag, m.field()) != null) return FlowValue.NONE;
      FlowValue here = env.get(ExprKey.of(m));
      if (here != null) return here; // stored earlier in this function: that value
      if (tag == null || isLocalObject(m)) return FlowValue.NONE;
      return FlowValue.node(linker.fieldNode(fn, tag, m.field()));
    }
    if (e instanceof Expr.Index ix) {
      if (isArray(ev.typeOf(ix))) return addr(ix);
      val(ix.array());
      val(ix.index());
      return FlowValue.NONE;
    }
    if (e instanceof Expr.StringLit s) {
      return FlowValue.of(
          origin(
              OriginKind.STATIC,
              "a string literal",
              s.range(),
              "a string literal lives in the kernel or module image (read-only data)"));
    }
    if (e instanceof Expr.CompoundLiteral c) {
      initFields(c.type(), c.init(), null);
      return FlowValue.NONE;
    }
    if (e instanceof Expr.InitList l) {
      for (Expr.Designated d : l.items()) val(d.value());
      return FlowValue.NONE;
    }
    if (e instanceof Expr.StmtExpr s) {
      List<Stmt> body = s.body().stmts();
      for (int i = 0; i < body.size() - 1; i++) stmt(body.get(i));
      Stmt last = body.isEmpty() ? null : body.get(body.size() - 1);
      if (last instanceof Stmt.ExprStmt x) return val(x.expr());
      stmt(last);
      return FlowValue.NONE;
    }
    return FlowValue.NONE; // literals, sizeof (not evaluated), opaque nodes
  }

  private FlowValue ident(Expr.Ident id) {
    switch (id.kind()) {
      case LOCAL, PARAM -> {
        VarDecl local = locals.get(id.name());
        VarDecl param = params.get(id.name());
        if (local != null && isArray(local.type())
            || param == null && local == null && isArray(id.type())) {
          return addr(id);
        }
        return env.getOrDefault(id.name(), FlowValue.NONE);
      }
      case GLOBAL -> {
        VarDecl g = linker.global(fn, id.name());
        CType type = g != null ? g.type() : id.type();
        if (isArray(type)) return addr(id);
        if (!isPointerLike(type)) return FlowValue.NONE;
        return FlowValue.node(linker.globalNode(fn, id.name()));
      }
      default -> {
        return FlowValue.NONE;
      }
    }
  }

  /** The value of {@code &e}: the origin of the object e denotes. */
  private FlowValue addr(Expr e) {
    if (e instanceof Expr.Ident id) {
      switch (id.kind()) {
        case LOCAL -> {
          VarDecl v = locals.get(id.name());
          SrcRange at = v != null ? v.range() : id.range();
          if (v != null && v.isStatic()) return staticVar(id.name(), at, "static local");
          String what =
              (isArray(v != null ? v.type() : id.type()) ? "local array '" : "local variable '")
                  + id.name()
                  + "'";
          return FlowValue.of(
              origin(
                  OriginKind.STACK,
                  what,
                  at,
                  "'"
                      + id.name()
                      + "' is declared here as a local variable: it lives on the stack"));
        }
        case PARAM -> {
          VarDecl p = params.get(id.name());
          return FlowValue.of(
              origin(
                  OriginKind.STACK,
                  "parameter '" + id.name() + "'",
                  p != null ? p.range() : id.range(),
                  "'" + id.name() + "' is a parameter: it lives on the stack"));
        }
        case GLOBAL -> {
          VarDecl g = linker.global(fn, id.name());
          return staticVar(
              id.name(),
              g != null ? g.range() : id.range(),
              g != null && g.isStatic() ? "static variable" : "global variable");
        }
        default -> {
          return FlowValue.NONE;
        }
      }
    }
    if (e instanceof Expr.Member m) {
      if (m.arrow()) return val(m.base());
      return addr(m.base());
    }
    if (e instanceof Expr.Index ix) {
      val(ix.index());
      Expr array = ix.array();
      return isArray(ev.typeOf(array)) ? addr(array) : val(array);
    }
    if (e instanceof Expr.Unary u && u.op().equals("*")) return val(u.operand());
    if (e instanceof Expr.Cast c) return addr(c.operand());
    if (e instanceof Expr.StringLit) return val(e);
    if (e instanceof Expr.CompoundLiteral c) {
      initFields(c.type(), c.init(), null);
      return FlowValue.of(
          origin(
              OriginKind.STACK,
              "a compound literal",
              c.range(),
              "a compound literal inside a function lives on the stack"));
    }
    val(e);
    return FlowValue.NONE;
  }

  private FlowValue staticVar(String name, SrcRange at, String what) {
    return FlowValue.of(
        origin(
            OriginKind.STATIC,
            what + " '" + name + "'",
            at,
            "'" + name + "' is a " + what + ": it lives in the kernel or module image"));
  }

  private FlowValue binary(Expr.Binary b) {
    if (b.isAssignment()) {
      FlowValue right = val(b.right());
      if (b.op().equals("=")) {
        assign(b.left(), b.right(), right, b.range());
        return right;
      }
      // p += n still points into the same buffer.
      FlowValue left = val(b.left());
      return left;
    }
    switch (b.op()) {
      case "+" -> {
        return val(b.left()).or(val(b.right()));
      }
      case "-" -> {
        FlowValue left = val(b.left());
        val(b.right());
        return left;
      }
      case "," -> {
        val(b.left());
        return val(b.right());
      }
      default -> {
        val(b.left());
        val(b.right());
        return FlowValue.NONE;
      }
    }
  }

  private void assign(Expr lhs, Expr rhs, FlowValue value, SrcRange at) {
    if (lhs instanceof Expr.Ident id) {
      if (id.kind() == Expr.IdKind.LOCAL || id.kind() == Expr.IdKind.PARAM) {
        forgetPathsOf(id.name());
        env.put(id.name(), value.then(new OriginStep(at, "assigned to '" + id.name() + "'")));
      } else if (id.kind() == Expr.IdKind.GLOBAL) {
        graph.edge(
            value,
            linker.globalNode(fn, id.name()),
            new OriginStep(at, "stored in the global '" + id.name() + "'"));
      }
      return;
    }
    if (lhs instanceof Expr.Member m) {
      val(m.base());
      String tag = recordTag(ev.typeOf(m.base()));
      String path = ExprKey.of(m);
      env.put(path, value.then(new OriginStep(at, "assigned to " + ExprText.of(m))));
      urbObject = m.field().equals("transfer_buffer") ? objectOf(m) : null;
      try {
        if (tag == null) {
          DmaSink byName = sinks.field(null, m.field());
          if (byName != null) found(byName, -1, at, ExprText.of(rhs), value);
          return;
        }
        if (sinks.field(tag, m.field()) == null && isLocalObject(m)) return;
        storeField(tag, m.field(), value, at, ExprText.of(m), ExprText.of(rhs));
      } finally {
        urbObject = null;
      }
      return;
    }
    if (lhs instanceof Expr.Cast c) {
      assign(c.operand(), rhs, value, at);
      return;
    }
    val(lhs);
  }

  /**
   * A member of a struct object that is itself a local (cmd.buf, xfer[0].data of a local array):
   * its value is tracked in this function only. Such temporaries (a request on the stack filled and
   * sent at once) would otherwise merge with every other instance of the struct type.
   */
  private boolean isLocalObject(Expr e) {
    while (true) {
      if (e instanceof Expr.Member m && !m.arrow()) {
        e = m.base();
      } else if (e instanceof Expr.Index ix && isArray(ev.typeOf(ix.array()))) {
        e = ix.array();
      } else if (e instanceof Expr.Cast c) {
        e = c.operand();
      } else {
        break;
      }
    }
    if (!(e instanceof Expr.Ident id)) return false;
    if (id.kind() != Expr.IdKind.LOCAL) return false;
    VarDecl v = locals.get(id.name());
    return v != null && !v.isStatic() && !(TypeLayout.strip(v.type()) instanceof CType.Pointer);
  }

  /** A local that gets a new value no longer reaches the objects its old value did. */
  private void forgetPathsOf(String name) {
    if (env.isEmpty()) return;
    env.keySet()
        .removeIf(
            k ->
                k.length() > name.length()
                    && k.startsWith(name)
                    && (k.startsWith(name + "->")
                        || k.startsWith(name + ".")
                        || k.startsWith(name + "[")));
  }

  private void storeField(
      String tag, String field, FlowValue value, SrcRange at, String text, String stored) {
    DmaSink sink = sinks.field(tag, field);
    if (sink != null) {
      found(sink, -1, at, stored, value);
      return;
    }
    graph.edge(
        value,
        linker.fieldNode(fn, tag, field),
        new OriginStep(at, "stored in " + text + " (field '" + field + "' of struct " + tag + ")"));
  }

  // ---------------------------------------------------------------- calls

  private FlowValue call(Expr.Call c) {
    String name = c.calleeName();
    int argc = c.args().size();
    if (name != null
        && (name.equals("is_vmalloc_addr")
            || name.equals("vmalloc_to_page")
            || name.equals("vmalloc_to_pfn"))) {
      checksVmalloc = true;
    }
    if ("object_is_on_stack".equals(name)) checksStack = true;
    FunctionRef target = linker.resolve(fn, name);
    boolean ownStatic = target != null && target.def().isStatic();
    DmaSink sink = sinks.call(name, argc);
    if (sink == null && c.macro() != null) sink = sinks.call(c.macro(), argc);
    AllocApi alloc = apis.alloc(name, argc);
    if (alloc == null && c.macro() != null) alloc = apis.alloc(c.macro(), argc);
    if (ownStatic) {
      sink = null;
      alloc = null;
    }
    if (sink != null || alloc != null) target = null; // a kernel API is judged by its contract
    if (!(c.callee() instanceof Expr.Ident)) val(c.callee());
    for (int i = 0; i < argc; i++) {
      Expr arg = c.args().get(i);
      FlowValue v;
      if (sink != null && sink.kind() == DmaSink.Kind.PAGE_OF && sink.args().contains(i)) {
        Expr inner = pageOf(arg);
        v = val(inner != null ? inner : arg);
        if (inner != null && !provablyEmpty(c, sink, i)) {
          found(sink, i, c.range(), ExprText.of(inner), v);
        }
        continue;
      }
      v = val(arg);
      if (sink != null
          && sink.kind() == DmaSink.Kind.ARG
          && sink.args().contains(i)
          && !provablyEmpty(c, sink, i)) {
        urbObject = i == urbTransferArg(sink) && argc > 0 ? pointee(c.args().get(0)) : null;
        found(sink, i, c.range(), ExprText.of(arg), v);
        urbObject = null;
      }
      if (target != null && i < target.def().params().size()) {
        VarDecl p = target.def().params().get(i);
        String pname = p.name() == null || p.name().isEmpty() ? "#" + (i + 1) : p.name();
        graph.edge(
            v,
            linker.paramNode(target, i),
            new OriginStep(c.range(), "passed to " + target.name() + "() as '" + pname + "'"));
      }
    }
    if (alloc != null) return FlowValue.of(allocation(c, alloc));
    if (target != null) return FlowValue.node(linker.returnNode(target));
    if (name != null && sink == null) {
      FlowValue v = kernelReturn(c, name);
      if (v != null) return v;
    }
    if (name != null
        && (name.equals("page_address") || name.equals("phys_to_virt") || name.equals("__va"))) {
      return FlowValue.of(
          origin(
              OriginKind.LINEAR, name + "()", c.range(), name + "() returns a linear-map address"));
    }
    return FlowValue.NONE;
  }

  /**
   * The return value of a kernel function without a body here, as its kernel summary knows it:
   * vmalloc memory (the summaries keep no other origin), or null.
   */
  private FlowValue kernelReturn(Expr.Call c, String name) {
    KernelSummaries.Function f = kernel.lookup(name, c.args().size(), c.range().file());
    if (f == null || f.returns().isEmpty()) return null;
    KernelSummaries.Returned r = f.returns().get(0);
    String shown = name + "()";
    return FlowValue.of(
        origin(
            OriginKind.VMALLOC,
            shown,
            c.range(),
            shown
                + " may return vmalloc memory (kernel "
                + kernel.label()
                + " summary: "
                + r.what()
                + " at "
                + r.file()
                + ":"
                + r.line()
                + ")"));
  }

  /** A transfer whose byte count is provably 0: nothing is mapped (rtl8192u's zero packet). */
  private boolean provablyEmpty(Expr.Call c, DmaSink sink, int bufferArg) {
    Integer len = sink.lengthArgs().get(bufferArg);
    if (len == null || len >= c.args().size()) return false;
    BigInteger n = ev.evalSize(c.args().get(len));
    return n != null && n.signum() == 0;
  }

  /** The buffer of a {@code virt_to_page(buf)} argument, or null for any other page. */
  private static Expr pageOf(Expr arg) {
    while (arg instanceof Expr.Cast c) arg = c.operand();
    if (arg instanceof Expr.Call c
        && c.args().size() == 1
        && ("virt_to_page".equals(c.calleeName()) || "virt_to_page".equals(c.macro()))) {
      return c.args().get(0);
    }
    return null;
  }

  private Origin allocation(Expr.Call c, AllocApi api) {
    String name = c.calleeName() != null ? c.calleeName() : c.macro();
    if (c.macro() != null && apis.alloc(c.macro(), c.args().size()) != null) name = c.macro();
    String shown = name + "()";
    switch (api.family()) {
      case VMALLOC -> {
        return origin(
            OriginKind.VMALLOC,
            shown,
            c.range(),
            shown + " allocates vmalloc memory: virtually contiguous only");
      }
      case KVMALLOC -> {
        BigInteger size = size(c, api);
        boolean blocks =
            api.gfpArg() >= 0
                && api.gfpArg() < c.args().size()
                && Gfp.of(c.args().get(api.gfpArg()), ev, c.macro()).blocks();
        String what = shown + (size != null ? " of " + size + " bytes" : "");
        String msg =
            what
                + " may return vmalloc memory (kvmalloc falls back to vmalloc above"
                + " PAGE_SIZE when its flags may block)";
        return new Origin(
            OriginKind.KVMALLOC, what, size, blocks, List.of(new OriginStep(c.range(), msg)));
      }
      default -> {
        return origin(OriginKind.LINEAR, shown, c.range(), shown + " returns linear-map memory");
      }
    }
  }

  private BigInteger size(Expr.Call c, AllocApi api) {
    if (api.sizeArgs().isEmpty()) return null;
    BigInteger product = BigInteger.ONE;
    for (int index : api.sizeArgs()) {
      if (index >= c.args().size()) return null;
      BigInteger v = ev.evalSize(c.args().get(index));
      if (v == null) return null;
      product = product.multiply(v);
    }
    return product;
  }

  private void found(DmaSink sink, int arg, SrcRange at, String text, FlowValue value) {
    if (value.isEmpty()) return;
    FlowGraph.PendingUse use =
        new FlowGraph.PendingUse(fn, sink, arg, at, text, value, false, false);
    found.add(use);
    if (urbObject != null) urbOfUse.put(use, urbObject);
  }

  /**
   * An URB whose {@code transfer_flags} this function sets with {@code URB_NO_TRANSFER_DMA_MAP}
   * carries its own DMA address in {@code transfer_dma}: the USB core does not map its {@code
   * transfer_buffer} (6.1 drivers/usb/core/hcd.c:1484-1486, include/linux/usb.h:1404-1409), so that
   * buffer is not handed to the device (uvc: a {@code dma_vmap_noncontiguous()} view of
   * noncontiguous DMA pages, mapped by {@code dma_alloc_noncontiguous()}).
   */
  private void dropUnmappedUrbTransfers() {
    if (urbOfUse.isEmpty()) return;
    Set<String> unmapped = new HashSet<>();
    IrWalk.expressions(
        fn.def().body(),
        e -> {
          if (e instanceof Expr.Binary b
              && (b.op().equals("=") || b.op().equals("|="))
              && b.left() instanceof Expr.Member m
              && m.field().equals("transfer_flags")
              && ExprKey.of(b.right()).contains("URB_NO_TRANSFER_DMA_MAP")) {
            unmapped.add(objectOf(m));
          }
        },
        v -> {});
    if (unmapped.isEmpty()) return;
    found.removeIf(u -> unmapped.contains(urbOfUse.get(u)));
  }

  /** The transfer-buffer argument of a usb_fill_*_urb() sink (its URB is argument 0), or -1. */
  private static int urbTransferArg(DmaSink sink) {
    return switch (sink.name()) {
      case "usb_fill_control_urb" -> 4;
      case "usb_fill_bulk_urb", "usb_fill_int_urb" -> 3;
      default -> -1;
    };
  }

  /** The object a member access reads: {@code a.f} -> a, {@code p->f} -> *p. */
  private static String objectOf(Expr.Member m) {
    return m.arrow() ? "*" + ExprKey.of(strip(m.base())) : ExprKey.of(strip(m.base()));
  }

  /** The object a pointer expression points to: {@code &a} -> a, p -> *p. */
  private static String pointee(Expr e) {
    Expr x = strip(e);
    if (x instanceof Expr.Unary u && u.op().equals("&")) return ExprKey.of(strip(u.operand()));
    return "*" + ExprKey.of(x);
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }

  // ---------------------------------------------------------------- types

  private static Origin origin(OriginKind kind, String what, SrcRange at, String message) {
    return new Origin(kind, what, null, false, List.of(new OriginStep(at, message)));
  }

  private static boolean isArray(CType t) {
    return TypeLayout.strip(t) instanceof CType.Array;
  }

  /** Pointers, and integers wide enough to carry one ((unsigned long)buf); unknown types too. */
  private static boolean isPointerLike(CType t) {
    CType s = TypeLayout.strip(t);
    if (s == null || s instanceof CType.Pointer || s instanceof CType.Unknown) return true;
    if (s instanceof CType.Typedef) return true;
    if (s instanceof CType.Scalar sc) {
      String n = sc.name();
      return n.contains("long")
          || n.equals("uintptr_t")
          || n.equals("phys_addr_t")
          || n.equals("dma_addr_t");
    }
    return false;
  }

  /** The struct tag of a struct or pointer-to-struct type, or null (anonymous, unknown). */
  static String recordTag(CType t) {
    CType s = TypeLayout.strip(t);
    if (s instanceof CType.Pointer p) s = TypeLayout.strip(p.target());
    if (s instanceof CType.Record r
        && r.tag() != null
        && !r.tag().isEmpty()
        && !r.tag().startsWith("(")) {
      return r.tag();
    }
    return null;
  }
}
