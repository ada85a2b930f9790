package dev.kmodcheck.facts;

import dev.kmodcheck.ir.Expr;

/**
 * A canonical text for an expression, independent of source position and macro provenance: {@code
 * priv->lock}, {@code !atomic}, {@code flags & 4}. Used to correlate a branch condition with a
 * later one (a lock taken and released under the same condition) and a lock argument with its
 * unlock.
 */
public final class ExprKey {
  private ExprKey() {}

  public static String of(Expr e) {
    return ExprWriter.key(e);
  }
}
