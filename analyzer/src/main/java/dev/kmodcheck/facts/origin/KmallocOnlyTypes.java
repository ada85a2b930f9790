package dev.kmodcheck.facts.origin;

import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.kernel.KernelApis;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structures a program allocates only with the kmalloc family (docs/kernel-facts.md §3.2):
 * {@code kvfree()} of such an object is a {@code kfree()}, which never sleeps, however far the
 * pointer travels before it is freed (a busy extent kept on a list, freed through the file system's
 * own {@code kmem_free()} wrapper).
 *
 * <p>A structure counts when the program stores the result of an allocating call into a pointer to
 * it at least once, and every such call is a kmalloc-family API or a program function all of whose
 * returns are (through any number of wrappers, {@code kmem_zalloc()} -> {@code kmem_alloc()} ->
 * {@code kmalloc()}). Any other call whose result is stored into such a pointer (a kvmalloc, a
 * vmalloc, a function of unknown origin) disqualifies it: the object may come from there. Only
 * locals and globals named directly are followed; a pointer stored in a field is not a store into a
 * typed variable and is ignored.
 */
public final class KmallocOnlyTypes {
  private final Program program;
  private final KernelApis apis;
  // Made on the first kvfree() chain: most programs have none, and this walks every body.
  private Set<String> tags;
  private Map<SrcRange, CallSite> sitesByRange;

  private KmallocOnlyTypes(Program program, KernelApis apis) {
    this.program = program;
    this.apis = apis;
  }

  public static KmallocOnlyTypes of(Program program, KernelApis apis) {
    return new KmallocOnlyTypes(program, apis);
  }

  private static Set<String> tags(Program program, KernelApis apis) {
    Set<FunctionRef> kmallocOnly = kmallocOnlyFunctions(program, apis);
    Map<String, Boolean> byTag = new HashMap<>();
    for (FunctionRef fn : program.functions()) {
      if (fn.def().body() == null) continue;
      IrWalk.expressions(
          fn.def().body(),
          e -> {
            if (e instanceof Expr.Binary b
                && b.op().equals("=")
                && strip(b.left()) instanceof Expr.Ident id
                && strip(b.right()) instanceof Expr.Call call) {
              note(byTag, tagOf(id.type()), call, program, fn, apis, kmallocOnly);
            }
          },
          v -> {
            if (v.init() != null && strip(v.init()) instanceof Expr.Call call) {
              note(byTag, tagOf(v.type()), call, program, fn, apis, kmallocOnly);
            }
          });
    }
    Set<String> tags = new HashSet<>();
    byTag.forEach(
        (tag, only) -> {
          if (only) tags.add(tag);
        });
    return tags;
  }

  private static void note(
      Map<String, Boolean> byTag,
      String tag,
      Expr.Call call,
      Program program,
      FunctionRef fn,
      KernelApis apis,
      Set<FunctionRef> kmallocOnly) {
    if (tag == null) return;
    boolean only = isKmallocCall(call, program, fn, apis, kmallocOnly);
    byTag.merge(tag, only, Boolean::logicalAnd);
  }

  /**
   * Whether the object behind the pointer that {@code freeing} (a call freeing its first argument,
   * the last step of a chain that starts at {@code first}) releases is always kmalloc'ed: the
   * argument is followed back through the parameters of the chain's calls ({@code steps}, the
   * ranges of the calls from {@code first} down to {@code freeing}) to where it is a variable of a
   * known structure type.
   */
  public boolean frees(List<SrcRange> steps) {
    if (steps.isEmpty()) return false;
    if (tags == null) tags = tags(program, apis);
    if (tags.isEmpty()) return false;
    if (sitesByRange == null) {
      Map<SrcRange, CallSite> m = new HashMap<>();
      for (FunctionRef fn : program.functions()) {
        for (CallSite s : program.callSites(fn)) m.putIfAbsent(s.call().range(), s);
      }
      sitesByRange = m;
    }
    int i = steps.size() - 1;
    CallSite site = sitesByRange.get(steps.get(i));
    if (site == null || site.call().args().isEmpty()) return false;
    Expr arg = strip(site.call().args().get(0));
    while (true) {
      if (!(arg instanceof Expr.Ident id)) return false;
      if (id.kind() != Expr.IdKind.PARAM) {
        String tag = tagOf(id.type());
        return tag != null && tags.contains(tag);
      }
      int p = paramIndex(site.caller().def(), id.name());
      if (p < 0 || --i < 0) return false;
      site = sitesByRange.get(steps.get(i));
      if (site == null || p >= site.call().args().size()) return false;
      arg = strip(site.call().args().get(p));
    }
  }

