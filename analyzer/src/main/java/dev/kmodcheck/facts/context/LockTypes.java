package dev.kmodcheck.facts.context;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import java.util.Set;

/**
 * Whether a lock named in annotation text is a spinning lock, from the declared types the unit
 * knows. Sparse's __must_hold/__acquires are used for mutexes too, so unknown means "no".
 */
final class LockTypes {
  private static final Set<String> SPINNING =
      Set.of("spinlock_t", "raw_spinlock_t", "rwlock_t", "spinlock", "raw_spinlock", "seqlock_t");

  private LockTypes() {}

  static boolean isSpinning(TranslationUnit unit, FunctionDef fn, String text) {
    String t = text.replaceAll("[\\s()&*]", "");
    int arrow = t.lastIndexOf("->");
    int dot = t.lastIndexOf('.');
    int cut = Math.max(arrow, dot);
    if (cut < 0) {
      for (VarDecl g : unit.globals()) if (g.name().equals(t)) return spinning(g.type());
      return false;
    }
    String field = t.substring(cut + (cut == arrow ? 2 : 1));
    String root = t.split("->|\\.", 2)[0];
    // The common case: a member of the struct a parameter points to.
    if (cut == t.indexOf(cut == arrow ? "->" : ".")) {
      for (VarDecl p : fn.params()) {
        if (p.name().equals(root)) {
          String tag = recordTag(p.type());
          StructDef s = tag == null ? null : struct(unit, tag);
          if (s != null) {
            for (StructDef.Field f : s.fields()) {
              if (field.equals(f.name())) return spinning(f.type());
            }
          }
        }
      }
    }
    // Otherwise every member of that name the unit declares must be a spinning lock.
    boolean seen = false;
    for (StructDef s : unit.structs()) {
      for (StructDef.Field f : s.fields()) {
        if (field.equals(f.name())) {
          if (!spinning(f.type())) return false;
          seen = true;
        }
      }
    }
    return seen;
  }

  private static StructDef struct(TranslationUnit unit, String tag) {
    for (StructDef s : unit.structs()) if (tag.equals(s.tag())) return s;
    return null;
  }

  private static String recordTag(CType t) {
    while (true) {
      if (t instanceof CType.Pointer p) t = p.target();
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
