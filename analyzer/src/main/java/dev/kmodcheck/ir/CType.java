package dev.kmodcheck.ir;

import java.util.List;

/**
 * A C type as far as the checks need it. The frontend maps CDT types into this; unknown or
 * unsupported types become {@link Unknown} so that nothing downstream guesses.
 */
public sealed interface CType {

  /**
   * A builtin or kernel scalar type, by its canonical spelling ("int", "unsigned long", "u32",
   * "gfp_t", "_Bool", "void", "float", ...). Size and alignment are looked up by the facts layer.
   */
  record Scalar(String name) implements CType {}

  record Pointer(CType target) implements CType {}

  /** {@code length} is null for an unsized or flexible array ({@code x[]}). */
  record Array(CType element, Expr length) implements CType {}

  /** A struct or union, by tag; the layout comes from the {@link StructDef} of that tag. */
  record Record(boolean union, String tag) implements CType {}

  record Enum(String tag) implements CType {}

  record Function(CType returnType, List<CType> params, boolean varargs) implements CType {}

  /** A typedef name that the frontend could not (or chose not to) resolve further. */
  record Typedef(String name, CType resolved) implements CType {}

  record Unknown(String spelling) implements CType {}
}
