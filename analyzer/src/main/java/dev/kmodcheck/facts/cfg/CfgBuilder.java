package dev.kmodcheck.facts.cfg;

import dev.kmodcheck.facts.Conditions;
import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Cfg} from a function body, backwards: each statement is translated with its
 * continuation already known, so structured code needs no patching and gotos only a placeholder
 * node per label. Calls come in evaluation order (arguments left to right, then the call);
 * statement expressions run inline; {@code && || ?: !} in conditions become branch chains, so a
 * trylock inside {@code if (a && spin_trylock(&l))} gets its own branch. Constant conditions
 * ({@code do { } while (0)}, {@code while (1)}) keep only the edge taken.
 */
public final class CfgBuilder {

  private final Cfg cfg = new Cfg();
  private final int exitNode;
  private final Map<String, Integer> labels = new HashMap<>();

  /** Active break/continue targets: node and the scope depth they live at. */
  private final Deque<int[]> breaks = new ArrayDeque<>();

  private final Deque<int[]> continues = new ArrayDeque<>();
  private final Deque<List<Integer>> switchCases = new ArrayDeque<>();

  /** Statements whose end releases a guard, outermost first. */
  private final List<Object> scopes = new ArrayList<>();

  private final Stmt.Block body;
  private Map<String, Set<Object>> labelAncestors;

  private CfgBuilder(Stmt.Block body) {
    this.body = body;
    this.exitNode = cfg.add(Cfg.Kind.EXIT, null, -1, -1);
    cfg.setExit(exitNode);
  }

  public static Cfg build(FunctionDef fn) {
    return build(fn.body());
  }

  public static Cfg build(Stmt.Block body) {
    CfgBuilder b = new CfgBuilder(body);
    int first = body == null ? b.exitNode : b.stmt(body, b.exitNode);
    int entry = b.cfg.add(Cfg.Kind.ENTRY, null, first, -1);
    b.cfg.setEntry(entry);
    return b.cfg;
  }

  // ---- statements ----

  private int stmt(Stmt s, int next) {
    if (s == null) return next;
    if (s instanceof Stmt.Block b) return block(b, next);
    if (s instanceof Stmt.ExprStmt e) return expr(e.expr(), next);
    if (s instanceof Stmt.Decl d) return decl(d, next);
    if (s instanceof Stmt.If i) {
      int otherwise = i.otherwise() == null ? next : stmt(i.otherwise(), next);
      return cond(i.cond(), stmt(i.then(), next), otherwise);
    }
    if (s instanceof Stmt.While w) return whileLoop(w, next);
    if (s instanceof Stmt.DoWhile d) return doWhile(d, next);
    if (s instanceof Stmt.For f) return forLoop(f, next);
    if (s instanceof Stmt.Switch sw) return switchStmt(sw, next);
    if (s instanceof Stmt.Case) {
      int node = cfg.add(Cfg.Kind.NOP, s, next, -1);
      if (!switchCases.isEmpty()) switchCases.peek().add(node);
      return node;
    }
    if (s instanceof Stmt.Break) return jump(breaks, next);
    if (s instanceof Stmt.Continue) return jump(continues, next);
    if (s instanceof Stmt.Return r) return expr(r.value(), exitScopes(0, exitNode));
    if (s instanceof Stmt.Goto g) return gotoLabel(g.label());
    if (s instanceof Stmt.Label l) {
      int node = label(l.name());
      cfg.setNext(node, stmt(l.body(), next));
      return node;
    }
    return next; // Empty, Opaque
  }

  private int block(Stmt.Block b, int next) {
    boolean guarded = hasGuard(b.stmts());
    int cont = next;
    if (guarded) {
      cont = cfg.add(Cfg.Kind.SCOPE_EXIT, b, next, -1);
      scopes.add(b);
    }
    List<Stmt> stmts = b.stmts();
    for (int i = stmts.size() - 1; i >= 0; i--) cont = stmt(stmts.get(i), cont);
    if (guarded) scopes.remove(scopes.size() - 1);
    return cont;
  }

  private int decl(Stmt.Decl d, int next) {
    int cont = next;
    List<VarDecl> vars = d.vars();
    for (int i = vars.size() - 1; i >= 0; i--) {
      VarDecl v = vars.get(i);
      if (v.isStatic() || v.isExtern()) continue;
      Expr init = v.init();
      Cfg.Guard g = init == null ? null : headerGuard(init);
      if (g != null) {
        cont = cfg.add(Cfg.Kind.SCOPE_ENTER, g, cont, -1);
        cont = args(((Expr.Call) init).args(), 0, cont);
        continue;
      }
      cont = cfg.add(Cfg.Kind.ASSIGN, new Cfg.Assign(v.name(), v.name(), init, true), cont, -1);
      if (init != null) cont = expr(init, cont);
    }
    return cont;
  }

