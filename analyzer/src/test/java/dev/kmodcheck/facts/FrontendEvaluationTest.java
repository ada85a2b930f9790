package dev.kmodcheck.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes of allocation calls in real C parsed by the frontend (header-less mode, kernel shim).
 * Struct sizes were checked with GCC 12.2 on x86_64 compiling the same definitions: hdr 7, rx_desc
 * 64, table 4, struct_size(t, items, 100) 2404, item 24, regs 16.
 */
class FrontendEvaluationTest {

  @TempDir static Path dir;
  private static TranslationUnit unit;
  private static TypeLayout layout;

  @BeforeAll
  static void parse() throws IOException {
    Path file = dir.resolve("sizes.c");
    try (InputStream in = FrontendEvaluationTest.class.getResourceAsStream("sizes.c")) {
      Files.copy(in, file);
    }
    unit = new Frontend(Target.defaultTarget()).parse(new SourceInput(file, "sizes.c", null));
    layout = TypeLayout.forUnit(Target.defaultTarget(), unit);
  }

  /** The size argument of the allocation in {@code function}, converted to size_t. */
  private static BigInteger size(String function) {
    return size(function, Target.defaultTarget());
  }

  private static BigInteger size(String function, Target target) {
    return size(function, target, false);
  }

  private static BigInteger size(String function, Target target, boolean staticGlobals) {
    FunctionDef fn =
        unit.functions().stream()
            .filter(f -> f.name().equals(function))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no function " + function));
    List<Expr.Call> calls = new ArrayList<>();
    for (Stmt s : fn.body().stmts()) collect(s, calls);
    Expr.Call alloc =
        calls.stream()
            .filter(
                c -> "kmalloc".equals(c.calleeName()) || "__get_free_pages".equals(c.calleeName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no allocation in " + function));
    Expr arg = alloc.calleeName().equals("kmalloc") ? alloc.args().get(0) : alloc.args().get(1);
    return new ValueEvaluator(target, layout, unit, fn, staticGlobals).evalSize(arg);
  }

  @Test
  void structLayoutsFromSource() {
    assertEquals(BigInteger.valueOf(7), size("a_packed"));
    assertEquals(BigInteger.valueOf(256), size("b_aligned"));
    assertEquals(BigInteger.valueOf(4), size("c_deref"));
    assertEquals(BigInteger.valueOf(2404), size("d_struct_size"));
    assertEquals(BigInteger.valueOf(16), size("m_bits"));
    assertEquals(BigInteger.valueOf(20), size("n_member"));
  }

  @Test
  void constantsAndHelpers() {
    assertEquals(BigInteger.valueOf(256 * 24), size("e_enum"));
    assertEquals(BigInteger.valueOf((4 << 20) + 4096), size("f_sz"));
    assertEquals(BigInteger.valueOf(8), size("g_order"));
    assertEquals(BigInteger.valueOf(4096), size("o_minmax"));
    assertEquals(BigInteger.valueOf(128), size("q_ternary"));
    assertEquals(BigInteger.valueOf(8192), size("s_page_align"));
    Target k64 = Target.named("arm64-64k").orElseThrow();
    // get_order follows the evaluator's page size: 1 MiB is 16 pages of 64 KiB, order 4.
    assertEquals(BigInteger.valueOf(4), size("g_order", k64, false));
    assertEquals(BigInteger.ONE.shiftLeft(31), size("p_sz2g"));
    assertNull(size("r_shift")); // int overflow is undefined
  }

  @Test
  void localsAndGlobals() {
    assertEquals(BigInteger.valueOf(64 * 24), size("h_local"));
    assertNull(size("i_assigned"));
    assertEquals(BigInteger.valueOf(65536), size("t_bare_local"));
    assertNull(size("u_swapped")); // do_div() writes its first argument
    assertNull(size("j_static")); // static globals are not trusted by default
    assertEquals(BigInteger.valueOf(256 * 16), size("j_static", Target.defaultTarget(), true));
    assertEquals(BigInteger.valueOf(3 * 10), size("l_array"));
  }

  @Test
  void moduleParametersAreNotConstants() {
    VarDecl tunable =
        unit.globals().stream().filter(g -> g.name().equals("tunable")).findFirst().orElse(null);
    assertNotNull(tunable);
    assertNull(size("k_param"));
    // The shim makes module_param() take the variable's address, so even when static globals
    // are trusted a module parameter stays unknown: userspace sets it at load time.
    assertNull(size("k_param", Target.defaultTarget(), true));
  }

  private static void collect(Object node, List<Expr.Call> out) {
    if (node instanceof Expr.Call c) {
      out.add(c);
      c.args().forEach(a -> collect(a, out));
    } else if (node instanceof Stmt.Return r) {
      collect(r.value(), out);
    } else if (node instanceof Stmt.ExprStmt e) {
      collect(e.expr(), out);
    } else if (node instanceof Stmt.Decl d) {
      d.vars().forEach(v -> collect(v.init(), out));
    } else if (node instanceof Stmt.If i) {
      collect(i.cond(), out);
      collect(i.then(), out);
      collect(i.otherwise(), out);
    } else if (node instanceof Stmt.Block b) {
      b.stmts().forEach(s -> collect(s, out));
    } else if (node instanceof Expr.Cast c) {
      collect(c.operand(), out);
    }
  }
}
