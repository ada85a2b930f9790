package dev.kmodcheck.facts;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which variable names code may change: assigned ({@code =}, {@code op=}, {@code ++}/{@code --}),
 * address-taken ({@code &x}), or handed to a macro that writes its argument. Names, not
 * declarations: a write to any variable called {@code n} spoils every {@code n}, which only ever
 * errs towards "unknown". Also collects the local declarations by name.
 *
 * <p>The walk is iterative so that absurdly deep expressions cannot overflow the stack.
 */
final class Mutations {

  /**
   * Kernel macros that write a plain variable argument (no {@code &}): when the shim leaves them as
   * calls, the write is invisible in the IR. Prefix match on the callee name.
   */
  private static final List<String> WRITING_MACRO_PREFIXES =
      List.of(
          "swap",
          "do_div",
          "get_user",
          "__get_user",
          "unsafe_get_user",
          "WRITE_ONCE",
          "rcu_assign_pointer",
          "this_cpu_",
          "__this_cpu_",
          "raw_cpu_",
          "per_cpu",
          "module_param",
          "core_param",
          "read_poll_timeout",
          "readx_poll_timeout",
          "kfifo_get",
          "kfifo_peek");

  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Set<String> changed = new HashSet<>();
  private final Map<String, List<VarDecl>> locals = new HashMap<>();

  private Mutations() {}

  /** Everything {@code function} may change, and its local declarations. */
  static Mutations of(FunctionDef function) {
    Mutations m = new Mutations();
    if (function != null && function.body() != null) m.walk(function.body());
    return m;
  }

  /** What any of {@code functions} or the {@code initializers} may change. */
  static Mutations of(List<FunctionDef> functions, List<Expr> initializers) {
    Mutations m = new Mutations();
    for (FunctionDef f : functions) {
      if (f.body() != null) m.walk(f.body());
    }
    for (Expr e : initializers) m.walk(e);
    return m;
  }

  boolean mayChange(String name) {
    return changed.contains(name);
  }

  List<VarDecl> locals(String name) {
    return locals.getOrDefault(name, List.of());
  }

  private void walk(Object root) {
    Deque<Object> work = new ArrayDeque<>();
    work.push(root);
    while (!work.isEmpty()) {
      WorkBudget.checkpoint();
      Object o = work.pop();
      if (o instanceof Stmt s) {
        stmt(s, work);
      } else if (o instanceof Expr e) {
        expr(e, work);
      }
    }
  }

  private void stmt(Stmt s, Deque<Object> work) {
    if (s instanceof Stmt.Block b) {
      b.stmts().forEach(x -> push(work, x));
    } else if (s instanceof Stmt.ExprStmt es) {
      push(work, es.expr());
    } else if (s instanceof Stmt.Decl d) {
      for (VarDecl v : d.vars()) {
        locals.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v);
        push(work, v.init());
      }
    } else if (s instanceof Stmt.If i) {
      push(work, i.cond());
      push(work, i.then());
      push(work, i.otherwise());
    } else if (s instanceof Stmt.While w) {
      push(work, w.cond());
      push(work, w.body());
    } else if (s instanceof Stmt.DoWhile d) {
      push(work, d.body());
      push(work, d.cond());
    } else if (s instanceof Stmt.For f) {
      push(work, f.init());
      push(work, f.cond());
      push(work, f.step());
      push(work, f.body());
    } else if (s instanceof Stmt.Switch sw) {
      push(work, sw.selector());
      push(work, sw.body());
    } else if (s instanceof Stmt.Case c) {
      push(work, c.value());
    } else if (s instanceof Stmt.Return r) {
      push(work, r.value());
    } else if (s instanceof Stmt.Label l) {
      push(work, l.body());
    } else if (s instanceof Stmt.Opaque op) {
      opaque(op.text());
    }
  }

  private void expr(Expr e, Deque<Object> work) {
    if (e instanceof Expr.Binary b) {
      if (b.isAssignment()) markRoot(b.left());
      push(work, b.left());
      push(work, b.right());
    } else if (e instanceof Expr.Unary u) {
      if (!List.of("-", "+", "!", "~", "*").contains(u.op())) markRoot(u.operand());
      push(work, u.operand());
    } else if (e instanceof Expr.Conditional c) {
      push(work, c.cond());
      push(work, c.then());
      push(work, c.otherwise());
    } else if (e instanceof Expr.Cast c) {
      push(work, c.operand());
    } else if (e instanceof Expr.SizeofExpr s) {
      push(work, s.operand()); // unevaluated, but harmless to over-approximate
    } else if (e instanceof Expr.Call c) {
      String name = c.calleeName();
      boolean unresolved =
          c.callee() instanceof Expr.Ident id && id.kind() == Expr.IdKind.UNRESOLVED;
      if (name != null && (unresolved || writesArguments(name))) {
        for (Expr a : c.args()) markRoot(a);
      }
      push(work, c.callee());
      c.args().forEach(a -> push(work, a));
    } else if (e instanceof Expr.Member m) {
      push(work, m.base());
    } else if (e instanceof Expr.Index i) {
      push(work, i.array());
      push(work, i.index());
    } else if (e instanceof Expr.InitList l) {
      l.items().forEach(d -> push(work, d.value()));
    } else if (e instanceof Expr.CompoundLiteral c) {
      push(work, c.init());
    } else if (e instanceof Expr.StmtExpr s) {
      push(work, s.body());
    } else if (e instanceof Expr.Opaque op) {
      opaque(op.text());
    }
  }

  static boolean writesArguments(String callee) {
    if (callee.contains("for_each")) return true; // loop macros assign their cursor
    for (String p : WRITING_MACRO_PREFIXES) {
      if (callee.startsWith(p)) return true;
    }
    return false;
  }

  /** The variable an lvalue designates ({@code x}, {@code x.f}, {@code x[i]}, {@code (T)x}). */
  private void markRoot(Expr e) {
    for (int i = 0; i < 10_000 && e != null; i++) {
      if (e instanceof Expr.Ident id) {
        changed.add(id.name());
        return;
      } else if (e instanceof Expr.Member m && !m.arrow()) {
        e = m.base();
      } else if (e instanceof Expr.Index ix) {
        e = ix.array();
      } else if (e instanceof Expr.Cast c) {
        e = c.operand();
      } else if (e instanceof Expr.Binary b && b.op().equals(",")) {
        e = b.right();
      } else if (e instanceof Expr.Conditional c) {
        markRoot(c.then());
        e = c.otherwise();
      } else {
        return;
      }
    }
  }

  /** Text the frontend could not translate may hide writes to any name it mentions. */
  private void opaque(String text) {
    if (text == null) return;
    Matcher m = WORD.matcher(text);
    while (m.find()) changed.add(m.group());
  }

  private static void push(Deque<Object> work, Object o) {
    if (o != null) work.push(o);
  }
}
