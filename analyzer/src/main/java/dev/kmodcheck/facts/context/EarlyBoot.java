package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.EarlyBootTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The functions of a program that run only during early boot (docs/kernel-facts.md §4.7): on the
 * boot CPU, as the only task, before rest_init() lets the scheduler run anything else. There
 * interrupts are off or nothing can contend for a lock, and __might_resched() does not check.
 *
 * <p>A function is early-boot-only when early-boot.tsv names it as called by start_kernel(), or
 * when it is assigned to a boot hook the table names, or when every reference to it in the program
 * lies in early-boot-only code: a call, or its address passed to an early-boot-only function of the
 * program that only calls it (a self-test harness such as {@code dotest(testcase_fn, ...)}). Any
 * other reference (stored in a variable or a struct, passed to a kernel API such as a registration,
 * an ops initializer, module_init) makes it not early-boot-only, and so does having no reference at
 * all (its callers are unknown), also for a table function. A non-static function found through its
 * references must also be {@code __init}: it may have callers outside the program (another
 * directory of a kernel tree), and only init code can call an __init function.
 */
public final class EarlyBoot {

  private enum Kind {
    CALL,
    ARG,
    HOOK,
    OTHER
  }

  /**
   * One reference to a function.
   *
   * @param from the function whose body holds it (canonical), null in a global initializer
   * @param via ARG: the program function the address is passed to
   * @param hook HOOK: the boot hook's evidence
   */
  private record Ref(
      FunctionRef from, Kind kind, FunctionRef via, int arg, SrcRange at, String hook) {}

  /**
   * How a function was found early-boot-only: its root evidence (in short for a message, and with
   * its kernel citation), or the reference it came by.
   */
  private record Origin(String root, String cited, FunctionRef parent, String link) {}

  private final Map<FunctionRef, Origin> found;

  private EarlyBoot(Map<FunctionRef, Origin> found) {
    this.found = found;
  }

  /** The early-boot-only functions of {@code program}, from its knowledge's early-boot table. */
  public static EarlyBoot of(Program program) {
    return of(program, program.knowledge().earlyBoot());
  }

  static EarlyBoot of(Program program, EarlyBootTable table) {
    return new Finder(program, table).run();
  }

  /** Whether {@code fn} runs only during early boot. */
  public boolean only(FunctionRef fn) {
    return found.containsKey(fn);
  }

  /**
   * Why {@code fn} runs only during early boot, in short for a message: "check_timer() is reached
   * only from apic_intr_mode_init(), which is set as x86_init_ops .irqs.intr_mode_init"; null when
   * it does not.
   */
  public String why(FunctionRef fn) {
    Origin o = found.get(fn);
    if (o == null) return null;
    FunctionRef root = root(fn);
    Origin r = found.get(root);
    return root == fn
        ? fn.name() + "() " + r.root()
        : fn.name() + "() is reached only from " + root.name() + "(), which " + r.root();
  }

  /**
   * The evidence in full, for a trace: the chain of references up to the root and the kernel lines
   * that show the root runs at boot; null when {@code fn} is not early-boot-only.
   */
  public String evidence(FunctionRef fn) {
    if (!found.containsKey(fn)) return null;
    StringBuilder chain = new StringBuilder(fn.name()).append("()");
    FunctionRef at = fn;
    Set<FunctionRef> seen = new HashSet<>();
    while (found.get(at).parent() != null && seen.add(at)) {
      Origin o = found.get(at);
      chain.append(o.link()).append(" <- ").append(o.parent().name()).append("()");
      at = o.parent();
    }
    Origin r = found.get(at);
    return (at == fn ? "" : chain + "; ") + at.name() + "() " + r.root() + " (" + r.cited() + ")";
  }

  private FunctionRef root(FunctionRef fn) {
    FunctionRef at = fn;
    Set<FunctionRef> seen = new HashSet<>();
    while (found.get(at).parent() != null && seen.add(at)) at = found.get(at).parent();
    return at;
  }

  private static final class Finder {
    private final Program program;
    private final EarlyBootTable table;
    private final Map<FunctionRef, List<Ref>> refs = new IdentityHashMap<>();
    private final Map<FunctionRef, Origin> found = new IdentityHashMap<>();
    private final Map<FunctionRef, Map<Integer, Boolean>> onlyCalled = new IdentityHashMap<>();

    Finder(Program program, EarlyBootTable table) {
      this.program = program;
      this.table = table;
    }