  private int whileLoop(Stmt.While w, int next) {
    int head = cfg.add(Cfg.Kind.NOP, w, -1, -1);
    int bodyEntry = loopBody(w.body(), next, head);
    cfg.setNext(head, cond(w.cond(), bodyEntry, next));
    return head;
  }

  private int doWhile(Stmt.DoWhile d, int next) {
    int head = cfg.add(Cfg.Kind.NOP, d, -1, -1);
    int test = cond(d.cond(), head, next);
    cfg.setNext(head, loopBody(d.body(), next, test));
    return head;
  }

  private int forLoop(Stmt.For f, int next) {
    if (f.init() == null
        && f.step() == null
        && f.cond() != null
        && "scoped_guard".equals(f.cond().macro())) {
      return scopedGuard(f, next);
    }
    boolean guardedInit = f.init() instanceof Stmt.Decl d && hasGuard(List.of(d));
    int after = next;
    if (guardedInit) {
      after = cfg.add(Cfg.Kind.SCOPE_EXIT, f, next, -1);
      scopes.add(f);
    }
    int head = cfg.add(Cfg.Kind.NOP, f, -1, -1);
    int step = f.step() == null ? head : expr(f.step(), head);
    int bodyEntry = loopBody(f.body(), after, step);
    cfg.setNext(head, f.cond() == null ? bodyEntry : cond(f.cond(), bodyEntry, after));
    int entry = stmt(f.init(), head);
    if (guardedInit) scopes.remove(scopes.size() - 1);
    return entry;
  }

  /**
   * Header-less scoped_guard(cls, args) { body }: the frontend's guessed "for (; (cls, args); )".
   */
  private int scopedGuard(Stmt.For f, int next) {
    List<Expr> parts = new ArrayList<>();
    flattenComma(f.cond(), parts);
    String cls = parts.get(0) instanceof Expr.Ident id ? id.name() : ExprKey.of(parts.get(0));
    List<Expr> args = parts.subList(1, parts.size());
    int after = cfg.add(Cfg.Kind.SCOPE_EXIT, f, next, -1);
    scopes.add(f);
    // break/continue inside scoped_guard leave the guard's hidden loop.
    int bodyEntry = loopBody(f.body(), after, after);
    int enter =
        cfg.add(
            Cfg.Kind.SCOPE_ENTER,
            new Cfg.Guard(cls, List.copyOf(args), f, f.range()),
            bodyEntry,
            -1);
    scopes.remove(scopes.size() - 1);
    return args(args, 0, enter);
  }

  private int loopBody(Stmt body, int breakTo, int continueTo) {
    breaks.push(new int[] {breakTo, scopes.size()});
    continues.push(new int[] {continueTo, scopes.size()});
    int entry = stmt(body, continueTo);
    breaks.pop();
    continues.pop();
    return entry;
  }

  private int switchStmt(Stmt.Switch sw, int next) {
    int dispatch = cfg.add(Cfg.Kind.SWITCH, sw.selector(), -1, -1);
    List<Integer> cases = new ArrayList<>();
    switchCases.push(cases);
    breaks.push(new int[] {next, scopes.size()});
    stmt(sw.body(), next);
    breaks.pop();
    switchCases.pop();
    boolean hasDefault = false;
    int[] succ = new int[cases.size() + 1];
    // Cases were registered backwards; keep source order.
    for (int i = 0; i < cases.size(); i++) {
      int node = cases.get(cases.size() - 1 - i);
      succ[i] = node;
      if (((Stmt.Case) cfg.payload(node)).value() == null) hasDefault = true;
    }
    cfg.setMulti(dispatch, hasDefault ? Arrays.copyOf(succ, cases.size()) : fill(succ, next));
    return expr(sw.selector(), dispatch);
  }

  private static int[] fill(int[] succ, int last) {
    succ[succ.length - 1] = last;
    return succ;
  }

  private int jump(Deque<int[]> targets, int fallback) {
    if (targets.isEmpty()) return fallback; // stray break: keep going rather than lose paths
    int[] t = targets.peek();
    return exitScopes(t[1], t[0]);
  }

  /** Releases guards of scopes deeper than {@code depth}, innermost first, then goes to target. */
  private int exitScopes(int depth, int target) {
    int cont = target;
    for (int i = depth; i < scopes.size(); i++) {
      cont = cfg.add(Cfg.Kind.SCOPE_EXIT, scopes.get(i), cont, -1);
    }
    return cont;
  }

