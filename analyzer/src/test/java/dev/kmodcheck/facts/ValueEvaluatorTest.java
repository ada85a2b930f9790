package dev.kmodcheck.facts;

import static dev.kmodcheck.facts.Ir.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Arithmetic expectations were checked against GCC 12.2 on x86_64 by printing the same C
 * expressions (value and sizeof), e.g. {@code (u8)300} is 44, {@code 1 ? -1 : 0u} is 4294967295,
 * {@code 0x80000000 * 2} is 0 but {@code 2147483648 * 2} is 4294967296.
 */
class ValueEvaluatorTest {

  private final Map<String, StructDef> structs = new HashMap<>();
  private final TypeLayout layout = new TypeLayout(structs, Map.of());
  private final Target x86 = Target.defaultTarget();

  ValueEvaluatorTest() {
    structs.put("s1", def("s1", f("c", CHAR), f("i", INT)));
    structs.put("s8", def("s8", f("n", INT), f("data", flex(s("long")))));
  }

  private CValue eval(Expr e) {
    return new ValueEvaluator(x86, layout, null).eval(e);
  }

  private static CValue v(long value, int bits, boolean unsigned) {
    return new CValue(BigInteger.valueOf(value), bits, unsigned);
  }

  private static CValue sz(long value) {
    return CValue.ofSizeT(BigInteger.valueOf(value));
  }

  private static CValue sz(BigInteger value) {
    return CValue.ofSizeT(value);
  }

  private static final Expr UNKNOWN = param("x", INT);

  @Test
  void literalsFollowC11Types() {
    assertEquals(v(5, 32, false), eval(lit(5)));
    assertEquals(v(5, 64, true), eval(ul(5)));
    assertEquals(v(5, 32, true), eval(lit("5", true, 0)));
    assertEquals(v(4294967296L, 64, false), eval(lit(4294967296L))); // long either way
    // 0x80000000 is unsigned int, 2147483648 is long: the IR cannot tell, so the type is unknown
    // but the size is not.
    Expr big = lit(2147483648L);
    assertNull(eval(big));
    assertEquals(
        BigInteger.valueOf(2147483648L), new ValueEvaluator(x86, layout, null).evalSize(big));
    assertNull(new ValueEvaluator(x86, layout, null).evalSize(bin(big, "*", lit(2))));
    assertEquals(v(65, 32, false), eval(new Expr.CharLit(R, null, BigInteger.valueOf(65))));
    assertEquals(v(3, 32, false), eval(enumerator("THREE", 3)));
  }

  @Test
  void arithmeticWithPromotionsAndConversions() {
    assertEquals(v(7, 32, false), eval(bin(lit(1), "+", bin(lit(2), "*", lit(3)))));
    assertEquals(sz(1L << 40), eval(bin(cast(SIZE_T, lit(1)), "<<", lit(40))));
    assertEquals(v(2147483648L, 32, true), eval(bin(lit("1", true, 0), "<<", lit(31))));
    assertEquals(v(0, 32, false), eval(bin(un("-", lit(1)), "<", lit("0", true, 0))));
    assertEquals(v(1, 32, false), eval(bin(un("-", lit(1)), "<", cast(s("u8"), lit(1)))));
    assertEquals(v(1, 32, false), eval(bin(un("-", lit("1", false, 1)), "<", lit("0", true, 0))));
    assertEquals(v(4294967295L, 32, true), eval(bin(lit("0", true, 0), "-", lit(1))));
    assertEquals(v(-3, 32, false), eval(bin(un("-", lit(7)), "/", lit(2))));
    assertEquals(v(-1, 32, false), eval(bin(un("-", lit(7)), "%", lit(2))));
    assertEquals(v(-1, 32, false), eval(bin(un("-", lit(1)), ">>", lit(1))));
    assertEquals(v(-1, 32, false), eval(un("~", lit(0))));
    assertEquals(v(4294967295L, 32, true), eval(un("~", lit("0", true, 0))));
    assertEquals(v(0, 32, false), eval(un("!", lit(5))));
    assertEquals(v(6, 32, false), eval(bin(UNKNOWN, ",", lit(6))));
    assertEquals(v(6, 32, false), eval(bin(lit(3), "^", lit(5))));
  }