    EarlyBoot run() {
      for (FunctionRef fn : program.functions()) body(fn);
      Set<SrcRange> seen = new HashSet<>();
      for (TranslationUnit unit : program.units()) {
        for (VarDecl v : unit.globals()) {
          if (v.init() == null || !seen.add(v.range())) continue;
          initializer(unit, tag(v.type()), "", v.init());
        }
      }
      // Least fixed point: a function joins once all its references lie in functions that did.
      boolean changed = true;
      while (changed) {
        changed = false;
        for (FunctionRef fn : program.functions()) {
          if (found.containsKey(fn)) continue;
          Origin o = origin(fn);
          if (o != null) {
            found.put(fn, o);
            changed = true;
          }
        }
      }
      return new EarlyBoot(found);
    }

    private Origin origin(FunctionRef fn) {
      List<Ref> rs = refs.getOrDefault(fn, List.of());
      EarlyBootTable.Row row = fn.def().isStatic() ? null : table.function(fn.name());
      Origin first = null;
      if (row != null) {
        first =
            new Origin(
                row.field() == null
                    ? "is called by start_kernel() before rest_init()"
                    : "is called during early boot by " + row.field() + "()",
                row.citation(),
                null,
                null);
      }
      for (Ref r : rs) {
        switch (r.kind()) {
          case OTHER -> {
            return null;
          }
          case HOOK -> {
            if (first == null || first.parent() != null) {
              int cut = r.hook().indexOf('\0');
              first =
                  new Origin(r.hook().substring(0, cut), r.hook().substring(cut + 1), null, null);
            }
          }
          case CALL -> {
            if (r.from() == fn) continue;
            if (!found.containsKey(r.from())) return null;
            if (first == null) first = new Origin(null, null, r.from(), "");
          }
          case ARG -> {
            if (r.from() != fn && !found.containsKey(r.from())) return null;
            if (!found.containsKey(r.via()) || !onlyCalled(r.via(), r.arg())) return null;
            if (first == null) {
              first =
                  new Origin(
                      null,
                      null,
                      r.from() != fn ? r.from() : r.via(),
                      " (passed to " + r.via().name() + "() at " + at(r.at()) + ")");
            }
          }
        }
      }
      if (first == null) return null;
      if (first.root() == null && !fn.def().isStatic() && !isInit(fn)) return null;
      return first;
    }

    /** Whether parameter {@code index} of {@code fn} is only called (or compared) in its body. */
    private boolean onlyCalled(FunctionRef fn, int index) {
      // A self-test runner is given hundreds of tests: walk its body once per parameter.
      return onlyCalled
          .computeIfAbsent(fn, f -> new HashMap<>())
          .computeIfAbsent(index, i -> paramOnlyCalled(fn, i));
    }

    private boolean paramOnlyCalled(FunctionRef fn, int index) {
      List<VarDecl> params = fn.def().params();
      if (index >= params.size()) return false;
      String name = params.get(index).name();
      Map<Expr, Boolean> fine = new IdentityHashMap<>();
      List<Expr.Ident> uses = new ArrayList<>();
      IrWalk.expressions(
          fn.def().body(),
          e -> {
            if (e instanceof Expr.Call c && strip(c.callee()) instanceof Expr.Ident id) {
              fine.put(id, true);
            } else if (e instanceof Expr.Binary b && (b.op().equals("==") || b.op().equals("!="))) {
              fine.put(strip(b.left()), true);
              fine.put(strip(b.right()), true);
            } else if (e instanceof Expr.Unary u && u.op().equals("!")) {
              fine.put(strip(u.operand()), true);
            } else if (e instanceof Expr.Ident id
                && id.name().equals(name)
                && id.kind() == Expr.IdKind.PARAM) {
              uses.add(id);
            }
          },
          v -> {});
      for (Expr.Ident id : uses) if (!fine.containsKey(id)) return false;
      return true;
    }