  private int gotoLabel(String name) {
    int target = label(name);
    if (scopes.isEmpty()) return target;
    if (labelAncestors == null) labelAncestors = LabelScopes.of(body);
    Set<Object> around = labelAncestors.getOrDefault(name, Collections.emptySet());
    int depth = 0;
    while (depth < scopes.size() && around.contains(scopes.get(depth))) depth++;
    return exitScopes(depth, target);
  }

  /**
   * A statement expression's labels are its own: C forbids jumping into one, so a macro that
   * defines a label there (GNU {@code __label__ out;}) and is expanded twice in a function has two
   * labels of one name, each reached only from its own expansion. Gotos to other names still leave
   * for the function's labels.
   */
  private int stmtExpr(Expr.StmtExpr se, int next) {
    Set<String> own = new HashSet<>();
    LabelScopes.names(se.body(), own);
    if (own.isEmpty()) return block(se.body(), next);
    Map<String, Integer> outer = new HashMap<>();
    for (String n : own) {
      Integer o = labels.remove(n);
      if (o != null) outer.put(n, o);
    }
    int entry = block(se.body(), next);
    for (String n : own) {
      labels.remove(n);
      if (outer.containsKey(n)) labels.put(n, outer.get(n));
    }
    return entry;
  }

  private int label(String name) {
    return labels.computeIfAbsent(name, n -> cfg.add(Cfg.Kind.NOP, n, exitNode, -1));
  }

  // ---- expressions in value context ----

  private int expr(Expr e, int next) {
    if (e == null) return next;
    if (e instanceof Expr.Call c) return call(c, next);
    if (e instanceof Expr.Binary b) {
      String op = b.op();
      if ((op.equals("&&") || op.equals("||")) && (hasCall(b.right()))) {
        return cond(b, next, next);
      }
      if (op.equals(",")) return expr(b.left(), expr(b.right(), next));
      if (b.isAssignment()) {
        int assign =
            cfg.add(
                Cfg.Kind.ASSIGN, assignOf(b.left(), op.equals("=") ? b.right() : null), next, -1);
        return expr(b.right(), lvalueParts(b.left(), assign));
      }
      return expr(b.left(), expr(b.right(), next));
    }
    if (e instanceof Expr.Unary u) {
      String op = u.op();
      if (op.contains("++") || op.contains("--")) {
        int assign = cfg.add(Cfg.Kind.ASSIGN, assignOf(u.operand(), null), next, -1);
        return lvalueParts(u.operand(), assign);
      }
      return expr(u.operand(), next);
    }
    if (e instanceof Expr.Conditional c) {
      if (!hasCall(c.then()) && !hasCall(c.otherwise())) return expr(c.cond(), next);
      return cond(c.cond(), expr(c.then(), next), expr(c.otherwise(), next));
    }
    if (e instanceof Expr.Cast c) return expr(c.operand(), next);
    if (e instanceof Expr.Member m) return expr(m.base(), next);
    if (e instanceof Expr.Index ix) return expr(ix.array(), expr(ix.index(), next));
    if (e instanceof Expr.StmtExpr se) return stmtExpr(se, next);
    if (e instanceof Expr.InitList l) {
      int cont = next;
      for (int i = l.items().size() - 1; i >= 0; i--) cont = expr(l.items().get(i).value(), cont);
      return cont;
    }
    if (e instanceof Expr.CompoundLiteral cl) return expr(cl.init(), next);
    return next; // literals, names, sizeof (not evaluated), opaque
  }

  private int call(Expr.Call c, int next) {
    if (c.callee() instanceof Expr.Call inner
        && "guard".equals(inner.calleeName())
        && inner.args().size() == 1) {
      Expr cls = inner.args().get(0);
      String name = cls instanceof Expr.Ident id ? id.name() : ExprKey.of(cls);
      Object scope = scopes.isEmpty() ? body : scopes.get(scopes.size() - 1);
      int enter =
          cfg.add(
              Cfg.Kind.SCOPE_ENTER,
              new Cfg.Guard(name, List.copyOf(c.args()), scope, c.range()),
              next,
              -1);
      return args(c.args(), 0, enter);
    }
    Cfg.Guard g = headerGuard(c);
    if (g != null) {
      return args(c.args(), 0, cfg.add(Cfg.Kind.SCOPE_ENTER, g, next, -1));
    }
    // A call that never returns (panic, BUG) ends its path: what follows is dead code.
    int node = cfg.add(Cfg.Kind.CALL, c, NoReturnApis.contains(c) ? -1 : next, -1);
    int cont = args(c.args(), 0, node);
    return c.callee() instanceof Expr.Ident ? cont : expr(c.callee(), cont);
  }

