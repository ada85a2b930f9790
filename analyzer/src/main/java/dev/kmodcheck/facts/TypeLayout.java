package dev.kmodcheck.facts;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.StructDef;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Sizes and alignments of C types on an LP64 target (x86_64 and arm64 share it): kernel scalar
 * types (kernel-facts §6.3), pointers, arrays, and structs/unions defined in the scanned code with
 * GCC layout rules, honouring __packed and __aligned. Unknown stays unknown: a struct whose
 * definition was not seen, or that contains such a member, has no size.
 */
public final class TypeLayout {

  private final Map<String, StructDef> structs;
  private final Map<String, StructDef> unions;

  /** {@code structs} and {@code unions} are keyed by tag, from the translation unit. */
  public TypeLayout(Map<String, StructDef> structs, Map<String, StructDef> unions) {
    this.structs = structs;
    this.unions = unions;
  }

  public OptionalLong sizeOf(CType type) {
    throw new UnsupportedOperationException("TODO");
  }

  public OptionalLong alignOf(CType type) {
    throw new UnsupportedOperationException("TODO");
  }

  public StructDef record(boolean union, String tag) {
    return union ? unions.get(tag) : structs.get(tag);
  }
}
