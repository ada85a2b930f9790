package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The translator resolves names and declaration types in its own C scopes and asks CDT only where
 * those do not know; the IR must be the one CDT's resolution alone gives. Each case translates a
 * unit both ways and compares them whole, on the C scoping rules a wrong scope would break:
 * shadowing, point of declaration, redeclaration, implicit callees, types of type lengths.
 */
class OwnResolutionTest {

  @TempDir Path dir;

  private TranslationUnit parse(String name, String code, boolean cdtOnly) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, code);
    Frontend fe = new Frontend(Target.defaultTarget());
    fe.cdtResolutionOnly = cdtOnly;
    return fe.parse(new SourceInput(file, name, null));
  }

  private TranslationUnit sameBothWays(String code) throws IOException {
    TranslationUnit cdt = parse("unit.c", code, true);
    TranslationUnit own = parse("unit.c", code, false);
    assertEquals(cdt, own);
    return own;
  }

  @Test
  void shadowedTypedefsLocalsAndEnumerators() throws IOException {
    TranslationUnit tu =
        sameBothWays(
            """
            typedef unsigned int u32;
            enum mode { MODE_A, MODE_B = 4 };
            static int counter;

            static int shadow(int u32)
            {
            \tint counter = u32;
            \t{
            \t\ttypedef long counter_t;
            \t\tcounter_t c = counter;
            \t\tenum { MODE_A = 9 };
            \t\tc += MODE_A;
            \t\tcounter = (int)c;
            \t}
            \tfor (int i = 0; i < 3; i++) {
            \t\tint counter = i;
            \t\tcounter++;
            \t}
            \t{
            \t\tcounter = counter + 1;
            \t\tint counter = counter;
            \t\textern int total;
            \t\ttotal = counter;
            \t}
            \treturn counter + MODE_B + ({ int t = counter; t; });
            }

            static u32 plain(u32 v)
            {
            \treturn v + counter;
            }
            """);
    // The inner "int counter = counter" reads the new local, declared before its initializer.
    assertEquals(Expr.IdKind.GLOBAL, idents(function(tu, "plain"), "counter").get(0).kind());
    List<Expr.Ident> ids = idents(function(tu, "shadow"), "counter");
    assertEquals(9, ids.size());
    ids.forEach(i -> assertEquals(Expr.IdKind.LOCAL, i.kind(), i.toString()));
  }

  @Test
  void declarationsTypesAndFunctionsDeclaredOnceOrMore() throws IOException {
    sameBothWays(
        """
        typedef unsigned int u32;
        typedef struct { int a; } anon_t;
        typedef int arr_t[4];
        typedef void handler_t(int);
        typedef int (*op_t)(void);
        enum mode { MODE_A, MODE_B = 4 };
        struct later;
        int twice(int x);
        int twice(int x) { return x * 2; }
        static int helper(u32 v, arr_t a, handler_t h, int n, int vla[n], void (*f)(void));
        int redeclared;
        int redeclared;
        extern int sizes[];
        int sizes[8];
        handler_t on_event;

        struct dev {
        \tu32 id;
        \tanon_t anon;
        \tarr_t regs;
        \thandler_t cb;
        \tstruct { u32 lo, hi; } pair;
        \tunion { long l; char c[sizeof(long)]; };
        \tenum mode mode;
        \tunsigned long flags : 3;
        \tunsigned char data[];
        \tstruct later *next;
        \tint (*op)(struct dev *, u32);
        \top_t ops[2];
        \tu32 u32;
        };

        static int use(struct dev *d, int n)
        {
        \tint buf[n];
        \tarr_t copy;
        \tbuf[0] = d->id + sizes[1] + redeclared;
        \ton_event(MODE_B);
        \treturn twice(buf[0]) + helper(d->id, copy, on_event, n, buf, 0) + later_fn(1);
        }

        int later_fn(int v) { return v + twice(v); }
        static void knr(a, b) int a; long b; { redeclared = a + b; }
        """);
  }

  @Test
  void redeclarationsInOneScope() throws IOException {
    // Header-less, "sg_addr(p) = 0;" is a second declaration of p: CDT calls it a redeclaration
    // only if it resolved the first one, as it does when it resolves every declaration itself.
    sameBothWays(
        """
        struct sl { int a; };

        static void again(struct sl *sg, int x)
        {
        \tstruct sl *p = sg;
        \tp->a = x;
        \tsg_addr(p) = 0;
        \t{
        \t\tsg_addr(p) = 1;
        \t}
        \t{
        \t\tstruct cpl *d;
        \t\tvoid *pos = sg;

        \t\tx = sizeof(*d);
        \t\td = (void *)pos;
        \t\tOPCODE_TID(d) = htonl(MK_OPCODE_TID(CPL_TX_DATA, x));
        \t\td->len = htonl(x);
        \t}
        \tint x;
        \tx = p->a;
        }
        """);
  }

  @Test
  void aMacroCallReadAsPrototypeBeforeTheGlobalItNames() throws IOException {
    // Header-less, an unknown DECLARE_KEY(x) is a prototype whose parameter CDT later takes for
    // an earlier declaration of the global x: the use below is unresolved, with or without us.
    sameBothWays(
        """
        DECLARE_KEY(fdma_on);
        struct key { int v; };
        struct key fdma_on;

        static void use(void)
        {
        \tenable_key(&fdma_on);
        }
        """);
  }

  @Test
  void undeclaredCalleesAndLaterUses() throws IOException {
    TranslationUnit tu =
        sameBothWays(
            """
            static void *pick(void)
            {
            \tvoid *before = (void *)never_called;
            \tundeclared_call(1);
            \treturn before ? (void *)undeclared_call : (void *)&undeclared_call;
            }

            static long pick_all = ({ long undeclared_call = 2; undeclared_call; });
            """);
    // The statement expression's local hides the implicit function, at file scope too.
    Expr.StmtExpr init = (Expr.StmtExpr) tu.globals().get(0).init();
    Stmt.ExprStmt last = (Stmt.ExprStmt) init.body().stmts().get(1);
    assertEquals(Expr.IdKind.LOCAL, ((Expr.Ident) last.expr()).kind());
    List<Expr.Ident> ids = idents(tu, "undeclared_call");
    ids.forEach(i -> assertEquals(Expr.IdKind.FUNCTION, i.kind(), i.toString()));
    ids.forEach(i -> assertNull(i.type()));
    assertEquals(Expr.IdKind.UNRESOLVED, idents(tu, "never_called").get(0).kind());
  }

  @Test
  void aTypeLengthIsResolvedWhereTheTypeIsDeclared() throws IOException {
    // LEN in the typedef is the enumerator, not the local that shadows it where the type is used.
    TranslationUnit tu =
        sameBothWays(
            """
            enum { LEN = 6 };
            typedef unsigned char mac_t[LEN];
            static unsigned char table[LEN * 2];

            static int first(void)
            {
            \tint LEN = 1;
            \tmac_t addr;
            \treturn addr[0] + table[LEN] + LEN;
            }
            """);
    CType t = localType(tu, "addr");
    CType.Array a = (CType.Array) ((CType.Typedef) t).resolved();
    assertEquals(Expr.IdKind.ENUMERATOR, ((Expr.Ident) a.length()).kind());
  }

  private static dev.kmodcheck.ir.FunctionDef function(TranslationUnit tu, String name) {
    return FrontendTestSupport.function(tu, name);
  }

  private static CType localType(TranslationUnit tu, String name) {
    List<CType> out = new ArrayList<>();
    for (var f : tu.functions()) {
      FrontendTestSupport.walk(
          f.body(),
          e -> {},
          s -> {
            if (s instanceof Stmt.Decl d) {
              d.vars().stream().filter(v -> v.name().equals(name)).forEach(v -> out.add(v.type()));
            }
          });
    }
    return out.get(0);
  }

  private static List<Expr.Ident> idents(TranslationUnit tu, String name) {
    List<Expr.Ident> out = new ArrayList<>();
    for (var f : tu.functions()) {
      out.addAll(idents(f, name));
    }
    return out;
  }

  private static List<Expr.Ident> idents(dev.kmodcheck.ir.FunctionDef f, String name) {
    List<Expr.Ident> out = new ArrayList<>();
    FrontendTestSupport.walk(
        f.body(),
        e -> {
          if (e instanceof Expr.Ident i && i.name().equals(name)) {
            out.add(i);
          }
        },
        s -> {});
    return out;
  }
}
