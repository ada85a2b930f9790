package dev.kmodcheck.facts;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;

/**
 * Evaluates integer expressions to a value when it is provable, with C semantics on LP64
 * (promotions, usual arithmetic conversions, wrap-around of unsigned types). Returns null for
 * anything not provable: never guesses.
 *
 * <p>Understands literals, enumerators, arithmetic, shifts, comparisons, logical operators, casts,
 * ternaries with a constant condition, sizeof/alignof (via {@link TypeLayout}), {@code sizeof *p},
 * and the kernel helpers get_order(), array_size(), array3_size(), size_mul(), size_add(),
 * struct_size(), flex_array_size(). Locals of {@code function} that are initialised once and never
 * assigned or address-taken evaluate to their initialiser.
 */
public final class ValueEvaluator {

  private final Target target;
  private final TypeLayout layout;
  private final FunctionDef function;

  public ValueEvaluator(Target target, TypeLayout layout, FunctionDef function) {
    this.target = target;
    this.layout = layout;
    this.function = function;
  }

  /** The value of {@code e}, or null if it is not provable. */
  public CValue eval(Expr e) {
    throw new UnsupportedOperationException("TODO");
  }

  public TypeLayout layout() {
    return layout;
  }

  public Target target() {
    return target;
  }
}
