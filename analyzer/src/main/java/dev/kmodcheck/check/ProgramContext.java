package dev.kmodcheck.check;

import dev.kmodcheck.facts.KernelApis;
import dev.kmodcheck.facts.Target;
import dev.kmodcheck.ir.TranslationUnit;
import java.util.List;
import java.util.function.Function;

/** What a whole-program check sees. */
public interface ProgramContext extends FindingSink {
  List<TranslationUnit> units();

  Target target();

  KernelApis apis();

  /**
   * The kernel tables of this scan: the shipped ones plus the project's rows from its
   * configuration. {@link #apis()} is its allocation table.
   */
  default dev.kmodcheck.facts.KernelKnowledge knowledge() {
    return dev.kmodcheck.facts.KernelKnowledge.builtin();
  }

  /**
   * A whole-program fact computed once per program and shared by all rules (call graph, lock
   * effects, sleep summaries, entry points): the first caller computes it, later ones get the
   * same object, and a caller on another thread waits for it meanwhile. Keyed by class. A fact
   * must be safe to read from several threads once made; facts may ask for other facts, never in
   * a cycle.
   */
  <T> T fact(Class<T> key, Function<ProgramContext, T> compute);

  /** An evaluator for expressions in {@code fn} of {@code unit} (knows its locals). */
  dev.kmodcheck.facts.ValueEvaluator evaluator(TranslationUnit unit, dev.kmodcheck.ir.FunctionDef fn);
}
