package dev.kmodcheck.frontend;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr.IdKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.cdt.core.dom.ast.IASTName;

/**
 * The block scopes of the function being translated: its parameters and local variables with their
 * types, so that an identifier naming one of them needs no CDT lookup. C's rule is CDT's: the
 * innermost scope holding a declaration of the name made before the use. Names declared there that
 * the translator leaves to CDT (typedefs, enumerators, block-scope functions and externs, anything
 * declared twice in one scope) hide outer names and answer null, so the caller asks CDT.
 */
final class LocalScopes {

  /** A parameter or local variable: the kind and type CDT's binding gives it. */
  record Local(IdKind kind, CType type) {}

  private static final Local OTHER = new Local(IdKind.UNRESOLVED, null);

  private final ArrayDeque<Map<String, Local>> stack = new ArrayDeque<>();

  /**
   * Per scope, the declarations CDT resolves when it translates alone (variables, parameters). A
   * redeclaration is left to CDT, whose binding for it depends on whether the earlier ones were
   * resolved (it only looks at resolved names): they are resolved first, as without our scopes.
   */
  private final ArrayDeque<Map<String, List<IASTName>>> resolvable = new ArrayDeque<>();

  private final boolean enabled;

  /** Above zero while translating what is not in the function's scopes (type lengths). */
  private int suspended;

  /**
   * @param enabled false: every lookup answers null (CDT resolves everything)
   */
  LocalScopes(boolean enabled) {
    this.enabled = enabled;
  }

  /** Opens the scope of a function definition: parameters and the body's own declarations. */
  void enterFunction() {
    exitFunction();
    push();
  }

  void exitFunction() {
    stack.clear();
    resolvable.clear();
  }

  /** Opens a block scope (also a statement expression's outside any function). */
  void push() {
    stack.push(new HashMap<>());
    resolvable.push(new HashMap<>());
  }

  void pop() {
    stack.pop();
    resolvable.pop();
  }

  void suspend() {
    suspended++;
  }

  void resume() {
    suspended--;
  }

  boolean suspended() {
    return suspended > 0;
  }

  /** Whether a scope of the function declares {@code name}, whatever it is. */
  boolean knows(String name) {
    for (Map<String, Local> scope : stack) {
      if (scope.containsKey(name)) {
        return true;
      }
    }
    return false;
  }

  void declare(String name, Local local) {
    if (stack.isEmpty() || name.isEmpty()) {
      return;
    }
    stack.peek().merge(name, local, (a, b) -> OTHER);
  }

  void declareOther(String name) {
    declare(name, OTHER);
  }

  /** Names of the innermost scope whose every use and declaration CDT resolves. */
  void leaveToCdt(Set<String> names) {
    for (String n : names) {
      declareOther(n);
    }
  }

  /** A declaration CDT would have resolved where it stands; see {@link #resolveEarlier}. */
  void declareResolvable(IASTName name, Local local) {
    String n = name.toString();
    declare(n, local == null ? OTHER : local);
    if (!stack.isEmpty() && !n.isEmpty()) {
      resolvable.peek().computeIfAbsent(n, k -> new ArrayList<>(1)).add(name);
    }
  }

  /** Resolves the earlier declarations of {@code name} in the innermost scope, in order. */
  void resolveEarlier(String name) {
    if (!resolvable.isEmpty()) {
      for (IASTName n : resolvable.peek().getOrDefault(name, List.of())) {
        n.resolveBinding();
      }
    }
  }

  boolean declaredHere(String name) {
    return !stack.isEmpty() && stack.peek().containsKey(name);
  }

  /** The local or parameter {@code name} names here, or null when CDT has to answer. */
  Local lookup(String name) {
    if (!enabled || suspended > 0) {
      return null;
    }
    for (Map<String, Local> scope : stack) {
      Local l = scope.get(name);
      if (l != null) {
        return l == OTHER ? null : l;
      }
    }
    return null;
  }
}
