package dev.kmodcheck.frontend;

import static dev.kmodcheck.frontend.FrontendTestSupport.function;
import static dev.kmodcheck.frontend.FrontendTestSupport.parse;
import static dev.kmodcheck.frontend.FrontendTestSupport.walk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Header-less macros of the parse-quality section and the shim's kfifo types, checked through the
 * sizes they produce. Expected sizes are from GCC 12.2 on x86_64 compiling the 6.1 kfifo.h
 * definitions: struct q 80 (g at offset 32), struct r 48, struct s 40.
 */
class HeaderlessMacrosTest {

  @TempDir Path dir;

  private static OptionalLong sizeOf(TranslationUnit tu, String tag) {
    return TypeLayout.forUnit(Target.defaultTarget(), tu).sizeOf(new CType.Record(false, tag));
  }

  /** Values of the return statements of {@code fn}, in order. */
  private static List<BigInteger> returned(TranslationUnit tu, String fn) {
    FunctionDef f = function(tu, fn);
    TypeLayout layout = TypeLayout.forUnit(Target.defaultTarget(), tu);
    ValueEvaluator ev = new ValueEvaluator(Target.defaultTarget(), layout, tu, f, true);
    List<BigInteger> out = new ArrayList<>();
    walk(
        f.body(),
        e -> {},
        s -> {
          if (s instanceof Stmt.Return r) {
            var v = ev.eval(r.value());
            out.add(v == null ? null : v.value());
          }
        });
    return out;
  }

  @Test
  void kfifoDeclarationsHaveTheKernelLayout() {
    TranslationUnit tu =
        parse(
            dir,
            "drivers/k/fifo.c",
            """
        struct big { long double x; };
        struct q { int n; DECLARE_KFIFO_PTR(f, int); DECLARE_KFIFO(g, unsigned char, 16); char c; };
        struct r { char c; DECLARE_KFIFO_PTR(f, struct big); };
        struct s { char c; DECLARE_KFIFO(f, short, 4); };
        struct t { struct kfifo fifo; struct kfifo_rec_ptr_1 rec; };
        static size_t off(void)
        {
        	return offsetof(struct q, g);
        }
        """);
    assertTrue(tu.problems().isEmpty(), tu.problems().toString());
    assertEquals(OptionalLong.of(80), sizeOf(tu, "q"));
    assertEquals(OptionalLong.of(48), sizeOf(tu, "r"));
    assertEquals(OptionalLong.of(40), sizeOf(tu, "s"));
    assertEquals(OptionalLong.of(48), sizeOf(tu, "t"));
  }

  @Test
  void unknownDeclarationMacroMakesTheStructSizeUnknown() {
    TranslationUnit tu =
        parse(
            dir,
            "drivers/k/unknown.c",
            """
        struct pool { int n; DECLARE_SOMETHING_ODD(items, 64); long last; };
        """);
    assertTrue(sizeOf(tu, "pool").isEmpty(), tu.structs().toString());
  }

  @Test
  void fieldSizesAndStringsExpand() {
    TranslationUnit tu =
        parse(
            dir,
            "drivers/k/fields.c",
            """
        #define VERSION 3
        struct regs { u32 ctrl; u16 mask[6]; u64 stats; };
        static unsigned long sizes(int i)
        {
        	if (i == 0)
        		return sizeof_field(struct regs, mask);
        	if (i == 1)
        		return FIELD_SIZEOF(struct regs, stats);
        	if (i == 2)
        		return sizeof(typeof_member(struct regs, ctrl));
        	return BITS_PER_TYPE(u16);
        }
        static const char *name(void)
        {
        	return __stringify(VERSION) "-" __stringify(a, b);
        }
        """);
    assertTrue(tu.problems().isEmpty(), tu.problems().toString());
    assertEquals(
        List.of(
            BigInteger.valueOf(12),
            BigInteger.valueOf(8),
            BigInteger.valueOf(4),
            BigInteger.valueOf(16)),
        returned(tu, "sizes"));
    List<String> strings = new ArrayList<>();
    walk(
        function(tu, "name").body(),
        e -> {
          if (e instanceof Expr.StringLit s) strings.add(s.text());
        },
        s -> {});
    // Adjacent literals come out as one.
    assertEquals(List.of("\"3-a, b\""), strings);
  }

  @Test
  void traceEventsInAModuleHeaderAreNotProblems() {
    TranslationUnit tu =
        parse(
            dir,
            "drivers/k/trace.c",
            """
        TRACE_EVENT(k_xmit,
        	TP_PROTO(struct k_ring *ring, int len),
        	TP_ARGS(ring, len),
        	TP_STRUCT__entry(__field(void *, ring) __field(int, len)),
        	TP_fast_assign(__entry->ring = ring; __entry->len = len;),
        	TP_printk("ring %p len %d", __entry->ring, __entry->len)
        );
        DECLARE_EVENT_CLASS(k_tmpl, TP_PROTO(int x), TP_ARGS(x), TP_STRUCT__entry(__field(int, x)),
        	TP_fast_assign(__entry->x = x;), TP_printk("%d", __entry->x));
        DEFINE_EVENT(k_tmpl, k_one, TP_PROTO(int x), TP_ARGS(x));
        static void f(void) { }
        """);
    assertTrue(tu.problems().isEmpty(), tu.problems().toString());
  }
}
