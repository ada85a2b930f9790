package dev.kmodcheck.facts;

import java.util.HashMap;
import java.util.Map;

/**
 * Sizes, alignments and integer semantics of builtin C types and kernel typedef/struct names on
 * LP64 (x86_64 and arm64 agree on all of them), as one data table. Each kernel row cites
 * docs/kernel-facts.md. Lock and object sizes are the Debian defaults without lock debugging
 * (docs/kernel-facts.md §6.4): with CONFIG_DEBUG_SPINLOCK, lockdep or PREEMPT_RT they grow, so a
 * definition parsed from the real headers (build-aware mode) always wins over this table.
 */
public final class ScalarTypes {

  /** What a value of the type is, for the evaluator. */
  public enum Kind {
    /** An integer type with a fixed signedness. */
    INT,
    /**
     * Plain char: signed on x86_64 with 6.1, unsigned with -funsigned-char (all architectures since
     * 6.2, and arm64 always), so only values 0..127 are provable.
     */
    CHAR,
    /** _Bool: conversion yields 0 or 1. */
    BOOL,
    FLOAT,
    /** GNU C: sizeof(void) is 1. */
    VOID,
    /** Size known, not an arithmetic type (atomic_t, spinlock_t, struct list_head, ...). */
    OPAQUE
  }

  /** One table row; {@code source} cites (docs/kernel-facts.md section or "C/LP64"). */
  public record Info(
      String name, long size, long align, Kind kind, boolean unsigned, String source) {
    public int bits() {
      return (int) (size * 8);
    }

    public boolean isInteger() {
      return kind == Kind.INT || kind == Kind.CHAR || kind == Kind.BOOL;
    }
  }

  private static final String LP64 = "C/LP64 psABI";
  private static final String F63 = "kernel-facts §6.3";
  private static final String F64 = "kernel-facts §6.4 (Debian default, no lock debugging)";

  private static final Map<String, Info> TYPEDEFS = new HashMap<>();
  private static final Map<String, Info> STRUCT_TAGS = new HashMap<>();

  static {
    // Builtin types (GCC on x86_64 and arm64 LP64).
    scalar("char", 1, Kind.CHAR, false, LP64);
    scalar("signed char", 1, Kind.INT, false, LP64);
    scalar("unsigned char", 1, Kind.INT, true, LP64);
    scalar("short", 2, Kind.INT, false, LP64);
    scalar("unsigned short", 2, Kind.INT, true, LP64);
    scalar("int", 4, Kind.INT, false, LP64);
    scalar("unsigned int", 4, Kind.INT, true, LP64);
    scalar("long", 8, Kind.INT, false, LP64);
    scalar("unsigned long", 8, Kind.INT, true, LP64);
    scalar("long long", 8, Kind.INT, false, LP64);
    scalar("unsigned long long", 8, Kind.INT, true, LP64);
    scalar("__int128", 16, Kind.INT, false, LP64);
    scalar("unsigned __int128", 16, Kind.INT, true, LP64);
    scalar("_Bool", 1, Kind.BOOL, true, LP64);
    scalar("float", 4, Kind.FLOAT, false, LP64);
    scalar("double", 8, Kind.FLOAT, false, LP64);
    scalar("long double", 16, Kind.FLOAT, false, LP64);
    scalar("void", 1, Kind.VOID, false, "GCC extension: sizeof(void) == 1");

    // Kernel fixed-width typedefs (include/asm-generic/int-ll64.h, include/uapi/linux/types.h).
    for (String n : new String[] {"u8", "__u8", "uint8_t", "u_int8_t"}) {
      scalar(n, 1, Kind.INT, true, F63);
    }
    for (String n : new String[] {"s8", "__s8", "int8_t"}) scalar(n, 1, Kind.INT, false, F63);
    for (String n :
        new String[] {"u16", "__u16", "__le16", "__be16", "__sum16", "uint16_t", "u_int16_t"}) {
      scalar(n, 2, Kind.INT, true, F63);
    }
    for (String n : new String[] {"s16", "__s16", "int16_t"}) scalar(n, 2, Kind.INT, false, F63);
    for (String n :
        new String[] {"u32", "__u32", "__le32", "__be32", "__wsum", "uint32_t", "u_int32_t"}) {
      scalar(n, 4, Kind.INT, true, F63);
    }
    for (String n : new String[] {"s32", "__s32", "int32_t"}) scalar(n, 4, Kind.INT, false, F63);
    for (String n : new String[] {"u64", "__u64", "__le64", "__be64", "uint64_t", "u_int64_t"}) {
      scalar(n, 8, Kind.INT, true, F63);
    }
    for (String n : new String[] {"s64", "__s64", "int64_t"}) scalar(n, 8, Kind.INT, false, F63);
    scalar("bool", 1, Kind.BOOL, true, F63 + " (_Bool, include/linux/types.h:30)");
    for (String n : new String[] {"size_t", "__kernel_size_t", "uintptr_t"}) {
      scalar(n, 8, Kind.INT, true, F63 + " (__kernel_size_t is unsigned long)");
    }
    for (String n : new String[] {"ssize_t", "ptrdiff_t", "loff_t", "__kernel_ssize_t"}) {
      scalar(n, 8, Kind.INT, false, F63);
    }
    scalar("dma_addr_t", 8, Kind.INT, true, F63 + " (CONFIG_ARCH_DMA_ADDR_T_64BIT)");
    scalar("phys_addr_t", 8, Kind.INT, true, F63 + " (CONFIG_PHYS_ADDR_T_64BIT)");
    scalar("resource_size_t", 8, Kind.INT, true, F63);
    for (String n : new String[] {"gfp_t", "slab_flags_t", "fmode_t"}) {
      scalar(n, 4, Kind.INT, true, F63 + " (unsigned int __bitwise)");
    }
    scalar("sector_t", 8, Kind.INT, true, F63);
    scalar("blkcnt_t", 8, Kind.INT, true, F63);
    scalar("pgoff_t", 8, Kind.INT, true, F63 + " (unsigned long)");
    scalar("ktime_t", 8, Kind.INT, false, F63 + " (s64)");

    // Wrapper structs with a fixed size (docs/kernel-facts.md §6.3).
    opaque("atomic_t", 4, 4, F63);
    opaque("atomic64_t", 8, 8, F63);
    opaque("atomic_long_t", 8, 8, F63);
    opaque("refcount_t", 4, 4, F63);
    tag("refcount_struct", 4, 4, F63);
    tag("kref", 4, 4, F63);
    tag("list_head", 16, 8, F63);
    tag("hlist_head", 8, 8, F63);
    tag("hlist_node", 16, 8, F63);
    tag("rcu_head", 16, 8, F63);
    tag("callback_head", 16, 8, F63);
    tag("rb_node", 24, 8, F63);
    tag("rb_root", 8, 8, F63);

    // Locks and kernel objects: config dependent (docs/kernel-facts.md §6.4).
    opaque("spinlock_t", 4, 4, F64);
    tag("spinlock", 4, 4, F64);
    opaque("raw_spinlock_t", 4, 4, F64);
    tag("raw_spinlock", 4, 4, F64);
    opaque("rwlock_t", 8, 4, F64);
    tag("mutex", 32, 8, F64);
    opaque("wait_queue_head_t", 24, 8, F64);
    tag("wait_queue_head", 24, 8, F64);
    tag("completion", 32, 8, F64);
    tag("work_struct", 32, 8, F64);
    tag("timer_list", 40, 8, F64);
    tag("delayed_work", 88, 8, F64);
    tag("tasklet_struct", 40, 8, F64);
  }

