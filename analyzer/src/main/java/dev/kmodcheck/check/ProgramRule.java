package dev.kmodcheck.check;

/**
 * A rule that needs whole-program facts: it runs once per program after its units are parsed,
 * possibly in parallel with other rules on the same program; facts they share come from {@link
 * ProgramContext#fact}.
 */
public non-sealed interface ProgramRule extends Rule {
  void checkProgram(ProgramContext ctx);
}
