package dev.kmodcheck.check;

import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.KernelApis;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.Target;
import java.util.List;

/** What a whole-program check sees. */
public interface ProgramContext extends FindingSink {
  List<TranslationUnit> units();

  Target target();

  KernelApis apis();

  /**
   * The kernel tables of this scan: the shipped ones plus the project's rows from its
   * configuration. {@link #apis()} is its allocation table.
   */
  default KernelKnowledge knowledge() {
    return KernelKnowledge.builtin();
  }

  /** The program: its units, functions, call graph, against this scan's kernel tables. */
  Fact<ProgramContext, Program> PROGRAM =
      Fact.ofProgram("program", c -> new Program(c.units(), c.knowledge()));

  /**
   * A whole-program fact made once per program and shared by all rules (call graph, lock effects,
   * sleep summaries, entry points): the first caller makes it, later ones get the same object, and
   * a caller on another thread waits for it meanwhile. A fact must be safe to read from several
   * threads once made; facts may ask for other facts, never in a cycle.
   */
  <T> T fact(Fact<ProgramContext, T> key);

  /** The program ({@link #PROGRAM}). */
  default Program program() {
    return fact(PROGRAM);
  }

  /** An evaluator for expressions in {@code fn} of {@code unit} (knows its locals). */
  ValueEvaluator evaluator(TranslationUnit unit, FunctionDef fn);
}
