package dev.kmodcheck.facts;

import static dev.kmodcheck.facts.Ir.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.StructDef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Expected sizes and alignments were produced by GCC 12.2 on x86_64 (Debian 12) compiling the
 * equivalent C definitions, quoted in each comment, and printing sizeof/_Alignof.
 */
class TypeLayoutTest {

  private final Map<String, StructDef> structs = new HashMap<>();
  private final Map<String, StructDef> unions = new HashMap<>();
  private final TypeLayout layout = new TypeLayout(structs, unions);

  private void add(StructDef d) {
    (d.union() ? unions : structs).put(d.tag(), d);
  }

  private void assertLayout(long size, long align, CType t) {
    assertEquals(OptionalLong.of(size), layout.sizeOf(t), "sizeof " + t);
    assertEquals(OptionalLong.of(align), layout.alignOf(t), "alignof " + t);
  }

  @Test
  void builtinScalarsAndSpellings() {
    assertLayout(1, 1, CHAR);
    assertLayout(2, 2, s("short int"));
    assertLayout(8, 8, s("long unsigned int"));
    assertLayout(8, 8, s("unsigned long long"));
    assertLayout(16, 16, s("long double"));
    assertLayout(1, 1, s("_Bool"));
    assertLayout(1, 1, s("void")); // GNU C
    assertLayout(8, 8, ptr(s("void")));
    assertLayout(4, 4, new CType.Enum("e"));
    assertTrue(layout.sizeOf(s("long short")).isEmpty());
    assertTrue(layout.sizeOf(new CType.Unknown("x")).isEmpty());
  }

  @Test
  void kernelTypedefsAndObjects() {
    assertLayout(1, 1, s("u8"));
    assertLayout(2, 2, s("__be16"));
    assertLayout(4, 4, new CType.Typedef("gfp_t", null));
    assertLayout(8, 8, new CType.Typedef("dma_addr_t", null));
    assertLayout(4, 4, new CType.Typedef("spinlock_t", null));
    assertLayout(24, 8, new CType.Typedef("wait_queue_head_t", null));
    assertLayout(32, 8, struct("mutex"));
    assertLayout(88, 8, struct("delayed_work"));
    assertLayout(16, 8, struct("list_head"));
    // A resolved typedef uses its target, not the table.
    assertLayout(2, 2, new CType.Typedef("u8", s("short")));
    assertTrue(layout.sizeOf(struct("not_known")).isEmpty());
  }

  @Test
  void naturalAlignmentAndPadding() {
    add(def("s1", f("c", CHAR), f("i", INT))); // struct s1 { char c; int i; }: 8/4
    add(def("s2", f("c", CHAR), f("l", s("long")), f("d", CHAR))); // 24/8
    add(def("s14", f("c", CHAR), f("ld", s("long double")))); // 32/16
    // struct s15 { _Bool b; char c[3]; struct s1 inner; }: 12/4
    add(def("s15", f("b", s("_Bool")), f("c", arr(CHAR, 3)), f("inner", struct("s1"))));
    assertLayout(8, 4, struct("s1"));
    assertLayout(24, 8, struct("s2"));
    assertLayout(32, 16, struct("s14"));
    assertLayout(12, 4, struct("s15"));
    assertLayout(80, 4, arr(struct("s1"), 10));
  }

  @Test
  void functionTypedMemberMakesTheRecordUnknown() {
    // "struct q { int n; DECLARE_FOO(a, b); };" with DECLARE_FOO unknown reads as a member of
    // function type int(): GCC rejects it, and the real member's size is unknown.
    CType fnType = new CType.Function(INT, List.of(INT), false);
    add(def("q", f("n", INT), f("DECLARE_FOO", fnType)));
    add(def("outer", f("inner", struct("q")), f("c", CHAR)));
    // A pointer to a function is an ordinary 8-byte member.
    add(def("ops", f("n", INT), f("fn", ptr(fnType))));
    assertTrue(layout.sizeOf(struct("q")).isEmpty());
    assertTrue(layout.sizeOf(struct("outer")).isEmpty());
    assertLayout(16, 8, struct("ops"));
    // As an expression operand GNU C still gives sizeof(function) == 1.
    assertLayout(1, 1, fnType);
  }

  @Test
  void packedAndAligned() {
    // struct __packed s3 { char c; int i; short s; }: 7/1
    add(packedDef("s3", f("c", CHAR), f("i", INT), f("s", s("short"))));
    // struct __aligned(16) s4 { int x; }: 16/16
    add(alignedDef("s4", 16, f("x", INT)));
    // struct s5 { char c; int x __aligned(8); }: 16/8
    add(def("s5", f("c", CHAR), aligned("x", INT, 8)));
    // struct __packed s6 { char c; int x __aligned(2); }: 6/2
    add(packedDef("s6", f("c", CHAR), aligned("x", INT, 2)));
    // struct s7 { char c; int x __packed; char d; }: 6/1
    add(def("s7", f("c", CHAR), packedField("x", INT), f("d", CHAR)));
    // struct __packed __aligned(4) s16 { char c; int i; }: 8/4
    add(new StructDef(R, false, "s16", List.of(f("c", CHAR), f("i", INT)), true, lit(4)));
    assertLayout(7, 1, struct("s3"));
    assertLayout(16, 16, struct("s4"));
    assertLayout(16, 8, struct("s5"));
    assertLayout(6, 2, struct("s6"));
    assertLayout(6, 1, struct("s7"));
    assertLayout(8, 4, struct("s16"));
  }

