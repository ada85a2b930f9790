package dev.kmodcheck.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.check.Fact;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.check.UnitRule;
import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.KernelApis;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The four size rules on hand-built IR, independent of the C frontend: one call per line, and the
 * rule ids reported per line. The corpus covers the same ground end to end.
 */
class AllocationRulesTest {

  private static final List<UnitRule> RULES =
      List.of(
          new KmallocSizeLimit(),
          new KmallocCostlyOrder(),
          new PageOrderLimit(),
          new PageOrderCostly());
  private static final long MIB = 1 << 20;
  private static final long GFP_KERNEL = 0xcc0;
  private static final long NOWARN = 0x2000;

  @Test
  void kmallocSizesAroundTheLimitsOnX86() {
    assertEquals(
        List.of(
            "2 kmalloc-costly-order kmalloc of 4194304 bytes (4 MiB) needs an order-10 page block,"
                + " above PAGE_ALLOC_COSTLY_ORDER (32 KiB on x86_64): it is likely to fail when"
                + " memory is fragmented",
            "3 kmalloc-size-limit kmalloc of 4194305 bytes (4 MiB + 1 byte) exceeds"
                + " KMALLOC_MAX_SIZE (4 MiB on x86_64): the allocation always fails",
            "5 kmalloc-costly-order kzalloc of 32769 bytes (32 KiB + 1 byte) needs an order-4"
                + " page block, above PAGE_ALLOC_COSTLY_ORDER (32 KiB on x86_64): it is likely to"
                + " fail when memory is fragmented"),
        run(
            Target.defaultTarget(),
            call(1, "kmalloc", lit(32 * 1024), lit(GFP_KERNEL)),
            call(2, "kmalloc", lit(4 * MIB), lit(GFP_KERNEL)),
            call(3, "kmalloc", lit(4 * MIB + 1), lit(GFP_KERNEL)),
            call(4, "kmalloc", lit(4 * MIB), lit(GFP_KERNEL | NOWARN)),
            call(5, "kzalloc", lit(32 * 1024 + 1), lit(GFP_KERNEL)),
            call(6, "kvmalloc", lit(8 * MIB), lit(GFP_KERNEL)),
            call(7, "vmalloc", lit(8 * MIB))));
  }

  @Test
  void devmHeaderPushesExactlyTheLimitOver() {
    assertEquals(
        List.of(
            "1 kmalloc-size-limit devm_kmalloc of 4194304 bytes plus its 40-byte devres header"
                + " (4 MiB + 40 bytes) exceeds KMALLOC_MAX_SIZE (4 MiB on x86_64): the allocation"
                + " always fails"),
        run(
            Target.defaultTarget(),
            call(1, "devm_kmalloc", ident("dev"), lit(4 * MIB), lit(GFP_KERNEL))));
    assertEquals(
        List.of("1 kmalloc-size-limit", "2 kmalloc-costly-order"),
        prefixes(
            run(
                Target.defaultTarget(),
                call(1, "devm_kmalloc", ident("dev"), lit(4 * MIB), lit(GFP_KERNEL)),
                call(2, "devm_kmalloc", ident("dev"), lit(4 * MIB - 40), lit(GFP_KERNEL)),
                call(3, "devm_kzalloc", ident("dev"), lit(32 * 1024 - 40), lit(GFP_KERNEL)))));
  }

  @Test
  void multiplicationOverflowIsReportedOnce() {
    BigInteger half = BigInteger.ONE.shiftLeft(63);
    assertEquals(
        List.of(
            "1 kmalloc-size-limit kcalloc of 9223372036854775808 x 4 overflows size_t: the overflow"
                + " check makes the allocation always fail (NULL, no warning)"),
        run(Target.defaultTarget(), call(1, "kcalloc", lit(half), lit(4), lit(GFP_KERNEL))));
    assertEquals(
        List.of("1 kmalloc-size-limit", "2 kmalloc-size-limit"),
        prefixes(
            run(
                Target.defaultTarget(),
                call(1, "kcalloc", lit(half), lit(4), lit(GFP_KERNEL)),
                call(2, "kmalloc_array", lit(1024), lit(8192), lit(GFP_KERNEL)),
                call(3, "kcalloc", lit(0), lit(half), lit(GFP_KERNEL)))));
  }

  @Test
  void pageOrdersAndExactSizes() {
    assertEquals(
        List.of(
            "4 page-order-limit alloc_pages of order 11 (8 MiB) exceeds the largest page order 10"
                + " (4 MiB on x86_64): the allocation always fails",
            "5 page-order-limit alloc_pages_exact of 8388608 bytes (8 MiB, order 11) exceeds the"
                + " largest page order 10 (4 MiB on x86_64): the allocation always fails"),
        run(
            Target.defaultTarget(),
            call(4, "alloc_pages", lit(GFP_KERNEL), lit(11)),
            call(5, "alloc_pages_exact", lit(8 * MIB), lit(GFP_KERNEL))));
    assertEquals(
        List.of(
            "2 page-order-costly",
            "3 page-order-costly",
            "4 page-order-limit",
            "5 page-order-limit",
            "7 page-order-limit"),
        prefixes(
            run(
                Target.defaultTarget(),
                call(1, "alloc_pages", lit(GFP_KERNEL), lit(3)),
                call(2, "alloc_pages_noprof", lit(GFP_KERNEL), lit(4)),
                call(3, "__get_free_pages", lit(GFP_KERNEL), lit(10)),
                call(4, "alloc_pages", lit(GFP_KERNEL), lit(11)),
                call(5, "alloc_pages_exact", lit(8 * MIB), lit(GFP_KERNEL)),
                call(6, "alloc_pages_exact", lit(32 * 1024), lit(GFP_KERNEL)),
                call(7, "alloc_pages", lit(GFP_KERNEL), lit(-1)),
                call(8, "alloc_pages", lit(GFP_KERNEL | NOWARN), lit(5)),
                call(9, "alloc_pages", lit(GFP_KERNEL), ident("order")))));
  }