    /** Sorts every function name in {@code fn}'s body by how it is used. */
    private void body(FunctionRef fn) {
      Map<Expr, Object> role = new IdentityHashMap<>();
      List<Expr.Ident> names = new ArrayList<>();
      IrWalk.expressions(
          fn.def().body(),
          e -> {
            if (e instanceof Expr.Call c) {
              if (strip(c.callee()) instanceof Expr.Ident id) role.put(id, Kind.CALL);
              for (int i = 0; i < c.args().size(); i++) {
                role.put(address(c.args().get(i)), new Object[] {c, i});
              }
            } else if (e instanceof Expr.Binary b) {
              if (b.op().equals("=")
                  && strip(b.left()) instanceof Expr.Ident v
                  && v.kind() != Expr.IdKind.LOCAL
                  && v.kind() != Expr.IdKind.PARAM) {
                EarlyBootTable.Row hook = table.variable(v.name());
                if (hook != null) {
                  role.put(
                      address(b.right()),
                      "is assigned to "
                          + v.name()
                          + " (at "
                          + at(b.range())
                          + "), which start_kernel() calls before rest_init()\0"
                          + hook.citation());
                }
              } else if (b.op().equals("==") || b.op().equals("!=")) {
                role.put(address(b.left()), Kind.CALL);
                role.put(address(b.right()), Kind.CALL);
              }
            } else if (e instanceof Expr.Ident id) {
              names.add(id);
            }
          },
          v -> {});
      for (Expr.Ident id : names) {
        FunctionRef target = function(fn.unit(), id);
        // A caller built only with an option the target's body was read without is not among
        // the target's callers in any build (smp.c's call of init_IRQ(), whose !SMP body it is).
        if (target == null || program.configConflict(fn, target) != null) continue;
        Object r = role.get(id);
        Ref ref;
        if (r == Kind.CALL) {
          // A comparison takes no address that escapes; it counts as a call would.
          ref = new Ref(fn, Kind.CALL, null, -1, id.range(), null);
        } else if (r instanceof Object[] arg) {
          Expr.Call c = (Expr.Call) arg[0];
          FunctionRef via = c.calleeName() == null ? null : program.resolve(fn, c.calleeName());
          ref =
              via == null
                  ? new Ref(fn, Kind.OTHER, null, -1, id.range(), null)
                  : new Ref(
                      fn, Kind.ARG, program.canonical(via), (Integer) arg[1], id.range(), null);
        } else if (r instanceof String hook) {
          ref = new Ref(fn, Kind.HOOK, null, -1, id.range(), hook);
        } else {
          ref = new Ref(fn, Kind.OTHER, null, -1, id.range(), null);
        }
        refs.computeIfAbsent(target, t -> new ArrayList<>()).add(ref);
      }
    }

    /** A global's initializer: a function set in a boot hook field, or any other reference. */
    private void initializer(TranslationUnit unit, String tag, String path, Expr init) {
      if (init instanceof Expr.InitList list) {
        for (Expr.Designated d : list.items()) {
          String p = path;
          if (d.designators().isEmpty()) p = path + ".?";
          for (String des : d.designators()) {
            if (des.startsWith(".")) p = p.isEmpty() ? des.substring(1) : p + des;
          }
          initializer(unit, tag, p, d.value());
        }
        return;
      }
      Expr x = address(init);
      EarlyBootTable.Row hook = tag == null ? null : table.field(tag, path);
      if (hook != null && x instanceof Expr.Ident id) {
        FunctionRef target = function(unit, id);
        if (target != null) {
          refs.computeIfAbsent(target, t -> new ArrayList<>())
              .add(
                  new Ref(
                      null,
                      Kind.HOOK,
                      null,
                      -1,
                      id.range(),
                      "is set as "
                          + tag
                          + " ."
                          + path
                          + " (at "
                          + at(id.range())
                          + "), which early boot calls\0"
                          + hook.citation()));
        }
        return;
      }
      IrWalk.expressions(
          init,
          e -> {
            if (e instanceof Expr.Ident id) {
              FunctionRef target = function(unit, id);
              if (target != null) {
                refs.computeIfAbsent(target, t -> new ArrayList<>())
                    .add(new Ref(null, Kind.OTHER, null, -1, id.range(), null));
              }
            }
          });
    }

    private FunctionRef function(TranslationUnit unit, Expr.Ident id) {
      if (id.kind() != Expr.IdKind.FUNCTION && id.kind() != Expr.IdKind.UNRESOLVED) return null;
      FunctionRef f = program.resolveIn(unit, id.name());
      return f == null ? null : program.canonical(f);
    }
  }

  /** "time.c:95": the file name is enough in a message. */
  private static String at(SrcRange r) {
    String f = r.file();
    return f.substring(f.lastIndexOf('/') + 1) + ":" + r.line();
  }

  /** Whether the definition is in the init section ({@code __init}). */
  static boolean isInit(FunctionRef fn) {
    for (String a : fn.def().attributes()) if (a.contains(".init.text")) return true;
    return false;
  }

  private static String tag(CType t) {
    while (t instanceof CType.Typedef td && td.resolved() != null) t = td.resolved();
    return t instanceof CType.Record r ? r.tag() : null;
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }

  /** {@code fn}, {@code &fn} or a cast of either: the named thing; else the expression. */
  private static Expr address(Expr e) {
    Expr x = strip(e);
    if (x instanceof Expr.Unary u && u.op().equals("&")) x = strip(u.operand());
    return x;
  }
}