  @Test
  void undefinedBehaviourIsNotProvable() {
    assertNull(eval(bin(lit(1), "<<", lit(31)))); // int overflow
    assertNull(eval(bin(lit(1), "<<", lit(32))));
    assertNull(eval(bin(lit(1), "<<", un("-", lit(1)))));
    assertNull(eval(bin(un("-", lit(1)), "<<", lit(1))));
    assertNull(eval(bin(lit(1), "/", lit(0))));
    assertNull(eval(bin(lit(1), "%", lit(0))));
    assertNull(eval(bin(lit(2147483647), "+", lit(1))));
    assertNull(eval(bin(cast(INT, lit(-2147483648L)), "/", un("-", lit(1)))));
    assertEquals(v(2147483648L, 32, true), eval(bin(lit("2147483647", true, 0), "+", lit(1))));
  }

  @Test
  void castsTruncateAndExtend() {
    assertEquals(v(44, 8, true), eval(cast(s("u8"), lit(300))));
    assertEquals(v(-56, 8, false), eval(cast(s("s8"), lit(200))));
    assertEquals(v(65535, 16, true), eval(cast(s("u16"), un("-", lit(1)))));
    assertEquals(v(1, 8, true), eval(cast(s("_Bool"), lit(256))));
    assertEquals(sz(CValue.SIZE_MAX), eval(cast(SIZE_T, un("-", lit(1)))));
    assertEquals(sz(4294967295L), eval(cast(SIZE_T, bin(lit("0", true, 0), "-", lit(1)))));
    assertEquals(v(65, 8, false), eval(cast(CHAR, lit(65))));
    // Plain char is signed or unsigned depending on kernel version and architecture.
    assertNull(eval(cast(CHAR, lit(200))));
    // An enum's underlying type (int or unsigned int) is not in the IR.
    assertNull(eval(bin(cast(new CType.Enum("e"), lit(0)), "-", lit(1))));
    Expr enumMinusOne = bin(cast(new CType.Enum("e"), lit(5)), "-", lit(1));
    assertNull(eval(enumMinusOne)); // int or unsigned int
    assertEquals(
        BigInteger.valueOf(4), new ValueEvaluator(x86, layout, null).evalSize(enumMinusOne));
    assertNull(eval(cast(ptr(s("void")), lit(16))));
  }

  @Test
  void logicalOperatorsShortCircuit() {
    assertEquals(v(0, 32, false), eval(bin(lit(0), "&&", UNKNOWN)));
    assertEquals(v(0, 32, false), eval(bin(UNKNOWN, "&&", lit(0))));
    assertEquals(v(1, 32, false), eval(bin(UNKNOWN, "||", lit(2))));
    assertNull(eval(bin(UNKNOWN, "&&", lit(1))));
    assertEquals(v(1, 32, false), eval(bin(lit(3), "&&", lit(4))));
  }

  @Test
  void conditionals() {
    assertEquals(v(2, 32, false), eval(cond(lit(1), lit(2), UNKNOWN)));
    assertEquals(v(4, 32, false), eval(cond(UNKNOWN, lit(4), lit(4))));
    assertNull(eval(cond(UNKNOWN, lit(4), lit(5))));
    // The result has the common type of both arms: 1 ? -1 : 0u is UINT_MAX.
    assertEquals(v(4294967295L, 32, true), eval(cond(lit(1), un("-", lit(1)), lit("0", true, 0))));
    // The arm not taken still decides the type, from its static type.
    assertEquals(sz(CValue.SIZE_MAX), eval(cond(lit(1), un("-", lit(1)), param("n", SIZE_T))));
    assertNull(eval(cond(lit(1), lit(3), param("p", new CType.Unknown("?")))));
  }

  @Test
  void sizeofAndAlignof() {
    CType ps1 = ptr(struct("s1"));
    assertEquals(sz(4), eval(sizeofT(INT)));
    assertEquals(sz(8), eval(sizeofT(struct("s1"))));
    assertEquals(sz(8), eval(sizeofE(un("*", param("p", ps1)))));
    assertEquals(sz(1), eval(sizeofE(member(param("p", ps1), "c", true))));
    assertEquals(sz(4), eval(sizeofE(member(local("s", struct("s1")), "i", false))));
    assertEquals(sz(40), eval(sizeofE(local("arr", arr(INT, 10)))));
    assertEquals(sz(4), eval(sizeofE(index(local("arr", arr(INT, 10)), lit(0)))));
    assertEquals(sz(8), eval(sizeofE(param("a", arr(INT, 10))))); // decays to a pointer
    assertEquals(sz(4), eval(sizeofE(str("\"abc\""))));
    assertEquals(sz(5), eval(sizeofE(str("\"a\\n\" \"\\x41\" \"b\""))));
    assertEquals(sz(8), eval(sizeofE(lit("1", false, 1))));
    assertEquals(sz(4), eval(sizeofE(new Expr.CharLit(R, null, BigInteger.valueOf(97)))));
    assertEquals(sz(8), eval(sizeofE(un("&", local("x", INT)))));
    assertEquals(sz(8), eval(sizeofE(bin(local("x", INT), "+", ul(1)))));
    assertEquals(sz(8), eval(alignofT(s("long"))));
    assertNull(eval(sizeofT(struct("unknown"))));
    assertNull(eval(sizeofE(un("*", param("p", ptr(struct("unknown")))))));
  }

