package dev.kmodcheck.check;

import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.KernelApis;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.Target;

/** What a per-file check sees. */
public interface UnitContext extends FindingSink {
  TranslationUnit unit();

  Target target();

  KernelApis apis();

  /**
   * The kernel tables of this scan: the shipped ones plus the project's rows from its
   * configuration. {@link #apis()} is its allocation table.
   */
  default KernelKnowledge knowledge() {
    return KernelKnowledge.builtin();
  }

  /**
   * The evaluator for expressions inside {@code fn} (knows its locals), the same instance for every
   * rule of this unit.
   */
  ValueEvaluator evaluator(FunctionDef fn);

  /**
   * A fact of this unit made once and shared by the unit's rules (its allocation calls, which five
   * rules read): the first rule that asks makes it.
   */
  <T> T fact(Fact<UnitContext, T> key);
}
