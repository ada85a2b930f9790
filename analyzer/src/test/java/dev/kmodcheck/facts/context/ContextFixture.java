package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.Expr;
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
import java.util.Map;
import java.util.stream.Collectors;

/** Parses C snippets through the real frontend and answers "what is held before this call". */
final class ContextFixture {
  private static final Frontend FRONTEND = new Frontend(Target.defaultTarget());

  final Program program;
  final Map<FunctionRef, LockEffect> effects;

  private ContextFixture(List<TranslationUnit> units) {
    program = new Program(units);
    effects = ContextAnalysis.lockEffects(program);
  }

  static ContextFixture of(Path dir, String code) {
    return new ContextFixture(List.of(parse(dir, "t.c", code)));
  }

  static TranslationUnit parse(Path dir, String name, String code) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, code, StandardCharsets.UTF_8);
      TranslationUnit tu = FRONTEND.parse(new SourceInput(file, name, null));
      if (!tu.problems().isEmpty()) throw new AssertionError("parse problems: " + tu.problems());
      return tu;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FunctionRef fn(String name) {
    return program.functions().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no function " + name));
  }

  FunctionContext context(String fn) {
    return ContextAnalysis.analyze(program, fn(fn), List.of(), effects);
  }

  FunctionContext context(String fn, List<AtomicCause> entry) {
    return ContextAnalysis.analyze(program, fn(fn), entry, effects);
  }

  /** The n-th (0-based, source order) call named {@code callee} in {@code fn}. */
  Expr.Call call(String fn, String callee, int n) {
    List<Expr.Call> calls = new ArrayList<>();
    collect(fn(fn).def().body(), calls);
    List<Expr.Call> named =
        calls.stream().filter(c -> callee.equals(c.calleeName())).collect(Collectors.toList());
    if (n >= named.size())
      throw new AssertionError("no call #" + n + " of " + callee + " in " + fn);
    return named.get(n);
  }

  /** Atomic states before the n-th call of {@code callee} in {@code fn}. */
  List<PathState> at(String fn, String callee, int n) {
    return context(fn).atomicStatesAt(call(fn, callee, n));
  }

  List<PathState> at(String fn, String callee) {
    return at(fn, callee, 0);
  }

  /**
   * The distinct held sets of the atomic states, e.g. ["SPINLOCK &(p->lock)"] (states that differ
   * only in their assumptions look the same here).
   */
  static List<String> describe(List<PathState> states) {
    List<String> out = new ArrayList<>();
    for (PathState s : states) {
      String d =
          s.held().stream()
              .map(c -> c.kind() + (c.lock() == null ? "" : " " + c.lock()))
              .collect(Collectors.joining(", "));
      if (!out.contains(d)) out.add(d);
    }
    return out;
  }

  private static void collect(Stmt s, List<Expr.Call> out) {
    if (s == null) return;
    if (s instanceof Stmt.Block b) b.stmts().forEach(x -> collect(x, out));
    else if (s instanceof Stmt.ExprStmt e) collect(e.expr(), out);
    else if (s instanceof Stmt.Decl d) d.vars().forEach(v -> collect(v.init(), out));
    else if (s instanceof Stmt.If i) {
      collect(i.cond(), out);
      collect(i.then(), out);
      collect(i.otherwise(), out);
    } else if (s instanceof Stmt.While w) {
      collect(w.cond(), out);
      collect(w.body(), out);
    } else if (s instanceof Stmt.DoWhile d) {
      collect(d.body(), out);
      collect(d.cond(), out);
    } else if (s instanceof Stmt.For f) {
      collect(f.init(), out);
      collect(f.cond(), out);
      collect(f.body(), out);
      collect(f.step(), out);
    } else if (s instanceof Stmt.Switch sw) {
      collect(sw.selector(), out);
      collect(sw.body(), out);
    } else if (s instanceof Stmt.Return r) collect(r.value(), out);
    else if (s instanceof Stmt.Label l) collect(l.body(), out);
  }

  private static void collect(Expr e, List<Expr.Call> out) {
    if (e == null) return;
    if (e instanceof Expr.Call c) {
      collect(c.callee(), out);
      c.args().forEach(a -> collect(a, out));
      out.add(c);
    } else if (e instanceof Expr.Binary b) {
      collect(b.left(), out);
      collect(b.right(), out);
    } else if (e instanceof Expr.Unary u) collect(u.operand(), out);
    else if (e instanceof Expr.Conditional c) {
      collect(c.cond(), out);
      collect(c.then(), out);
      collect(c.otherwise(), out);
    } else if (e instanceof Expr.Cast c) collect(c.operand(), out);
    else if (e instanceof Expr.Member m) collect(m.base(), out);
    else if (e instanceof Expr.Index ix) {
      collect(ix.array(), out);
      collect(ix.index(), out);
    } else if (e instanceof Expr.StmtExpr se) collect(se.body(), out);
  }
}