  @Test
  void getOrderFollowsTheTargetPageSize() {
    assertEquals(CValue.ofInt(0), eval(call("get_order", lit(1))));
    assertEquals(CValue.ofInt(0), eval(call("get_order", lit(4096))));
    assertEquals(CValue.ofInt(1), eval(call("get_order", lit(4097))));
    assertEquals(CValue.ofInt(10), eval(call("get_order", lit(4 << 20))));
    assertEquals(CValue.ofInt(11), eval(call("get_order", lit((4 << 20) + 1))));
    assertNull(eval(call("get_order", lit(0))));
    ValueEvaluator k64 = new ValueEvaluator(Target.named("arm64-64k").orElseThrow(), layout, null);
    assertEquals(CValue.ofInt(0), k64.eval(call("get_order", lit(65536))));
    assertEquals(CValue.ofInt(1), k64.eval(call("get_order", lit(65537))));
    assertEquals(sz(65536), k64.eval(unresolved("PAGE_SIZE")));
  }

  @Test
  void overflowHelpersSaturate() {
    Expr sizeMax = cast(SIZE_T, un("-", lit(1)));
    assertEquals(sz(CValue.SIZE_MAX), eval(call("array_size", sizeMax, lit(2))));
    assertEquals(sz(24), eval(call("array3_size", lit(2), lit(3), lit(4))));
    assertEquals(sz(CValue.SIZE_MAX), eval(call("size_add", sizeMax, lit(1))));
    assertEquals(sz(CValue.SIZE_MAX), eval(call("size_sub", lit(1), lit(2))));
    assertEquals(sz(2), eval(call("size_sub", lit(5), lit(3))));
    assertEquals(sz(12), eval(call("size_mul", lit(3), lit(4))));
  }

  @Test
  void structSizeAndFlexArraySize() {
    Expr p = param("p", ptr(struct("s8")));
    Expr data = unresolved("data");
    assertEquals(sz(88), eval(call("struct_size", p, data, lit(10))));
    assertEquals(sz(32), eval(call("flex_array_size", p, data, lit(4))));
    assertEquals(
        sz(24), eval(call("struct_size_t", new Expr.Opaque(R, null, "struct s8"), data, lit(2))));
    assertNull(eval(call("struct_size", p, data, param("n", INT))));
    assertNull(eval(call("struct_size", p, unresolved("nope"), lit(1))));
    // A run-time count goes through size_mul/size_add and saturates.
    VarDecl n = var("n", SIZE_T, bin(cast(SIZE_T, un("-", lit(1))), "/", lit(2)));
    FunctionDef fn = fn(decl(n));
    ValueEvaluator ev = new ValueEvaluator(x86, layout, fn);
    assertEquals(sz(CValue.SIZE_MAX), ev.eval(call("struct_size", p, data, local("n", SIZE_T))));
  }