  @Test
  void targetProfilesMoveTheLimits() {
    Target arm64k = Target.named("arm64-64k").orElseThrow();
    Target legacy = Target.named("legacy-128k").orElseThrow();
    assertEquals(
        List.of(
            "1 kmalloc-costly-order",
            "2 kmalloc-size-limit",
            "3 page-order-costly",
            "4 page-order-limit"),
        prefixes(
            run(
                arm64k,
                call(1, "kmalloc", lit(512 * MIB), lit(GFP_KERNEL)),
                call(2, "kmalloc", lit(512 * MIB + 1), lit(GFP_KERNEL)),
                call(3, "alloc_pages", lit(GFP_KERNEL), lit(13)),
                call(4, "alloc_pages", lit(GFP_KERNEL), lit(14)),
                call(5, "kmalloc", lit(512 * 1024), lit(GFP_KERNEL)))));
    assertEquals(
        List.of("1 kmalloc-size-limit", "2 kmalloc-costly-order", "3 page-order-costly"),
        prefixes(
            run(
                legacy,
                call(1, "kmalloc", lit(128 * 1024 + 1), lit(GFP_KERNEL)),
                call(2, "kmalloc", lit(128 * 1024), lit(GFP_KERNEL)),
                call(3, "alloc_pages", lit(GFP_KERNEL), lit(10)))));
  }

  @Test
  void macroNameIsShownAndNestedExpansionReportedOnce() {
    // 6.12: kcalloc(n, size, flags) -> kmalloc_array_noprof(n, size, flags | __GFP_ZERO); both
    // nodes of the expansion carry the macro's range.
    Expr.Call inner =
        new Expr.Call(
            at(1),
            "kcalloc",
            fn("kmalloc_array_noprof"),
            List.of(lit(1024), lit(8192), lit(GFP_KERNEL)));
    Expr.Call outer =
        new Expr.Call(at(1), "kcalloc", fn("kmalloc_array"), List.of(lit(1024), lit(8192), inner));
    assertEquals(
        List.of(
            "1 kmalloc-size-limit kcalloc of 1024 x 8192 = 8388608 bytes (8 MiB) exceeds"
                + " KMALLOC_MAX_SIZE (4 MiB on x86_64): the allocation always fails"),
        run(Target.defaultTarget(), inner));
    assertEquals(List.of("1 kmalloc-size-limit"), prefixes(run(Target.defaultTarget(), outer)));
  }

  // ---------------------------------------------------------------- tiny IR builder

  private static List<String> run(Target target, Expr.Call... calls) {
    List<Stmt> stmts = new ArrayList<>();
    for (Expr.Call c : calls) stmts.add(new Stmt.ExprStmt(c.range(), c));
    FunctionDef fn =
        new FunctionDef(
            at(1),
            at(1),
            "probe",
            new CType.Scalar("int"),
            List.of(),
            false,
            false,
            List.of(),
            new Stmt.Block(at(1), stmts),
            List.of());
    TranslationUnit unit =
        new TranslationUnit(
            "m.c", 10, List.of(fn), List.of(), List.of(), List.of(), List.of(), List.of());
    List<Finding> findings = new ArrayList<>();
    UnitContext ctx =
        new UnitContext() {
          @Override
          public TranslationUnit unit() {
            return unit;
          }

          @Override
          public Target target() {
            return target;
          }

          @Override
          public KernelApis apis() {
            return KernelApis.builtin();
          }

          @Override
          public ValueEvaluator evaluator(FunctionDef f) {
            return new ValueEvaluator(target, new TypeLayout(Map.of(), Map.of()), f);
          }

          private final Map<Fact<UnitContext, ?>, Object> facts = new HashMap<>();

          @Override
          @SuppressWarnings("unchecked")
          public <T> T fact(Fact<UnitContext, T> key) {
            if (!facts.containsKey(key)) facts.put(key, key.make(this));
            return (T) facts.get(key);
          }

          @Override
          public void report(Finding finding) {
            findings.add(finding);
          }
        };
    RULES.forEach(r -> r.checkUnit(ctx));
    findings.sort(Finding.ORDER);
    return findings.stream()
        .map(f -> f.range().line() + " " + f.ruleId() + " " + f.message())
        .toList();
  }

  /** "line rule-id" of each finding, for tests about which calls are reported. */
  private static List<String> prefixes(List<String> lines) {
    return lines.stream().map(l -> l.substring(0, l.indexOf(' ', l.indexOf(' ') + 1))).toList();
  }

  private static Expr.Call call(int line, String name, Expr... args) {
    return new Expr.Call(at(line), null, fn(name), List.of(args));
  }

  private static Expr fn(String name) {
    return new Expr.Ident(at(0), null, name, Expr.IdKind.UNRESOLVED, null, null);
  }

  private static Expr ident(String name) {
    return new Expr.Ident(at(0), null, name, Expr.IdKind.PARAM, new CType.Scalar("int"), null);
  }

  private static Expr lit(long v) {
    return lit(BigInteger.valueOf(v));
  }

  private static Expr lit(BigInteger v) {
    // Negative values as the unary minus the frontend produces.
    if (v.signum() < 0) return new Expr.Unary(at(0), null, "-", lit(v.negate()));
    return new Expr.IntLit(at(0), null, v, true, 2);
  }

  private static SrcRange at(int line) {
    return new SrcRange("m.c", line, 1, line, 20);
  }
}
