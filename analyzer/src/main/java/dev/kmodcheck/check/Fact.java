package dev.kmodcheck.check;

import java.util.function.Function;

/**
 * A fact rules share: a typed key that carries its own recipe, so whichever rule asks first, the
 * fact is made the same way. {@code C} is the context it is made from: {@link ProgramContext} for
 * whole-program facts (call graph, sleep summaries, pointer origins), {@link UnitContext} for facts
 * of one translation unit (its allocation calls). Keys compare by identity: declare each as a
 * constant.
 */
public final class Fact<C, T> {
  private final String name;
  private final Function<C, T> recipe;

  private Fact(String name, Function<C, T> recipe) {
    this.name = name;
    this.recipe = recipe;
  }

  /** A whole-program fact. */
  public static <T> Fact<ProgramContext, T> ofProgram(
      String name, Function<ProgramContext, T> recipe) {
    return new Fact<>(name, recipe);
  }

  /** A fact of one translation unit. */
  public static <T> Fact<UnitContext, T> ofUnit(String name, Function<UnitContext, T> recipe) {
    return new Fact<>(name, recipe);
  }

  /** Makes the fact in {@code ctx}; contexts call this once and share the result. */
  public T make(C ctx) {
    return recipe.apply(ctx);
  }

  @Override
  public String toString() {
    return name;
  }
}
