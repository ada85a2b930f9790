package dev.kmodcheck.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gfp verdicts on real C through the header-less frontend (GFP macros from the kernel shim). */
class GfpTest {

  private static final String CODE =
      """
      struct dev { int atomic; gfp_t gfp; };
      void *a_kernel(void) { return kmalloc(16, GFP_KERNEL); }
      void *b_atomic(void) { return kmalloc(16, GFP_ATOMIC); }
      void *c_nowait(void) { return kmalloc(16, GFP_NOWAIT); }
      void *d_masked(void) { return kmalloc(16, GFP_KERNEL & ~__GFP_DIRECT_RECLAIM); }
      void *e_local(void) { gfp_t flags = GFP_NOIO; return kmalloc(16, flags); }
      void *f_cond(int atomic) { return kmalloc(16, atomic ? GFP_ATOMIC : GFP_KERNEL); }
      void *g_param(int n, gfp_t gfp) { return kmalloc(n, gfp | __GFP_ZERO); }
      void *h_param_cleared(gfp_t gfp) { return kmalloc(16, gfp & ~__GFP_DIRECT_RECLAIM); }
      void *i_param_local(gfp_t gfp) { gfp_t g = gfp; return kmalloc(16, (gfp_t)g); }
      void *j_unknown(struct dev *d) { return kmalloc(16, d->gfp); }
      void *k_local_cond(struct dev *d) {
        gfp_t f = d->atomic ? GFP_ATOMIC : GFP_KERNEL;
        return kmalloc(16, f);
      }
      void *l_changed(int x) { gfp_t f = GFP_KERNEL; if (x) f = GFP_ATOMIC; return kmalloc(16, f); }
      void *m_not(int atomic) { return kmalloc(16, !atomic ? GFP_KERNEL : GFP_ATOMIC); }
      void *n_user(void) { return kmalloc(16, GFP_KERNEL_ACCOUNT | __GFP_NOWARN); }
      void *o_param_or_kernel(gfp_t gfp) { return kmalloc(16, gfp | GFP_KERNEL); }
      void *p_both_atomic(int a) { return kmalloc(16, a ? GFP_ATOMIC : GFP_NOWAIT); }
      """;

  @TempDir static Path dir;
  private static TranslationUnit unit;
  private static TypeLayout layout;

  @BeforeAll
  static void parse() throws IOException {
    Path file = dir.resolve("gfp.c");
    Files.writeString(file, CODE);
    unit = new Frontend(Target.defaultTarget()).parse(new SourceInput(file, "gfp.c", null));
    layout = TypeLayout.forUnit(Target.defaultTarget(), unit);
  }

  private static Gfp.Verdict verdict(String function, Map<String, Boolean> assumptions) {
    FunctionDef fn =
        unit.functions().stream().filter(f -> f.name().equals(function)).findFirst().orElseThrow();
    ValueEvaluator ev = new ValueEvaluator(Target.defaultTarget(), layout, unit, fn);
    Expr.Call kmalloc = kmallocCall(fn);
    return Gfp.of(kmalloc.args().get(1), ev, assumptions);
  }

  private static Gfp.Verdict verdict(String function) {
    return verdict(function, Map.of());
  }

  private static Expr.Call kmallocCall(FunctionDef fn) {
    List<Expr.Call> found = new ArrayList<>();
    for (Stmt s : fn.body().stmts()) {
      Expr e = null;
      if (s instanceof Stmt.Return r) e = r.value();
      if (e instanceof Expr.Call c && "kmalloc".equals(c.calleeName())) found.add(c);
    }
    return found.get(0);
  }

  @Test
  void constantsDecideByDirectReclaimBit() {
    Gfp.Verdict k = verdict("a_kernel");
    assertEquals(Gfp.Kind.BLOCKS, k.kind());
    assertEquals("GFP_KERNEL", k.text());
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("b_atomic").kind());
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("c_nowait").kind());
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("d_masked").kind());
    assertEquals(Gfp.Kind.BLOCKS, verdict("n_user").kind());
    assertEquals("GFP_KERNEL_ACCOUNT | __GFP_NOWARN", verdict("n_user").text());
  }

  @Test
  void localInitialisedOnce() {
    Gfp.Verdict v = verdict("e_local");
    assertEquals(Gfp.Kind.BLOCKS, v.kind());
    assertEquals("flags = GFP_NOIO", v.text());
    assertEquals(Gfp.Kind.UNKNOWN, verdict("l_changed").kind());
  }

  @Test
  void conditionalCountsWhenEitherArmBlocks() {
    Gfp.Verdict v = verdict("k_local_cond");
    assertEquals(Gfp.Kind.BLOCKS, v.kind());
    assertEquals("GFP_KERNEL on one branch", v.reason());
    // A parameter as the condition: the caller decides.
    Gfp.Verdict p = verdict("f_cond");
    assertEquals(Gfp.Kind.WHEN_PARAM_FALSE, p.kind());
    assertEquals(List.of(0), p.params());
    assertEquals("GFP_KERNEL when !atomic", p.reason());
    assertEquals(Gfp.Kind.WHEN_PARAM_FALSE, verdict("m_not").kind());
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("p_both_atomic").kind());
  }

  @Test
  void assumptionsPickTheArm() {
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("f_cond", Map.of("atomic", true)).kind());
    Gfp.Verdict v = verdict("f_cond", Map.of("atomic", false));
    assertEquals(Gfp.Kind.BLOCKS, v.kind());
    assertEquals("GFP_KERNEL", v.reason());
    // !atomic against an assumption on atomic, and the other way round.
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("m_not", Map.of("atomic", true)).kind());
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("f_cond", Map.of("!(atomic)", false)).kind());
    // A local initialised from the ternary benefits through the evaluator.
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("k_local_cond", Map.of("d->atomic", true)).kind());
    assertEquals(Gfp.Kind.BLOCKS, verdict("k_local_cond", Map.of("d->atomic", false)).kind());
    assertEquals(Gfp.Kind.BLOCKS, verdict("k_local_cond").kind());
  }

  @Test
  void parametersAreUpToTheCaller() {
    Gfp.Verdict v = verdict("g_param");
    assertEquals(Gfp.Kind.PARAMS, v.kind());
    assertEquals(List.of(1), v.params());
    assertEquals(Gfp.Kind.NO_BLOCK, verdict("h_param_cleared").kind());
    Gfp.Verdict local = verdict("i_param_local");
    assertEquals(Gfp.Kind.PARAMS, local.kind());
    assertEquals(List.of(0), local.params());
    assertEquals(Gfp.Kind.BLOCKS, verdict("o_param_or_kernel").kind());
  }

  @Test
  void unknownDoesNotCount() {
    assertEquals(Gfp.Kind.UNKNOWN, verdict("j_unknown").kind());
  }
}