  private int args(List<Expr> args, int from, int next) {
    int cont = next;
    for (int i = args.size() - 1; i >= from; i--) cont = expr(args.get(i), cont);
    return cont;
  }

  /** Calls inside an lvalue ({@code a[f()] = ...}) run before the store. */
  private int lvalueParts(Expr lv, int next) {
    if (lv instanceof Expr.Ident) return next;
    return expr(lv, next);
  }

  private static Cfg.Assign assignOf(Expr lv, Expr value) {
    return new Cfg.Assign(ExprKey.of(lv), rootVar(lv), value, false);
  }

  static String rootVar(Expr e) {
    while (true) {
      if (e instanceof Expr.Ident id) return id.name();
      if (e instanceof Expr.Member m) e = m.base();
      else if (e instanceof Expr.Index ix) e = ix.array();
      else if (e instanceof Expr.Unary u) e = u.operand();
      else if (e instanceof Expr.Cast c) e = c.operand();
      else return null;
    }
  }

  // ---- conditions ----

  /** Evaluates {@code e} and continues at {@code t} when it is non-zero, else at {@code f}. */
  private int cond(Expr e, int t, int f) {
    e = strip(e);
    BigInteger k = constant(e);
    if (k != null) return k.signum() != 0 ? t : f;
    if (e instanceof Expr.Unary u && u.op().equals("!")) return cond(u.operand(), f, t);
    if (e instanceof Expr.Binary b) {
      switch (b.op()) {
        case "&&":
          return cond(b.left(), cond(b.right(), t, f), f);
        case "||":
          return cond(b.left(), t, cond(b.right(), t, f));
        case ",":
          return expr(b.left(), cond(b.right(), t, f));
        case "==":
          if (isZero(b.right())) return cond(b.left(), f, t);
          if (isZero(b.left())) return cond(b.right(), f, t);
          break;
        case "!=":
          if (isZero(b.right())) return cond(b.left(), t, f);
          if (isZero(b.left())) return cond(b.right(), t, f);
          break;
        default:
          break;
      }
    }
    if (e instanceof Expr.Conditional c) {
      // GNU "a ?: b" has no then-branch: its value is a itself, true whenever a is.
      Expr then = c.then();
      return cond(c.cond(), then == null ? t : cond(then, t, f), cond(c.otherwise(), t, f));
    }
    if (t == f && !(e instanceof Expr.Call)) return expr(e, t);
    return expr(e, cfg.add(Cfg.Kind.BRANCH, e, t, f));
  }

  /** Casts and likely()/unlikely() do not change what a condition tests. */
  public static Expr strip(Expr e) {
    return Conditions.strip(e);
  }

  /** The value of a literal condition (possibly cast or negated), or null. */
  public static BigInteger constant(Expr e) {
    e = e instanceof Expr.Cast c ? c.operand() : e;
    if (e instanceof Expr.IntLit l) return l.value();
    if (e instanceof Expr.CharLit c) return c.value();
    if (e instanceof Expr.Ident id && id.kind() == Expr.IdKind.ENUMERATOR) return id.enumValue();
    if (e instanceof Expr.Cast c) return constant(c.operand());
    if (e instanceof Expr.Unary u && u.op().equals("!")) {
      BigInteger v = constant(u.operand());
      return v == null ? null : (v.signum() == 0 ? BigInteger.ONE : BigInteger.ZERO);
    }
    if (e instanceof Expr.Unary u && (u.op().equals("~") || u.op().equals("-"))) {
      BigInteger v = constant(u.operand());
      return v == null ? null : u.op().equals("~") ? v.not() : v.negate();
    }
    // Flag macros: BIT(31), (1 << 4), FLAG_A | FLAG_B. Exact integers; no C width wrapping, so
    // callers only rely on small non-negative results.
    if (e instanceof Expr.Binary b) {
      BigInteger l = constant(b.left());
      BigInteger r = l == null ? null : constant(b.right());
      if (r == null) return null;
      switch (b.op()) {
        case "|":
          return l.or(r);
        case "&":
          return l.and(r);
        case "^":
          return l.xor(r);
        case "+":
          return l.add(r);
        case "-":
          return l.subtract(r);
        case "*":
          return l.multiply(r);
        case "<<":
          return r.signum() >= 0 && r.intValue() < 64 ? l.shiftLeft(r.intValue()) : null;
        case ">>":
          return r.signum() >= 0 && r.intValue() < 64 ? l.shiftRight(r.intValue()) : null;
        default:
          return null;
      }
    }
    return null;
  }

