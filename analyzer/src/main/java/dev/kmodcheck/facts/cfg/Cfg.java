package dev.kmodcheck.facts.cfg;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.SrcRange;
import java.util.Arrays;
import java.util.List;

/**
 * A function's control-flow graph, one node per call, branch, assignment and scope event, in
 * compact arrays (the whole drivers/ tree has ~400k functions). Nodes are numbered in creation
 * order; the builder creates them backwards, so higher numbers come earlier in a statement.
 *
 * <p>Node payloads: CALL {@link Expr.Call}; BRANCH the tested {@link Expr} (true edge {@link
 * #next}, false edge {@link #alt}); SWITCH the selector (edges {@link #successors}); ASSIGN {@link
 * Assign}; SCOPE_ENTER {@link Guard}; SCOPE_EXIT the scope object (a Stmt).
 */
public final class Cfg {

  /** What a node does. */
  public enum Kind {
    ENTRY,
    EXIT,
    NOP,
    CALL,
    BRANCH,
    SWITCH,
    ASSIGN,
    SCOPE_ENTER,
    SCOPE_EXIT
  }

  /**
   * A write to a variable or lvalue.
   *
   * @param target canonical text of the lvalue ({@link dev.kmodcheck.facts.ExprKey})
   * @param root the variable the lvalue is based on, or null
   * @param value the assigned expression for a plain {@code =} or an initialiser; null when the new
   *     value is not an expression of its own (+=, ++)
   */
  /**
   * A store: {@code target} (its text) written with {@code value} (null when unknown: {@code p++},
   * {@code p += n}, a declaration without initializer); {@code declares} when it is a local's
   * declaration, whose name did not denote that variable before.
   */
  public record Assign(String target, String root, Expr value, boolean declares) {}

  /**
   * A scope guard: {@code guard(lockClass)(args)} held until the end of the enclosing block, or
   * {@code scoped_guard(lockClass, args) {...}} held in its body.
   *
   * @param scope the statement whose end releases the guard (identity)
   */
  public record Guard(String lockClass, List<Expr> args, Object scope, SrcRange range) {}

  private static final Kind[] KINDS = Kind.values();
  private static final int[] NONE = new int[0];

  private int size;
  private byte[] kinds = new byte[32];
  private Object[] payloads = new Object[32];
  private int[] next = new int[32];
  private int[] alt = new int[32];
  private int[][] multi;
  private int entry = -1;
  private int exit = -1;

  Cfg() {}

  int add(Kind kind, Object payload, int nextNode, int altNode) {
    if (size == kinds.length) {
      int n = size * 2;
      kinds = Arrays.copyOf(kinds, n);
      payloads = Arrays.copyOf(payloads, n);
      next = Arrays.copyOf(next, n);
      alt = Arrays.copyOf(alt, n);
      if (multi != null) multi = Arrays.copyOf(multi, n);
    }
    kinds[size] = (byte) kind.ordinal();
    payloads[size] = payload;
    next[size] = nextNode;
    alt[size] = altNode;
    return size++;
  }

  void setNext(int node, int nextNode) {
    next[node] = nextNode;
  }

  void setMulti(int node, int[] succ) {
    if (multi == null) multi = new int[kinds.length][];
    multi[node] = succ;
  }

  void setEntry(int node) {
    entry = node;
  }

  void setExit(int node) {
    exit = node;
  }

  public int size() {
    return size;
  }

  public int entry() {
    return entry;
  }

  public int exit() {
    return exit;
  }

  public Kind kind(int node) {
    return KINDS[kinds[node]];
  }

  public Object payload(int node) {
    return payloads[node];
  }

  /** The single successor, or the true edge of a BRANCH; -1 for EXIT and SWITCH. */
  public int next(int node) {
    return next[node];
  }

  /** The false edge of a BRANCH; -1 otherwise. */
  public int alt(int node) {
    return alt[node];
  }

  /** Every successor (a switch's cases, in source order, then default or the end). */
  public int[] successors(int node) {
    Kind k = kind(node);
    if (k == Kind.SWITCH) return multi[node];
    if (k == Kind.EXIT) return NONE;
    if (k == Kind.BRANCH) return new int[] {next[node], alt[node]};
    return new int[] {next[node]};
  }
}
