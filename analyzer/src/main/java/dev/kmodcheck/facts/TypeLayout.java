package dev.kmodcheck.facts;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Sizes and alignments of C types on an LP64 target (x86_64 and arm64 share it): kernel scalar
 * types (docs/kernel-facts.md §6.3), pointers, arrays, structs/unions defined in scanned code with
 * GCC layout rules, honouring __packed and __aligned. Unknown stays unknown: a struct whose
 * definition was not seen, or that contains such a member, has no size; so has one with a
 * function-typed member (invalid C: an unknown declaration macro read as a function declarator).
 *
 * <p>Bit-fields follow the GCC/SysV x86-64 rules (identical in AAPCS64 for these cases): a
 * bit-field that would straddle an allocation unit of its declared type starts at the next unit;
 * named bit-fields raise the record's alignment to their type's, unnamed ones do not; a zero-width
 * bit-field pads to its type's alignment, even in a packed record. Anything outside these rules
 * (aligned bit-fields, over-wide widths) is unknown.
 *
 * <p>Thread-safe: layouts are cached under the instance lock.
 */
public final class TypeLayout {

  private static final int MAX_DEPTH = 64;

  private final Target target;
  private final Map<String, StructDef> structs;
  private final Map<String, StructDef> unions;
  private final Map<StructDef, Layout> cache = new IdentityHashMap<>();
  private final Set<StructDef> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
  private ValueEvaluator constants;

  /** Bytes; {@code align} is a power of two. */
  private record Layout(long size, long align) {}

  /** {@code structs} and {@code unions} are keyed by tag, from the translation unit. */
  public TypeLayout(Map<String, StructDef> structs, Map<String, StructDef> unions) {
    this(Target.defaultTarget(), structs, unions);
  }

  /**
   * As above; {@code target} only matters for array lengths written with target-dependent helpers
   * such as get_order(). The LP64 layout itself is the same on every supported target.
   */
  public TypeLayout(Target target, Map<String, StructDef> structs, Map<String, StructDef> unions) {
    this.target = target;
    this.structs = structs;
    this.unions = unions;
  }

  /** The layout of every struct and union defined in {@code unit} (first definition per tag). */
  /**
   * The layout for one translation unit's struct and union definitions. A tag defined twice with
   * different bodies (possible in separate scopes or #if branches) is left out, so its size stays
   * unknown rather than guessed.
   */
  public static TypeLayout forUnit(Target target, TranslationUnit unit) {
    Map<String, StructDef> s = new HashMap<>();
    Map<String, StructDef> u = new HashMap<>();
    Set<String> conflicts = new HashSet<>();
    for (StructDef d : unit.structs()) {
      if (d.tag() == null) continue;
      StructDef prev = (d.union() ? u : s).putIfAbsent(d.tag(), d);
      if (prev != null && !prev.equals(d)) conflicts.add((d.union() ? "u:" : "s:") + d.tag());
    }
    for (String c : conflicts) (c.startsWith("u:") ? u : s).remove(c.substring(2));
    return new TypeLayout(target, s, u);
  }

  public synchronized OptionalLong sizeOf(CType type) {
    Layout l = layout(type, 0);
    return l == null ? OptionalLong.empty() : OptionalLong.of(l.size);
  }

  public synchronized OptionalLong alignOf(CType type) {
    Layout l = layout(type, 0);
    return l == null ? OptionalLong.empty() : OptionalLong.of(l.align);
  }

  public StructDef record(boolean union, String tag) {
    return union ? unions.get(tag) : structs.get(tag);
  }

  /** Typedefs with a resolved target are replaced by it, repeatedly. */
  public static CType strip(CType t) {
    for (int i = 0; i < MAX_DEPTH && t instanceof CType.Typedef td && td.resolved() != null; i++) {
      t = td.resolved();
    }
    return t;
  }

  /**
   * The table row for a scalar or kernel typedef (after stripping resolved typedefs), or an {@code
   * int}-sized row for enums; null for anything else.
   */
  public static ScalarTypes.Info scalarInfo(CType t) {
    t = strip(t);
    if (t instanceof CType.Scalar s) return ScalarTypes.named(s.name());
    if (t instanceof CType.Typedef td) return ScalarTypes.named(td.name());
    return null;
  }

  /**
   * The type of member {@code field} of the struct or union {@code recordType} (looking through
   * anonymous struct/union members), or null if unknown.
   */
  public synchronized CType fieldType(CType recordType, String field) {
    if (!(strip(recordType) instanceof CType.Record r)) return null;
    return fieldType(record(r.union(), r.tag()), field, 0);
  }

  private CType fieldType(StructDef def, String field, int depth) {
    if (def == null || depth > MAX_DEPTH) return null;
    for (StructDef.Field f : def.fields()) {
      if (field.equals(f.name())) return f.type();
    }
    for (StructDef.Field f : def.fields()) {
      if (f.name() == null && f.bitWidth() == null && strip(f.type()) instanceof CType.Record r) {
        CType inner = fieldType(record(r.union(), r.tag()), field, depth + 1);
        if (inner != null) return inner;
      }
    }
    return null;
  }

