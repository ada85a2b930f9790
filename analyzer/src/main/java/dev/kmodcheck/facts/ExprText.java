package dev.kmodcheck.facts;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;

/**
 * Readable source-like text of an expression for messages and traces ({@code sizeof(*ev)}, {@code
 * &rb->lock}, {@code GFP_KERNEL}), unlike {@link ExprKey}, whose fully parenthesised form is a
 * matching key. A node that a macro produced is shown by the macro's name, as the developer wrote
 * it; long texts are shortened.
 */
public final class ExprText {
  private ExprText() {}

  public static String of(Expr e) {
    return of(e, null);
  }

  /**
   * As {@link #of(Expr)}, with nodes of macro {@code within} written out: the arguments of a call
   * that the same macro produced ({@code mutex_lock(&group->mutex)} in a function a {@code
   * DEFINE_...} macro defines) say more than the macro's name.
   */
  public static String of(Expr e, String within) {
    return ExprWriter.text(e, within);
  }

  public static String type(CType t) {
    if (t == null) return "?";
    if (t instanceof CType.Scalar s) return s.name();
    if (t instanceof CType.Typedef td) return td.name();
    if (t instanceof CType.Record r) {
      String tag = r.tag() == null || r.tag().startsWith("(") ? "{...}" : r.tag();
      return (r.union() ? "union " : "struct ") + tag;
    }
    if (t instanceof CType.Enum en) return "enum " + en.tag();
    if (t instanceof CType.Pointer p) return type(p.target()) + " *";
    if (t instanceof CType.Array a) return type(a.element()) + "[]";
    return "?";
  }
}
