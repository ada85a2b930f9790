package dev.kmodcheck.ir;

import java.util.List;

/**
 * A struct or union definition in the scanned code. {@code packed} and {@code alignedTo} (0 when
 * absent) come from GCC attributes ({@code __packed}, {@code __aligned(n)}) on the definition.
 */
public record StructDef(
    SrcRange range, boolean union, String tag, List<Field> fields, boolean packed, Expr alignedTo) {

  /**
   * A member. {@code bitWidth} is null for ordinary members; {@code alignedTo} is the member's own
   * {@code __aligned(n)} attribute or null. Anonymous struct/union members have a null name.
   */
  public record Field(String name, CType type, Expr bitWidth, Expr alignedTo, boolean packed) {}
}