  private Layout layout(CType type, int depth) {
    if (type == null || depth > MAX_DEPTH) return null;
    CType t = strip(type);
    if (t instanceof CType.Scalar s) return fromInfo(ScalarTypes.named(s.name()));
    if (t instanceof CType.Typedef td) return fromInfo(ScalarTypes.named(td.name()));
    if (t instanceof CType.Pointer) return new Layout(8, 8);
    if (t instanceof CType.Enum) return new Layout(4, 4); // GCC: int-sized without -fshort-enums
    if (t instanceof CType.Array a) return arrayLayout(a, depth);
    if (t instanceof CType.Record r) return recordLayout(r, depth);
    if (t instanceof CType.Function) return new Layout(1, 1); // GNU C: sizeof(function) is 1
    return null;
  }

  private static Layout fromInfo(ScalarTypes.Info info) {
    return info == null ? null : new Layout(info.size(), info.align());
  }

  private Layout arrayLayout(CType.Array a, int depth) {
    if (a.length() == null) return null;
    Layout elem = layout(a.element(), depth + 1);
    Long n = constant(a.length());
    if (elem == null || n == null || n < 0) return null;
    BigInteger size = BigInteger.valueOf(elem.size).multiply(BigInteger.valueOf(n));
    if (size.bitLength() > 62) return null;
    return new Layout(size.longValueExact(), elem.align);
  }

  private Layout recordLayout(CType.Record r, int depth) {
    StructDef def = r.tag() == null ? null : record(r.union(), r.tag());
    if (def == null) {
      return r.union() ? null : fromInfo(ScalarTypes.structTag(r.tag()));
    }
    Layout cached = cache.get(def);
    if (cached != null) return cached;
    if (!inProgress.add(def)) return null; // a record containing itself is not valid C
    try {
      Layout l = computeRecord(def, depth);
      if (l != null) cache.put(def, l);
      return l;
    } finally {
      inProgress.remove(def);
    }
  }

  private Layout computeRecord(StructDef def, int depth) {
    long offsetBits = 0; // next free bit (struct); largest member in bits (union)
    long align = 1;
    List<StructDef.Field> fields = def.fields();
    for (int i = 0; i < fields.size(); i++) {
      StructDef.Field f = fields.get(i);
      boolean packed = def.packed() || f.packed();
      Long attrAlign = null;
      if (f.alignedTo() != null) {
        attrAlign = constant(f.alignedTo());
        if (attrAlign == null || attrAlign <= 0 || Long.bitCount(attrAlign) != 1) return null;
      }
      if (f.bitWidth() != null) {
        if (attrAlign != null) return null;
        ScalarTypes.Info info = bitFieldType(f.type());
        Long width = constant(f.bitWidth());
        if (info == null || width == null || width < 0 || width > info.bits()) return null;
        long unitBits = info.align() * 8;
        if (width == 0) {
          if (f.name() != null) return null;
          if (!def.union()) offsetBits = alignUp(offsetBits, unitBits);
          continue;
        }
        if (def.union()) {
          offsetBits = Math.max(offsetBits, width);
        } else {
          if (!packed && offsetBits / unitBits != (offsetBits + width - 1) / unitBits) {
            offsetBits = alignUp(offsetBits, unitBits);
          }
          offsetBits += width;
        }
        if (f.name() != null && !packed) align = Math.max(align, info.align());
        continue;
      }
      Layout fl;
      CType ft = strip(f.type());
      if (ft instanceof CType.Array a && a.length() == null) {
        // A flexible array member is only valid last in a struct; it adds no size.
        if (def.union() || i != fields.size() - 1) return null;
        Layout elem = layout(a.element(), depth + 1);
        if (elem == null) return null;
        fl = new Layout(0, elem.align);
      } else if (ft instanceof CType.Function) {
        // C forbids function-typed members; one means an unknown macro such as
        // "DECLARE_FOO(x, y);" was parsed as a function declarator, so the real member (and the
        // struct's size) is unknown. GNU sizeof(function) == 1 only applies to expressions.
        return null;
      } else {
        fl = layout(ft, depth + 1);
      }
      if (fl == null) return null;
      long fa = packed ? 1 : fl.align;
      if (attrAlign != null) fa = Math.max(fa, attrAlign);
      if (def.union()) {
        offsetBits = Math.max(offsetBits, fl.size * 8);
      } else {
        offsetBits = alignUp(offsetBits, fa * 8) + fl.size * 8;
      }
      align = Math.max(align, fa);
      if (offsetBits < 0 || offsetBits > (1L << 60)) return null;
    }
    if (def.alignedTo() != null) {
      Long a = constant(def.alignedTo());
      if (a == null || a <= 0 || Long.bitCount(a) != 1) return null;
      align = Math.max(align, a);
    }
    long bytes = (offsetBits + 7) / 8;
    return new Layout(alignUp(bytes, align), align);
  }

  /** Bit-fields may have integer, _Bool or enum type. */
  private static ScalarTypes.Info bitFieldType(CType t) {
    CType s = strip(t);
    if (s instanceof CType.Enum) {
      return new ScalarTypes.Info("enum", 4, 4, ScalarTypes.Kind.INT, false, "GCC enum");
    }
    ScalarTypes.Info info = scalarInfo(s);
    return info != null && info.isInteger() ? info : null;
  }

  private static long alignUp(long v, long a) {
    return (v + a - 1) / a * a;
  }

  /** An integer constant expression in a type (array length, bit width, aligned value). */
  private Long constant(Expr e) {
    if (constants == null) constants = new ValueEvaluator(target, this, null);
    CValue v = constants.eval(e);
    if (v == null || v.value().bitLength() > 62) return null;
    return v.value().longValue();
  }
}
