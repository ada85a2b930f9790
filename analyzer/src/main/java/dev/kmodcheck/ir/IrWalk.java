package dev.kmodcheck.ir;

import dev.kmodcheck.budget.WorkBudget;
import java.util.function.Consumer;

/**
 * Pre-order walks over the code a statement executes, in source order: an expression before its
 * operands (so a call before the calls in its arguments), statement expressions included. Operands
 * of sizeof/_Alignof are skipped: C does not evaluate them.
 */
public final class IrWalk {
  private final Consumer<Expr> onExpr;
  private final Consumer<VarDecl> onDecl;
  private final Consumer<Stmt> onStmt;

  private IrWalk(Consumer<Expr> onExpr, Consumer<VarDecl> onDecl) {
    this(onExpr, onDecl, s -> {});
  }

  private IrWalk(Consumer<Expr> onExpr, Consumer<VarDecl> onDecl, Consumer<Stmt> onStmt) {
    this.onExpr = onExpr;
    this.onDecl = onDecl;
    this.onStmt = onStmt;
  }

  /** Every statement {@code stmt} contains, itself first, statement expressions included. */
  public static void statements(Stmt stmt, Consumer<Stmt> onStmt) {
    new IrWalk(e -> {}, v -> {}, onStmt).stmt(stmt);
  }

  /** Every call {@code stmt} executes. */
  public static void calls(Stmt stmt, Consumer<Expr.Call> visitor) {
    new IrWalk(
            e -> {
              if (e instanceof Expr.Call c) visitor.accept(c);
            },
            v -> {})
        .stmt(stmt);
  }

  /** Every evaluated expression, and every local declaration (before its initialiser). */
  public static void expressions(Stmt stmt, Consumer<Expr> onExpr, Consumer<VarDecl> onDecl) {
    new IrWalk(onExpr, onDecl).stmt(stmt);
  }

  /** Every evaluated expression of {@code expr}, itself first. */
  public static void expressions(Expr expr, Consumer<Expr> onExpr) {
    new IrWalk(onExpr, v -> {}).expr(expr);
  }

  // Java 17 has no pattern matching for switch; instanceof chains keep it readable enough.
  private void stmt(Stmt s) {
    WorkBudget.checkpoint();
    if (s == null) return;
    onStmt.accept(s);
    if (s instanceof Stmt.Block b) {
      for (Stmt t : b.stmts()) stmt(t);
    } else if (s instanceof Stmt.ExprStmt e) {
      expr(e.expr());
    } else if (s instanceof Stmt.Decl d) {
      for (VarDecl v : d.vars()) {
        onDecl.accept(v);
        expr(v.init());
      }
    } else if (s instanceof Stmt.If i) {
      expr(i.cond());
      stmt(i.then());
      stmt(i.otherwise());
    } else if (s instanceof Stmt.While w) {
      expr(w.cond());
      stmt(w.body());
    } else if (s instanceof Stmt.DoWhile d) {
      stmt(d.body());
      expr(d.cond());
    } else if (s instanceof Stmt.For f) {
      stmt(f.init());
      expr(f.cond());
      expr(f.step());
      stmt(f.body());
    } else if (s instanceof Stmt.Switch sw) {
      expr(sw.selector());
      stmt(sw.body());
    } else if (s instanceof Stmt.Case c) {
      expr(c.value());
    } else if (s instanceof Stmt.Return r) {
      expr(r.value());
    } else if (s instanceof Stmt.Label l) {
      stmt(l.body());
    }
  }

  private void expr(Expr e) {
    if (e == null) return;
    onExpr.accept(e);
    if (e instanceof Expr.Call c) {
      expr(c.callee());
      for (Expr a : c.args()) expr(a);
    } else if (e instanceof Expr.Binary b) {
      expr(b.left());
      expr(b.right());
    } else if (e instanceof Expr.Unary u) {
      expr(u.operand());
    } else if (e instanceof Expr.Conditional c) {
      expr(c.cond());
      expr(c.then());
      expr(c.otherwise());
    } else if (e instanceof Expr.Cast c) {
      expr(c.operand());
    } else if (e instanceof Expr.Member m) {
      expr(m.base());
    } else if (e instanceof Expr.Index i) {
      expr(i.array());
      expr(i.index());
    } else if (e instanceof Expr.InitList l) {
      for (Expr.Designated d : l.items()) expr(d.value());
    } else if (e instanceof Expr.CompoundLiteral c) {
      expr(c.init());
    } else if (e instanceof Expr.StmtExpr s) {
      stmt(s.body());
    }
  }
}