  /** Functions whose every return is fresh kmalloc memory or NULL, to a fixed point. */
  private static Set<FunctionRef> kmallocOnlyFunctions(Program program, KernelApis apis) {
    Set<FunctionRef> only = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (FunctionRef fn : program.functions()) {
        if (only.contains(fn) || fn.def().body() == null) continue;
        if (returnsKmalloc(fn, program, apis, only)) {
          only.add(program.canonical(fn));
          changed = true;
        }
      }
    }
    return only;
  }

  private static boolean returnsKmalloc(
      FunctionRef fn, Program program, KernelApis apis, Set<FunctionRef> only) {
    FunctionDef def = fn.def();
    if (!(def.returnType() instanceof CType.Pointer)) return false;
    // Locals assigned a value: each must be kmalloc memory or NULL for a return of it to count.
    Map<String, Boolean> locals = new HashMap<>();
    IrWalk.expressions(
        def.body(),
        e -> {
          if (e instanceof Expr.Binary b
              && b.op().endsWith("=")
              && strip(b.left()) instanceof Expr.Ident id
              && id.kind() == Expr.IdKind.LOCAL) {
            boolean ok =
                b.op().equals("=") && isKmallocOrNull(b.right(), program, fn, apis, only, null);
            locals.merge(id.name(), ok, Boolean::logicalAnd);
          }
        },
        v -> {
          if (v.init() != null) {
            locals.merge(
                v.name(),
                isKmallocOrNull(v.init(), program, fn, apis, only, null),
                Boolean::logicalAnd);
          }
        });
    boolean[] all = {true};
    int[] returns = {0};
    IrWalk.statements(
        def.body(),
        s -> {
          if (s instanceof Stmt.Return r) {
            returns[0]++;
            if (r.value() == null || !isKmallocOrNull(r.value(), program, fn, apis, only, locals)) {
              all[0] = false;
            }
          }
        });
    return all[0] && returns[0] > 0;
  }

  private static boolean isKmallocOrNull(
      Expr e,
      Program program,
      FunctionRef fn,
      KernelApis apis,
      Set<FunctionRef> only,
      Map<String, Boolean> locals) {
    Expr x = strip(e);
    if (x instanceof Expr.IntLit lit) return lit.value().signum() == 0;
    if (x instanceof Expr.Ident id && id.name().equals("NULL")) return true;
    if (x instanceof Expr.Ident id && locals != null && id.kind() == Expr.IdKind.LOCAL) {
      return Boolean.TRUE.equals(locals.get(id.name()));
    }
    return x instanceof Expr.Call call && isKmallocCall(call, program, fn, apis, only);
  }

  private static boolean isKmallocCall(
      Expr.Call call, Program program, FunctionRef fn, KernelApis apis, Set<FunctionRef> only) {
    String name = call.calleeName() != null ? call.calleeName() : call.macro();
    if (name == null) return false;
    FunctionRef target = program.resolve(fn, name);
    if (target != null) return only.contains(program.canonical(target));
    AllocApi api = apis.alloc(name, call.args().size());
    return api != null && api.family() == AllocApi.Family.KMALLOC;
  }

  private static int paramIndex(FunctionDef def, String name) {
    List<VarDecl> ps = def.params();
    for (int i = 0; i < ps.size(); i++) if (name.equals(ps.get(i).name())) return i;
    return -1;
  }

  private static String tagOf(CType t) {
    while (t instanceof CType.Typedef td) t = td.resolved();
    if (!(t instanceof CType.Pointer p)) return null;
    CType target = p.target();
    while (target instanceof CType.Typedef td) target = td.resolved();
    return target instanceof CType.Record r && r.tag() != null && !r.tag().startsWith("(")
        ? r.tag()
        : null;
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }
}