  private ScalarTypes() {}

  private static void scalar(String name, long size, Kind kind, boolean unsigned, String src) {
    TYPEDEFS.put(name, new Info(name, size, size, kind, unsigned, src));
  }

  private static void opaque(String name, long size, long align, String src) {
    TYPEDEFS.put(name, new Info(name, size, align, Kind.OPAQUE, false, src));
  }

  private static void tag(String tag, long size, long align, String src) {
    STRUCT_TAGS.put(tag, new Info("struct " + tag, size, align, Kind.OPAQUE, false, src));
  }

  /** The builtin or kernel typedef name, in any GCC spelling ("long unsigned int"), or null. */
  public static Info named(String spelling) {
    if (spelling == null) return null;
    Info direct = TYPEDEFS.get(spelling);
    if (direct != null) return direct;
    String canonical = canonicalBuiltin(spelling);
    return canonical == null ? null : TYPEDEFS.get(canonical);
  }

  /** A kernel struct known by tag when its definition was not parsed, or null. */
  public static Info structTag(String tag) {
    return tag == null ? null : STRUCT_TAGS.get(tag);
  }

  /**
   * Reduces a multi-word builtin spelling to the table's form: qualifiers dropped, words in any
   * order ("long unsigned int" and "unsigned long" are the same type). Null if it is not a builtin.
   */
  static String canonicalBuiltin(String spelling) {
    int longs = 0;
    boolean unsigned = false;
    boolean signed = false;
    String base = null;
    for (String w : spelling.trim().split("\\s+")) {
      switch (w) {
        case "const", "volatile", "__const", "__volatile__", "restrict", "__restrict" -> {}
        case "unsigned" -> unsigned = true;
        case "signed", "__signed__", "__signed" -> signed = true;
        case "long" -> longs++;
        case "short", "char", "int", "__int128", "double", "float", "void" -> {
          if (base != null && !(base.equals("int") || w.equals("int"))) return null;
          if (base == null || base.equals("int")) base = w;
        }
        default -> {
          if (w.equals("_Bool")) {
            base = "_Bool";
          } else {
            return null;
          }
        }
      }
    }
    if (unsigned && signed) return null;
    if (base == null) base = "int";
    if (base.equals("double")) {
      if (unsigned || signed || longs > 1) return null;
      return longs == 1 ? "long double" : "double";
    }
    if (longs > 0 && !base.equals("int")) return null;
    if (longs > 2) return null;
    String core =
        switch (base) {
          case "int" -> longs == 2 ? "long long" : longs == 1 ? "long" : "int";
          case "char" -> signed ? "signed char" : unsigned ? "unsigned char" : "char";
          default -> base;
        };
    if (base.equals("char")) return core;
    if (unsigned) {
      if (base.equals("float") || base.equals("void") || base.equals("_Bool")) return null;
      return "unsigned " + core;
    }
    return core;
  }
}
