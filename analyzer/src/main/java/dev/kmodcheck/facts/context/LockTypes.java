package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.AtomicApi;
import dev.kmodcheck.kernel.AtomicApis;
import dev.kmodcheck.kernel.AtomicKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether a lock named in annotation text is a spinning lock. Sparse's __must_hold/__acquires are
 * used for mutexes too, so unknown means "no". The declared type decides, followed member by member
 * from a parameter or global; when the struct that declares the member is not in the unit (a kernel
 * header's struct, header-less), the unit's own lock calls on that member of that struct decide,
 * and only when they all agree. A member name alone never does: {@code lock} is a spinlock in one
 * struct and a mutex in the next.
 */
final class LockTypes {
  private static final Set<String> SPINNING =
      Set.of("spinlock_t", "raw_spinlock_t", "rwlock_t", "spinlock", "raw_spinlock", "seqlock_t");

  /** Calls whose first argument is a sleeping lock (mutex, semaphore, rw semaphore). */
  private static final Set<String> SLEEPING_LOCK_CALLS =
      Set.of(
          "mutex_lock",
          "mutex_lock_nested",
          "mutex_lock_interruptible",
          "mutex_lock_killable",
          "mutex_lock_io",
          "mutex_trylock",
          "mutex_unlock",
          "down",
          "down_interruptible",
          "down_killable",
          "down_trylock",
          "down_timeout",
          "up",
          "down_read",
          "down_write",
          "down_read_killable",
          "down_write_killable",
          "down_read_trylock",
          "down_write_trylock",
          "up_read",
          "up_write");

  private static final Set<AtomicKind> SPINNING_KINDS =
      Set.of(AtomicKind.SPINLOCK, AtomicKind.RAW_SPINLOCK, AtomicKind.RWLOCK, AtomicKind.SEQLOCK);

  private LockTypes() {}

  static boolean isSpinning(TranslationUnit unit, FunctionDef fn, String text) {
    String t = text.replaceAll("[\\s()&*]", "");
    List<String> path = path(t);
    if (path.isEmpty()) return false;
    CType type = rootType(unit, fn, path.get(0));
    for (int i = 1; i < path.size(); i++) {
      String owner = type == null ? null : recordTag(type);
      StructDef s = owner == null ? null : struct(unit, owner);
      StructDef.Field f = s == null ? null : field(s, path.get(i));
      if (f == null) {
        // A struct the unit does not declare (header-less, its type is unknown): the unit's
        // lock calls on the same member of the same struct, or on the same text, decide.
        return i == path.size() - 1 && lockedAsSpinning(unit, owner, path.get(i), t);
      }
      type = f.type();
    }
    // __must_hold(lock) of a parameter "spinlock_t *lock" names the lock it points to.
    if (path.size() == 1 && type instanceof CType.Pointer p) type = p.target();
    return type != null && spinning(type);
  }

  /** "a->b.c[2]" -> [a, b, c]: the root variable, then the members. */
  private static List<String> path(String t) {
    List<String> out = new ArrayList<>();
    for (String part : t.replaceAll("\\[[^\\]]*\\]", "").split("->|\\.")) {
      if (part.isEmpty() || !part.chars().allMatch(Character::isJavaIdentifierPart)) {
        return List.of();
      }
      out.add(part);
    }
    return out;
  }

  /** A parameter's, a local's (__must_hold(&tgt->lock) with tgt set from io->tgt) or a global's. */
  private static CType rootType(TranslationUnit unit, FunctionDef fn, String name) {
    for (VarDecl p : fn.params()) if (p.name().equals(name)) return p.type();
    CType[] local = new CType[1];
    if (fn.body() != null) {
      IrWalk.expressions(
          fn.body(),
          e -> {},
          v -> {
            if (local[0] == null && v.name().equals(name)) local[0] = v.type();
          });
    }
    if (local[0] != null) return local[0];
    for (VarDecl g : unit.globals()) if (g.name().equals(name)) return g.type();
    return null;
  }

  /**
   * Whether the unit takes the lock only with spinning lock calls, and at least once: member {@code
   * field} of a variable of {@code struct owner} ({@code spin_lock_irqsave(&qp->s_lock, flags)}
   * with {@code qp} a {@code struct rvt_qp *}) when the owner is known, else a lock argument
   * written as {@code text} ({@code qp->s_lock}).
   */
  private static boolean lockedAsSpinning(
      TranslationUnit unit, String owner, String field, String text) {
    AtomicApis apis = AtomicApis.builtin();
    boolean[] seen = new boolean[2];
    for (FunctionDef def : unit.functions()) {
      if (def.body() == null) continue;
      IrWalk.calls(
          def.body(),
          call -> {
            String name = call.calleeName();
            if (name == null) return;
            AtomicApi api = apis.call(name);
            boolean spin =
                api != null
                    && api.lockArg() >= 0
                    && api.kinds().stream().anyMatch(SPINNING_KINDS::contains);
            boolean sleeping = SLEEPING_LOCK_CALLS.contains(name);
            if (!spin && !sleeping) return;
            int arg = spin ? api.lockArg() : 0;
            if (arg < call.args().size() && names(call.args().get(arg), owner, field, text)) {
              seen[spin ? 0 : 1] = true;
            }
          });
    }
    return seen[0] && !seen[1];
  }

  /** Whether lock argument {@code e} is the lock {@link #lockedAsSpinning} asks about. */
  private static boolean names(Expr e, String owner, String field, String text) {
    e = strip(e);
    if (e instanceof Expr.Unary u && u.op().equals("&")) e = strip(u.operand());
    if (!(e instanceof Expr.Member m) || !m.field().equals(field)) return false;
    if (owner != null) {
      return strip(m.base()) instanceof Expr.Ident id
          && id.type() != null
          && owner.equals(recordTag(id.type()));
    }
    return ExprKey.of(m).replaceAll("[\\s()&*]", "").equals(text);
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }

  private static StructDef struct(TranslationUnit unit, String tag) {
    for (StructDef s : unit.structs()) if (tag.equals(s.tag())) return s;
    return null;
  }

  private static StructDef.Field field(StructDef s, String name) {
    for (StructDef.Field f : s.fields()) if (name.equals(f.name())) return f;
    return null;
  }

  private static String recordTag(CType t) {
    while (true) {
      if (t instanceof CType.Pointer p) t = p.target();
      else if (t instanceof CType.Array a) t = a.element();
      else if (t instanceof CType.Typedef td && td.resolved() != null) t = td.resolved();
      else if (t instanceof CType.Record r) return r.tag();
      else return null;
    }
  }

  private static boolean spinning(CType t) {
    while (t != null) {
      if (t instanceof CType.Typedef td) {
        if (SPINNING.contains(td.name())) return true;
        t = td.resolved();
      } else if (t instanceof CType.Record r) {
        return SPINNING.contains(r.tag());
      } else if (t instanceof CType.Scalar s) {
        return SPINNING.contains(s.name());
      } else {
        return false;
      }
    }
    return false;
  }
}