  @Test
  void flexibleAndZeroLengthArrays() {
    add(def("s8", f("n", INT), f("data", flex(s("long"))))); // 8/8
    add(def("s9", f("c", CHAR), f("d", flex(CHAR)))); // 1/1
    add(def("s10", f("a", s("short")), f("z", arr(INT, 0)))); // 4/4
    add(def("bad", f("d", flex(CHAR)), f("c", CHAR))); // not last: invalid C
    assertLayout(8, 8, struct("s8"));
    assertLayout(1, 1, struct("s9"));
    assertLayout(4, 4, struct("s10"));
    assertTrue(layout.sizeOf(struct("bad")).isEmpty());
    assertTrue(layout.sizeOf(flex(CHAR)).isEmpty());
  }

  @Test
  void unionsAnonymousMembersAndNesting() {
    add(unionDef("u1", f("c", arr(CHAR, 5)), f("i", INT))); // union u1: 8/4
    // struct s11 { int a; union { char b; long c; }; }: 16/8
    add(unionDef("anon1", f("b", CHAR), f("c", s("long"))));
    add(def("s11", f("a", INT), f(null, union("anon1"))));
    // struct s12 { struct list_head l; int x; } with the table's list_head: 24/8
    add(def("s12", f("l", struct("list_head")), f("x", INT)));
    // struct s13 { struct s13 *next; int v; }: 16/8
    add(def("s13", f("next", ptr(struct("s13"))), f("v", INT)));
    assertLayout(8, 4, union("u1"));
    assertLayout(16, 8, struct("s11"));
    assertLayout(24, 8, struct("s12"));
    assertLayout(16, 8, struct("s13"));
    assertEquals(s("long"), layout.fieldType(struct("s11"), "c"));
  }

  @Test
  void unknownMemberOrRecursionMakesUnknown() {
    add(def("u", f("a", INT), f("x", struct("never_defined"))));
    add(def("loop", f("a", INT), f("self", struct("loop")))); // only legal through a pointer
    assertTrue(layout.sizeOf(struct("u")).isEmpty());
    assertTrue(layout.sizeOf(struct("loop")).isEmpty());
  }

  @Test
  void bitFields() {
    // struct a { char c; int :0; char d; }: 5/1 (zero width pads, no alignment)
    add(def("a", f("c", CHAR), bits(null, INT, 0), f("d", CHAR)));
    // struct b { char c; int :4; char d; }: 3/1 (unnamed: no alignment)
    add(def("b", f("c", CHAR), bits(null, INT, 4), f("d", CHAR)));
    // struct c { char c; long x:4; }: 8/8
    add(def("c", f("c", CHAR), bits("x", s("long"), 4)));
    // struct e { char c; int x:30; int y:4; }: 12/4 (straddling starts a new unit)
    add(def("e", f("c", CHAR), bits("x", INT, 30), bits("y", INT, 4)));
    // struct f { unsigned char a:3; unsigned char b:6; }: 2/1
    add(def("f", bits("a", s("unsigned char"), 3), bits("b", s("unsigned char"), 6)));
    // struct __packed g { char c; int x:30; int y:4; }: 6/1
    add(packedDef("g", f("c", CHAR), bits("x", INT, 30), bits("y", INT, 4)));
    // struct __packed k { char c; int :0; char d; }: 5/1
    add(packedDef("k", f("c", CHAR), bits(null, INT, 0), f("d", CHAR)));
    // struct l { short s; char c:4; char d:5; }: 4/2
    add(def("l", f("s", s("short")), bits("c", CHAR, 4), bits("d", CHAR, 5)));
    // struct m { char c; long long x:40; }: 8/8
    add(def("m", f("c", CHAR), bits("x", s("long long"), 40)));
    // union u { int a:3; char b; }: 4/4
    add(unionDef("ub", bits("a", INT, 3), f("b", CHAR)));
    add(def("wide", bits("x", CHAR, 9))); // wider than its type: invalid
    assertLayout(5, 1, struct("a"));
    assertLayout(3, 1, struct("b"));
    assertLayout(8, 8, struct("c"));
    assertLayout(12, 4, struct("e"));
    assertLayout(2, 1, struct("f"));
    assertLayout(6, 1, struct("g"));
    assertLayout(5, 1, struct("k"));
    assertLayout(4, 2, struct("l"));
    assertLayout(8, 8, struct("m"));
    assertLayout(4, 4, union("ub"));
    assertTrue(layout.sizeOf(struct("wide")).isEmpty());
  }
}