  @Test
  void otherKernelHelpers() {
    assertEquals(sz(10), eval(call("ARRAY_SIZE", local("arr", arr(INT, 10)))));
    assertEquals(sz(8), eval(call("BIT", lit(3))));
    assertNull(eval(call("BIT", lit(64))));
    assertEquals(CValue.ofInt(12), eval(call("ilog2", lit(4096))));
    assertNull(eval(call("ilog2", lit(0))));
    assertEquals(CValue.ofInt(3), eval(call("order_base_2", lit(5))));
    assertEquals(CValue.ofInt(0), eval(call("order_base_2", lit(1))));
    assertEquals(sz(8), eval(call("roundup_pow_of_two", lit(5))));
    assertEquals(sz(4), eval(call("rounddown_pow_of_two", lit(5))));
    // __ALIGN_KERNEL computes in typeof(x): int here, unsigned long for a size_t argument.
    assertEquals(v(4096, 32, false), eval(call("PAGE_ALIGN", lit(5))));
    assertEquals(sz(8192), eval(call("PAGE_ALIGN", cast(SIZE_T, lit(4097)))));
    assertEquals(v(16, 32, false), eval(call("ALIGN", lit(10), lit(8))));
    assertEquals(v(3, 32, false), eval(call("DIV_ROUND_UP", lit(10), lit(4))));
    assertEquals(v(3, 32, false), eval(call("min", lit(3), lit(5))));
    assertEquals(v(5, 32, false), eval(call("max", lit(3), lit(5))));
    assertEquals(
        sz(CValue.SIZE_MAX), eval(call("max_t", unresolved("size_t"), un("-", lit(1)), lit(5))));
    assertEquals(v(5, 32, false), eval(call("clamp", lit(10), lit(0), lit(5))));
    assertEquals(v(2, 32, false), eval(call("__builtin_choose_expr", lit(1), lit(2), UNKNOWN)));
    assertEquals(v((int) (1 << 21), 32, false), eval(unresolved("SZ_2M")));
    assertEquals(v(1L << 31, 32, true), eval(unresolved("SZ_2G")));
    assertNull(eval(call("mystery", lit(1))));
  }

  @Test
  void builtinConstantPTriesBothAnswers() {
    FunctionDef fn = fn(decl(var("n", INT, lit(4))));
    ValueEvaluator ev = new ValueEvaluator(x86, layout, fn);
    Expr bcp = call("__builtin_constant_p", local("n", INT));
    assertEquals(v(5, 32, false), ev.eval(cond(bcp, lit(5), bin(lit(1), "+", lit(4)))));
    assertNull(ev.eval(cond(bcp, lit(1), lit(2))));
    assertEquals(v(1, 32, false), ev.eval(call("__builtin_constant_p", lit(3))));
  }

  @Test
  void immutableLocalsEvaluateToTheirInitialiser() {
    VarDecl n = var("n", INT, lit(16));
    VarDecl small = var("small", s("u8"), lit(300));
    VarDecl total = var("total", SIZE_T, bin(local("n", INT), "*", lit(4)));
    VarDecl st = staticVar("st", INT, null);
    VarDecl noInit = var("noinit", INT, null);
    FunctionDef fn = fn(decl(n, small), decl(total), decl(st), decl(noInit));
    ValueEvaluator ev = new ValueEvaluator(x86, layout, fn);
    assertEquals(v(16, 32, false), ev.eval(local("n", INT)));
    assertEquals(v(44, 8, true), ev.eval(local("small", s("u8"))));
    assertEquals(sz(64), ev.eval(local("total", SIZE_T)));
    assertEquals(v(0, 32, false), ev.eval(local("st", INT)));
    assertNull(ev.eval(local("noinit", INT)));
    assertNull(ev.eval(param("n", INT)));
    assertNull(new ValueEvaluator(x86, layout, null).eval(local("n", INT)));
  }

  @Test
  void changedLocalsAreUnknown() {
    Expr a = local("a", INT);
    Expr b = local("b", INT);
    Expr c = local("c", INT);
    Expr d = local("d", INT);
    Expr e = local("e", INT);
    Expr g = local("g", INT);
    FunctionDef fn =
        fn(
            decl(
                var("a", INT, lit(1)),
                var("b", INT, lit(2)),
                var("c", INT, lit(3)),
                var("d", INT, lit(4)),
                var("e", INT, lit(5)),
                var("g", INT, lit(6))),
            stmt(bin(a, "=", lit(9))),
            stmt(bin(b, "+=", lit(1))),
            stmt(un("post++", c)),
            stmt(call("sink", un("&", d))),
            stmt(call("swap", e, lit(0))),
            new Stmt.Block(R, List.of(decl(var("g", INT, lit(7))))));
    ValueEvaluator ev = new ValueEvaluator(x86, layout, fn);
    for (Expr x : List.of(a, b, c, d, e, g)) assertNull(ev.eval(x), x.toString());
  }

