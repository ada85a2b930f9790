package dev.kmodcheck.rules;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.facts.CValue;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Trace steps that show where a provable size came from: the declarations of the locals the size
 * expression reads, with the value the evaluator proved for them.
 */
public final class Provenance {

  private Provenance() {}

  /**
   * Reports {@code message} for {@code rule} at an allocation call, traced to the declarations that
   * gave {@code exprs} (its size or order arguments) their values.
   */
  static void report(
      UnitContext ctx,
      Rule rule,
      AllocationCall call,
      List<Expr> exprs,
      ValueEvaluator ev,
      String message) {
    ctx.report(
        new Finding(
            rule.info().id(),
            rule.info().severity(),
            message,
            call.call().range(),
            call.function().name(),
            localDeclarations(call.function(), exprs, ev)));
  }

  public static List<TraceStep> localDeclarations(
      FunctionDef fn, List<Expr> exprs, ValueEvaluator evaluator) {
    Set<String> names = new LinkedHashSet<>();
    exprs.forEach(e -> collectLocals(e, names));
    List<TraceStep> steps = new ArrayList<>();
    if (names.isEmpty() || fn.body() == null) return steps;
    List<VarDecl> decls = new ArrayList<>();
    collectDecls(fn.body(), decls);
    for (String name : names) {
      for (VarDecl d : decls) {
        if (!d.name().equals(name) || d.init() == null) continue;
        CValue v = evaluator.eval(d.init());
        if (v == null) continue;
        steps.add(new TraceStep(d.range(), "'" + name + "' is initialised to " + v.value()));
        break;
      }
    }
    steps.sort((a, b) -> a.range().compareTo(b.range()));
    return steps;
  }

  private static void collectLocals(Expr e, Set<String> out) {
    if (e instanceof Expr.Ident id) {
      if (id.kind() == Expr.IdKind.LOCAL) out.add(id.name());
    } else if (e instanceof Expr.Binary b) {
      collectLocals(b.left(), out);
      collectLocals(b.right(), out);
    } else if (e instanceof Expr.Unary u) {
      collectLocals(u.operand(), out);
    } else if (e instanceof Expr.Cast c) {
      collectLocals(c.operand(), out);
    } else if (e instanceof Expr.Conditional c) {
      collectLocals(c.cond(), out);
      collectLocals(c.then(), out);
      collectLocals(c.otherwise(), out);
    } else if (e instanceof Expr.Call c) {
      c.args().forEach(a -> collectLocals(a, out));
    }
  }

  private static void collectDecls(Stmt s, List<VarDecl> out) {
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(x -> collectDecls(x, out));
    } else if (s instanceof Stmt.Decl d) {
      out.addAll(d.vars());
    } else if (s instanceof Stmt.If i) {
      collectDecls(i.then(), out);
      collectDecls(i.otherwise(), out);
    } else if (s instanceof Stmt.While w) {
      collectDecls(w.body(), out);
    } else if (s instanceof Stmt.DoWhile w) {
      collectDecls(w.body(), out);
    } else if (s instanceof Stmt.For f) {
      collectDecls(f.init(), out);
      collectDecls(f.body(), out);
    } else if (s instanceof Stmt.Switch sw) {
      collectDecls(sw.body(), out);
    } else if (s instanceof Stmt.Label l) {
      collectDecls(l.body(), out);
    }
  }
}
