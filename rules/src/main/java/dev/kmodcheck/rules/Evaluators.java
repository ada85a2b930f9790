package dev.kmodcheck.rules;

import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.FunctionDef;
import java.util.IdentityHashMap;
import java.util.Map;

/** One evaluator per function for the duration of one rule run over a unit. */
final class Evaluators {

  private final UnitContext ctx;
  private final Map<FunctionDef, ValueEvaluator> byFunction = new IdentityHashMap<>();

  Evaluators(UnitContext ctx) {
    this.ctx = ctx;
  }

  ValueEvaluator of(FunctionDef fn) {
    return byFunction.computeIfAbsent(fn, ctx::evaluator);
  }
}