  private static boolean isZero(Expr e) {
    BigInteger v = constant(e);
    return v != null && v.signum() == 0;
  }

  private static void flattenComma(Expr e, List<Expr> out) {
    if (e instanceof Expr.Binary b && b.op().equals(",")) {
      flattenComma(b.left(), out);
      flattenComma(b.right(), out);
    } else {
      out.add(e);
    }
  }

  /** True when evaluating {@code e} may make a call (statement expressions count). */
  public static boolean hasCall(Expr e) {
    if (e == null) return false;
    if (e instanceof Expr.Call || e instanceof Expr.StmtExpr) return true;
    if (e instanceof Expr.Binary b) return hasCall(b.left()) || hasCall(b.right());
    if (e instanceof Expr.Unary u) return hasCall(u.operand());
    if (e instanceof Expr.Conditional c) {
      return hasCall(c.cond()) || hasCall(c.then()) || hasCall(c.otherwise());
    }
    if (e instanceof Expr.Cast c) return hasCall(c.operand());
    if (e instanceof Expr.Member m) return hasCall(m.base());
    if (e instanceof Expr.Index ix) return hasCall(ix.array()) || hasCall(ix.index());
    if (e instanceof Expr.InitList l) {
      for (Expr.Designated d : l.items()) if (hasCall(d.value())) return true;
      return false;
    }
    if (e instanceof Expr.CompoundLiteral cl) return hasCall(cl.init());
    return false;
  }

  // ---- guards ----

  /**
   * With real headers, guard(cls)(args) becomes a variable initialised by {@code
   * class_<cls>_constructor(args)} (include/linux/cleanup.h), scoped_guard a for loop whose init
   * declares one.
   */
  private Cfg.Guard headerGuard(Expr e) {
    if (!(e instanceof Expr.Call c)) return null;
    String n = c.calleeName();
    // Only DEFINE_GUARD/DEFINE_CLASS make these names; the lock class decides if it is atomic.
    if (n == null || !n.startsWith("class_") || !n.endsWith("_constructor")) return null;
    String cls = n.substring("class_".length(), n.length() - "_constructor".length());
    Object scope = scopes.isEmpty() ? body : scopes.get(scopes.size() - 1);
    return new Cfg.Guard(cls, List.copyOf(c.args()), scope, c.range());
  }

  private static boolean hasGuard(List<Stmt> stmts) {
    for (Stmt s : stmts) {
      if (s instanceof Stmt.ExprStmt es
          && es.expr() instanceof Expr.Call c
          && c.callee() instanceof Expr.Call inner
          && "guard".equals(inner.calleeName())) {
        return true;
      }
      if (s instanceof Stmt.Decl d) {
        for (VarDecl v : d.vars()) {
          if (v.init() instanceof Expr.Call c
              && c.calleeName() != null
              && c.calleeName().startsWith("class_")
              && c.calleeName().endsWith("_constructor")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** For gotos out of guarded scopes: the statements enclosing each label. */
  private static final class LabelScopes {
    /** The labels {@code s} defines in its statements (not in statement expressions inside). */
    static void names(Stmt s, Set<String> out) {
      Map<String, Set<Object>> found = new HashMap<>();
      walk(s, new ArrayList<>(), found);
      out.addAll(found.keySet());
    }

    static Map<String, Set<Object>> of(Stmt root) {
      Map<String, Set<Object>> out = new HashMap<>();
      walk(root, new ArrayList<>(), out);
      return out;
    }

    private static void walk(Stmt s, List<Object> path, Map<String, Set<Object>> out) {
      if (s == null) return;
      if (s instanceof Stmt.Label l) {
        Set<Object> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(path);
        out.put(l.name(), set);
        walk(l.body(), path, out);
        return;
      }
      path.add(s);
      if (s instanceof Stmt.Block b) {
        for (Stmt x : b.stmts()) walk(x, path, out);
      } else if (s instanceof Stmt.If i) {
        walk(i.then(), path, out);
        walk(i.otherwise(), path, out);
      } else if (s instanceof Stmt.While w) {
        walk(w.body(), path, out);
      } else if (s instanceof Stmt.DoWhile d) {
        walk(d.body(), path, out);
      } else if (s instanceof Stmt.For f) {
        walk(f.body(), path, out);
      } else if (s instanceof Stmt.Switch sw) {
        walk(sw.body(), path, out);
      }
      path.remove(path.size() - 1);
    }
  }
}
