package dev.kmodcheck.facts.program;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the direct calls of a function body in source order (a call before the calls in its
 * arguments). Calls through function pointers are left out: their target is unknown, and the
 * name they use is a variable, not a function. Calls that a macro produced are kept even when
 * the callee is not a plain name, so the macro name can stand for the API.
 */
final class CallCollector {
  private final FunctionRef caller;
  private final List<CallSite> out = new ArrayList<>();

  private CallCollector(FunctionRef caller) {
    this.caller = caller;
  }

  static List<CallSite> collect(FunctionRef caller) {
    CallCollector c = new CallCollector(caller);
    c.stmt(caller.def().body());
    return List.copyOf(c.out);
  }

  /** A call whose target is a function name (or that a macro made), not a function pointer. */
  static boolean isDirect(Expr.Call call) {
    if (call.callee() instanceof Expr.Ident id) {
      return id.kind() == Expr.IdKind.FUNCTION || id.kind() == Expr.IdKind.UNRESOLVED;
    }
    return call.macro() != null;
  }

  private void stmt(Stmt s) {
    if (s == null) return;
    if (s instanceof Stmt.Block b) {
      for (Stmt t : b.stmts()) stmt(t);
    } else if (s instanceof Stmt.ExprStmt e) {
      expr(e.expr());
    } else if (s instanceof Stmt.Decl d) {
      for (VarDecl v : d.vars()) expr(v.init());
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
    } else if (s instanceof Stmt.Return r) {
      expr(r.value());
    } else if (s instanceof Stmt.Label l) {
      stmt(l.body());
    }
  }

  private void expr(Expr e) {
    if (e == null) return;
    if (e instanceof Expr.Call c) {
      if (isDirect(c)) out.add(new CallSite(caller, c));
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
    // sizeof/alignof do not evaluate their operand, so no call happens there; leaves hold none.
  }
}