  @Test
  void selfReferenceIsNotACycleForSizeof() {
    VarDecl loop = var("a", INT, bin(local("a", INT), "+", lit(1)));
    VarDecl sized = var("s", SIZE_T, sizeofE(local("s", SIZE_T)));
    ValueEvaluator ev = new ValueEvaluator(x86, layout, fn(decl(loop), decl(sized)));
    assertNull(ev.eval(local("a", INT)));
    assertEquals(sz(8), ev.eval(local("s", SIZE_T)));
  }

  @Test
  void staticGlobalsNeedTheUnit() {
    VarDecl g = staticVar("g", INT, lit(100));
    VarDecl zero = staticVar("z", INT, null);
    VarDecl exported = var("e", INT, lit(7));
    VarDecl written = staticVar("w", INT, lit(1));
    VarDecl aliased = staticVar("al", INT, lit(1));
    VarDecl ptrToAl = staticVar("pal", ptr(INT), un("&", global("al", INT)));
    VarDecl table =
        staticVar(
            "tbl",
            flex(INT),
            new Expr.InitList(
                R,
                null,
                List.of(
                    new Expr.Designated(List.of(), lit(1)),
                    new Expr.Designated(List.of(), lit(2)),
                    new Expr.Designated(List.of("[4]"), lit(3)))));
    FunctionDef writer =
        new FunctionDef(
            R,
            R,
            "writer",
            s("void"),
            List.of(),
            false,
            true,
            List.of(),
            new Stmt.Block(R, List.of(stmt(bin(global("w", INT), "=", lit(2))))),
            List.of());
    FunctionDef user = fn();
    TranslationUnit tu =
        new TranslationUnit(
            "t.c",
            10,
            List.of(writer, user),
            List.of(g, zero, exported, written, aliased, ptrToAl, table),
            List.of(),
            List.of(),
            List.of(),
            List.of());
    ValueEvaluator ev = new ValueEvaluator(x86, layout, tu, user, true);
    assertEquals(v(100, 32, false), ev.eval(global("g", INT)));
    assertEquals(v(0, 32, false), ev.eval(global("z", INT)));
    assertNull(ev.eval(global("e", INT)));
    assertNull(ev.eval(global("w", INT)));
    assertNull(ev.eval(global("al", INT)));
    assertEquals(sz(5), ev.eval(call("ARRAY_SIZE", global("tbl", flex(INT)))));
    assertEquals(sz(20), ev.eval(sizeofE(global("tbl", flex(INT)))));
    assertNull(new ValueEvaluator(x86, layout, user).eval(global("g", INT)));
    // Without trusting static globals (module_param may be invisible) only table lengths count.
    ValueEvaluator cautious = new ValueEvaluator(x86, layout, tu, user);
    assertNull(cautious.eval(global("g", INT)));
    assertEquals(sz(5), cautious.eval(call("ARRAY_SIZE", global("tbl", flex(INT)))));
  }

  @Test
  void statementExpressions() {
    Stmt.Block body =
        new Stmt.Block(
            R, List.of(decl(var("_x", INT, lit(3))), stmt(bin(local("_x", INT), "*", lit(2)))));
    assertEquals(v(6, 32, false), eval(new Expr.StmtExpr(R, null, body)));
  }

  @Test
  void deepExpressionsDoNotOverflowTheStack() {
    Expr e = lit(1);
    for (int i = 0; i < 10_000; i++) e = bin(e, "+", lit(1));
    Expr deep = e;
    assertNull(eval(deep));
    Expr u = lit(1);
    for (int i = 0; i < 10_000; i++) u = un("-", u);
    assertNull(eval(sizeofE(u)));
    FunctionDef fn = fn(decl(var("n", INT, deep)), stmt(bin(local("m", INT), "=", deep)));
    assertNull(new ValueEvaluator(x86, layout, fn).eval(local("n", INT)));
  }

  @Test
  void productDetectsSizeTOverflow() {
    CValue n = sz(BigInteger.ONE.shiftLeft(33));
    CValue size = v(1L << 31, 32, true);
    BigInteger p = CValue.product(List.of(n, size));
    assertEquals(BigInteger.ONE.shiftLeft(64), p);
    assertEquals(true, CValue.overflowsSizeT(p));
    // A negative int size becomes a huge size_t, as the allocator sees it.
    assertEquals(true, CValue.overflowsSizeT(CValue.product(List.of(sz(3), v(-1, 32, false)))));
    assertEquals(false, CValue.overflowsSizeT(CValue.product(List.of(sz(1 << 20), sz(4096)))));
    assertNull(CValue.product(Arrays.asList(n, null)));
  }
}
