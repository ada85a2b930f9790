package dev.kmodcheck.frontend;

import static dev.kmodcheck.frontend.FrontendTestSupport.calls;
import static dev.kmodcheck.frontend.FrontendTestSupport.function;
import static dev.kmodcheck.frontend.FrontendTestSupport.parse;
import static dev.kmodcheck.frontend.FrontendTestSupport.stmts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrontendTest {

  @TempDir Path dir;

  private static StructDef struct(TranslationUnit tu, String tag) {
    return tu.structs().stream().filter(s -> s.tag().equals(tag)).findFirst().orElseThrow();
  }

  private static Expr.Call call(FunctionDef f, String name) {
    return calls(f).stream()
        .filter(c -> name.equals(c.calleeName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no call " + name));
  }

  @Test
  void callsKeepArgumentsRangesAndShimMacros() {
    TranslationUnit tu =
        parse(
            dir,
            "drivers/a/x.c",
            """
        #include <linux/slab.h>
        #include "local.h"
        static void *get(size_t n)
        {
        	return kmalloc(n * 4, GFP_KERNEL);
        }
        """);
    assertTrue(tu.problems().isEmpty(), tu.problems().toString());
    assertEquals(6, tu.lines());
    Expr.Call c = call(function(tu, "get"), "kmalloc");
    assertEquals(new SrcRange("drivers/a/x.c", 5, 9, 5, 35), c.range());
    assertNull(c.macro());
    assertEquals(2, c.args().size());
    Expr.Binary size = assertInstanceOf(Expr.Binary.class, c.args().get(0));
    assertEquals("*", size.op());
    Expr.Ident n = assertInstanceOf(Expr.Ident.class, size.left());
    assertEquals(Expr.IdKind.PARAM, n.kind());
    assertEquals(new CType.Typedef("size_t", new CType.Scalar("unsigned long")), n.type());
    Expr gfp = c.args().get(1);
    assertEquals("GFP_KERNEL", gfp.macro());
    assertEquals(new SrcRange("drivers/a/x.c", 5, 24, 5, 34), gfp.range());
  }

  @Test
  void macroProducedCallCarriesOutermostMacroName() {
    TranslationUnit tu =
        parse(
            dir,
            "m.c",
            """
        #define my_lock_irqsave(l, f) do { f = __raw_lock_save(l); } while (0)
        #define LOCK_IT(l, f) my_lock_irqsave(l, f)
        void f(int *l)
        {
        	unsigned long flags;
        	LOCK_IT(l, flags);
        	plain(l);
        }
        """);
    FunctionDef f = function(tu, "f");
    assertEquals("LOCK_IT", call(f, "__raw_lock_save").macro());
    assertNull(call(f, "plain").macro());
  }

  @Test
  void structsWithPackedAlignedBitfieldsAndTypedefs() {
    TranslationUnit tu =
        parse(
            dir,
            "s.c",
            """
        struct hdr {
        	u8 a;
        	u32 b __aligned(8);
        	unsigned int flag : 3;
        	union { int x; long y; };
        	char data[16 * 2];
        } __packed;
        typedef struct { int q; u64 r; } foo_t;
        static int n = sizeof(foo_t);
        """);
    StructDef hdr = struct(tu, "hdr");
    assertTrue(hdr.packed());
    assertEquals(5, hdr.fields().size());
    StructDef.Field b = hdr.fields().get(1);
    assertEquals("b", b.name());
    assertEquals(BigInteger.valueOf(8), ((Expr.IntLit) b.alignedTo()).value());
    StructDef.Field flag = hdr.fields().get(2);
    assertEquals(BigInteger.valueOf(3), ((Expr.IntLit) flag.bitWidth()).value());
    StructDef.Field anon = hdr.fields().get(3);
    assertNull(anon.name());
    CType.Record anonType = assertInstanceOf(CType.Record.class, anon.type());
    assertTrue(anonType.union());
    assertEquals(2, struct(tu, anonType.tag()).fields().size());
    CType.Array data = assertInstanceOf(CType.Array.class, hdr.fields().get(4).type());
    assertEquals("*", ((Expr.Binary) data.length()).op());

    VarDecl n = tu.globals().get(0);
    assertTrue(n.isStatic());
    Expr.SizeofType sz = assertInstanceOf(Expr.SizeofType.class, n.init());
    CType.Typedef td = assertInstanceOf(CType.Typedef.class, sz.type());
    assertEquals("foo_t", td.name());
    CType.Record rec = assertInstanceOf(CType.Record.class, td.resolved());
    assertEquals(
        List.of("q", "r"),
        struct(tu, rec.tag()).fields().stream().map(StructDef.Field::name).toList());
  }

  @Test
  void enumValuesLiteralsAndDesignatedInitializers() {
    TranslationUnit tu =
        parse(
            dir,
            "e.c",
            """
        enum { A = 3, B, C = 0x10 };
        struct ops { int (*probe)(void); int n; int arr[4]; };
        static int p(void);
        static struct ops o = { .probe = p, .n = B, .arr = { [2] = 077, [0 ... 1] = 0b101 } };
        static unsigned long long big = 0xFFFFFFFFFFFFFFFFull;
        static char c = '\\n';
        """);
    VarDecl o = tu.globals().get(0);
    Expr.InitList init = assertInstanceOf(Expr.InitList.class, o.init());
    assertEquals(List.of(".probe"), init.items().get(0).designators());
    Expr.Ident b = assertInstanceOf(Expr.Ident.class, init.items().get(1).value());
    assertEquals(Expr.IdKind.ENUMERATOR, b.kind());
    assertEquals(BigInteger.valueOf(4), b.enumValue());
    Expr.InitList arr = assertInstanceOf(Expr.InitList.class, init.items().get(2).value());
    assertEquals(List.of("[2]"), arr.items().get(0).designators());
    assertEquals(BigInteger.valueOf(63), ((Expr.IntLit) arr.items().get(0).value()).value());
    assertEquals(List.of("[0 ... 1]"), arr.items().get(1).designators());
    assertEquals(BigInteger.valueOf(5), ((Expr.IntLit) arr.items().get(1).value()).value());
    Expr.IntLit big = (Expr.IntLit) tu.globals().get(1).init();
    assertEquals(new BigInteger("18446744073709551615"), big.value());
    assertTrue(big.unsigned());
    assertEquals(2, big.longness());
    assertEquals(BigInteger.TEN, ((Expr.CharLit) tu.globals().get(2).init()).value());
    assertEquals(1, tu.declarations().size());
    assertEquals("p", tu.declarations().get(0).name());
  }

  @Test
  void controlFlowStatementsAndStatementExpressions() {
    TranslationUnit tu =
        parse(
            dir,
            "c.c",
            """
        int f(int x)
        {
        	int i, r = 0;
        	switch (x) {
        	case 1:
        		r = ({ int t = x; t * 2; });
        		break;
        	default:
        		goto out;
        	}
        	for (i = 0; i < x; i++)
        		continue;
        	while (x--) ;
        	do { r++; } while (r < 3);
        	r = x ?: 7;
        out:
        	return r;
        }
        """);
    FunctionDef f = function(tu, "f");
    List<Stmt> all = stmts(f);
    assertEquals(2, all.stream().filter(s -> s instanceof Stmt.Case).count());
    assertTrue(all.stream().anyMatch(s -> s instanceof Stmt.Case c && c.value() == null));
    assertTrue(all.stream().anyMatch(s -> s instanceof Stmt.Goto g && g.label().equals("out")));
    assertTrue(
        all.stream()
            .anyMatch(
                s ->
                    s instanceof Stmt.Label l
                        && l.name().equals("out")
                        && l.body() instanceof Stmt.Return));
    assertTrue(all.stream().anyMatch(s -> s instanceof Stmt.Switch));
    assertTrue(all.stream().anyMatch(s -> s instanceof Stmt.For));
    assertTrue(all.stream().anyMatch(s -> s instanceof Stmt.While));
    assertTrue(all.stream().anyMatch(s -> s instanceof Stmt.DoWhile));
    assertTrue(all.stream().anyMatch(s -> s instanceof Stmt.Break));
    assertTrue(all.stream().anyMatch(s -> s instanceof Stmt.Continue));
    Stmt.Decl decl = (Stmt.Decl) f.body().stmts().get(0);
    assertEquals(List.of("i", "r"), decl.vars().stream().map(VarDecl::name).toList());
    boolean[] found = new boolean[2];
    FrontendTestSupport.walk(
        f.body(),
        e -> {
          if (e instanceof Expr.StmtExpr) {
            found[0] = true;
          }
          if (e instanceof Expr.Conditional c && c.then() == null) {
            found[1] = true;
          }
        },
        s -> {});
    assertTrue(found[0], "statement expression");
    assertTrue(found[1], "GNU ?: with null then");
  }

  @Test
  void kernelAnnotationsAndIteratorsDoNotHideFunctions() {
    TranslationUnit tu =
        parse(
            dir,
            "k.c",
            """
        #include <linux/module.h>
        struct item { struct list_head node; int v; };
        static int __init mod_init(void)
        {
        	return 0;
        }
        static void __exit mod_exit(void) { }
        static long dev_read(char __user *buf, struct list_head *head)
        	__acquires(&lock) __must_hold(other)
        {
        	struct item *it, *tmp;
        	list_for_each_entry_safe(it, tmp, head, node) {
        		kfree(it);
        	}
        	my_local_for_each(it, head) {
        		consume(it);
        	}
        	return 0;
        }
        module_init(mod_init);
        module_exit(mod_exit);
        MODULE_LICENSE("GPL");
        MODULE_DEVICE_TABLE(pci, ids);
        EXPORT_SYMBOL_GPL(dev_read);
        """);
    assertTrue(tu.problems().isEmpty(), tu.problems().toString());
    assertEquals(List.of("mod_init", "mod_exit", "dev_read"), FrontendTestSupport.names(tu));
    FunctionDef read = function(tu, "dev_read");
    assertEquals(List.of("acquires(&lock)", "must_hold(other)"), read.attributes());
    assertTrue(stmts(read).stream().anyMatch(s -> s instanceof Stmt.For));
    assertEquals(
        "list_for_each_entry_safe",
        stmts(read).stream()
            .filter(s -> s instanceof Stmt.For)
            .findFirst()
            .map(s -> ((Stmt.For) s).cond().macro())
            .orElseThrow());
    call(read, "kfree");
    call(read, "consume");
    assertTrue(function(tu, "mod_init").isStatic());
  }

  @Test
  void problemsAreReportedWithoutLosingOtherFunctions() {
    TranslationUnit tu =
        parse(
            dir,
            "p.c",
            """
        void good(void) { a(); }
        void bad(void) { x = + ; b(); }
        void good2(void) { c(); }
        """);
    assertEquals(List.of("good", "bad", "good2"), FrontendTestSupport.names(tu));
    assertEquals(1, tu.problems().size());
    assertEquals(2, tu.problems().get(0).range().line());
    assertTrue(stmts(function(tu, "bad")).stream().anyMatch(s -> s instanceof Stmt.Opaque));
  }

  @Test
  void oddEncodingsDoNotCrash() throws Exception {
    Path f = dir.resolve("odd.c");
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body =
        "int f(void)\r\n{\r\n\treturn 1; /* \u00ff */\r\n}\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(body, 0, all, bom.length, body.length);
    Files.write(f, all);
    TranslationUnit tu = FrontendTestSupport.FRONTEND.parse(new SourceInput(f, "odd.c", null));
    assertEquals(4, tu.lines());
    FunctionDef fn = function(tu, "f");
    assertEquals(3, fn.body().stmts().get(0).range().line());
    assertEquals(2, fn.body().stmts().get(0).range().column());
    assertFalse(tu.problems().iterator().hasNext());
  }

  @Test
  void targetPageShiftReachesShim() throws Exception {
    Path f = dir.resolve("pg.c");
    Files.writeString(f, "unsigned long x = PAGE_SIZE;\n");
    Frontend fe64k = new Frontend(Target.named("arm64-64k").orElseThrow());
    TranslationUnit tu = fe64k.parse(new SourceInput(f, "pg.c", null));
    Expr.Binary shift = assertInstanceOf(Expr.Binary.class, tu.globals().get(0).init());
    assertEquals("PAGE_SIZE", shift.macro());
    assertEquals(BigInteger.valueOf(16), ((Expr.IntLit) shift.right()).value());
  }

  @Test
  void lockAnnotationsWrittenAsStatementsAreNotParseProblems() {
    TranslationUnit tu =
        parse(
            dir,
            "k.c",
            """
        struct dev { spinlock_t lock; struct mutex m; int state; };
        static void send_locked(struct dev *d)
        {
        	int ret = 0;

        	__must_hold(&d->lock);
        	__acquires(d->m);
        	d->state = ret;
        	__releases(&d->m);
        	d->state = 2;
        }
        static void plain(struct dev *d)
        {
        	d->state = 1;
        	__must_hold(&d->lock);
        }
        """);
    assertTrue(tu.problems().isEmpty(), tu.problems().toString());
    // The leading ones annotate the function, as after its declarator; a later one asserts a
    // lock held at that point only.
    assertEquals(
        List.of("must_hold(&d->lock)", "acquires(d->m)"), function(tu, "send_locked").attributes());
    assertEquals(List.of(), function(tu, "plain").attributes());
    assertEquals(
        2,
        stmts(function(tu, "send_locked")).stream()
            .filter(x -> x instanceof Stmt.ExprStmt)
            .count());
  }
}
