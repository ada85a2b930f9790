package dev.kmodcheck.frontend;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Parses snippets and walks the resulting IR for frontend tests. */
final class FrontendTestSupport {

  static final Frontend FRONTEND = new Frontend(Target.defaultTarget());

  private FrontendTestSupport() {}

  static TranslationUnit parse(Path dir, String name, String code) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, code, StandardCharsets.UTF_8);
      return FRONTEND.parse(new SourceInput(file, name, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FunctionDef function(TranslationUnit tu, String name) {
    return tu.functions().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no function " + name + " in " + names(tu)));
  }

  static List<String> names(TranslationUnit tu) {
    return tu.functions().stream().map(FunctionDef::name).toList();
  }

  static List<Expr.Call> calls(FunctionDef f) {
    List<Expr.Call> out = new ArrayList<>();
    walk(
        f.body(),
        e -> {
          if (e instanceof Expr.Call c) {
            out.add(c);
          }
        },
        s -> {});
    return out;
  }

  static List<Stmt> stmts(FunctionDef f) {
    List<Stmt> out = new ArrayList<>();
    walk(f.body(), e -> {}, out::add);
    return out;
  }

  static void walk(Stmt s, Consumer<Expr> onExpr, Consumer<Stmt> onStmt) {
    if (s == null) {
      return;
    }
    onStmt.accept(s);
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(x -> walk(x, onExpr, onStmt));
    } else if (s instanceof Stmt.ExprStmt es) {
      walk(es.expr(), onExpr, onStmt);
    } else if (s instanceof Stmt.Decl d) {
      d.vars().forEach(v -> walk(v.init(), onExpr, onStmt));
    } else if (s instanceof Stmt.If i) {
      walk(i.cond(), onExpr, onStmt);
      walk(i.then(), onExpr, onStmt);
      walk(i.otherwise(), onExpr, onStmt);
    } else if (s instanceof Stmt.While w) {
      walk(w.cond(), onExpr, onStmt);
      walk(w.body(), onExpr, onStmt);
    } else if (s instanceof Stmt.DoWhile d) {
      walk(d.body(), onExpr, onStmt);
      walk(d.cond(), onExpr, onStmt);
    } else if (s instanceof Stmt.For f) {
      walk(f.init(), onExpr, onStmt);
      walk(f.cond(), onExpr, onStmt);
      walk(f.step(), onExpr, onStmt);
      walk(f.body(), onExpr, onStmt);
    } else if (s instanceof Stmt.Switch sw) {
      walk(sw.selector(), onExpr, onStmt);
      walk(sw.body(), onExpr, onStmt);
    } else if (s instanceof Stmt.Case c) {
      walk(c.value(), onExpr, onStmt);
    } else if (s instanceof Stmt.Return r) {
      walk(r.value(), onExpr, onStmt);
    } else if (s instanceof Stmt.Label l) {
      walk(l.body(), onExpr, onStmt);
    }
  }

  static void walk(Expr e, Consumer<Expr> onExpr, Consumer<Stmt> onStmt) {
    if (e == null) {
      return;
    }
    onExpr.accept(e);
    if (e instanceof Expr.Binary b) {
      walk(b.left(), onExpr, onStmt);
      walk(b.right(), onExpr, onStmt);
    } else if (e instanceof Expr.Unary u) {
      walk(u.operand(), onExpr, onStmt);
    } else if (e instanceof Expr.Conditional c) {
      walk(c.cond(), onExpr, onStmt);
      walk(c.then(), onExpr, onStmt);
      walk(c.otherwise(), onExpr, onStmt);
    } else if (e instanceof Expr.Cast c) {
      walk(c.operand(), onExpr, onStmt);
    } else if (e instanceof Expr.SizeofExpr so) {
      walk(so.operand(), onExpr, onStmt);
    } else if (e instanceof Expr.Call c) {
      walk(c.callee(), onExpr, onStmt);
      c.args().forEach(a -> walk(a, onExpr, onStmt));
    } else if (e instanceof Expr.Member m) {
      walk(m.base(), onExpr, onStmt);
    } else if (e instanceof Expr.Index i) {
      walk(i.array(), onExpr, onStmt);
      walk(i.index(), onExpr, onStmt);
    } else if (e instanceof Expr.InitList l) {
      l.items().forEach(d -> walk(d.value(), onExpr, onStmt));
    } else if (e instanceof Expr.CompoundLiteral c) {
      walk(c.init(), onExpr, onStmt);
    } else if (e instanceof Expr.StmtExpr se) {
      walk(se.body(), onExpr, onStmt);
    }
  }
}
