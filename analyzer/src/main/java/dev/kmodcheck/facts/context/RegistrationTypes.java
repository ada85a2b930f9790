package dev.kmodcheck.facts.context;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Struct types of member-access chains ({@code priv->timer.function}) from a unit's struct
 * definitions, so a field assignment is recognised by the struct that owns the field. Only names,
 * members, indexing, dereference and casts are typed; anything else is unknown (null).
 */
final class RegistrationTypes {
  private final Map<String, StructDef> structs = new HashMap<>();

  RegistrationTypes(TranslationUnit unit) {
    for (StructDef s : unit.structs()) {
      if (s.tag() != null) structs.putIfAbsent((s.union() ? "union " : "struct ") + s.tag(), s);
    }
  }

  /** The unit's definition of {@code struct tag}, or null. */
  StructDef struct(String tag) {
    return structs.get("struct " + tag);
  }

  /** The tag of the struct whose field {@code m} reads, or null when unknown. */
  String objectTag(Expr.Member m) {
    CType t = typeOf(m.base());
    if (m.arrow()) t = pointee(t);
    return unwrap(t) instanceof CType.Record r && !r.union() ? r.tag() : null;
  }

  private CType typeOf(Expr e) {
    if (e instanceof Expr.Ident id) return id.type();
    if (e instanceof Expr.Cast c) return c.type();
    if (e instanceof Expr.Unary u && u.op().equals("*")) return pointee(typeOf(u.operand()));
    if (e instanceof Expr.Index i) {
      CType t = unwrap(typeOf(i.array()));
      return t instanceof CType.Array a ? a.element() : pointee(t);
    }
    if (e instanceof Expr.Member m) {
      CType owner = typeOf(m.base());
      if (m.arrow()) owner = pointee(owner);
      if (!(unwrap(owner) instanceof CType.Record r)) return null;
      StructDef def = structs.get((r.union() ? "union " : "struct ") + r.tag());
      if (def == null) return null;
      for (StructDef.Field f : def.fields()) {
        if (f.name() != null && f.name().equals(m.field())) return f.type();
      }
    }
    return null;
  }

  private static CType pointee(CType t) {
    return unwrap(t) instanceof CType.Pointer p ? p.target() : null;
  }

  static CType unwrap(CType t) {
    while (t instanceof CType.Typedef td && td.resolved() != null) t = td.resolved();
    return t;
  }
}
