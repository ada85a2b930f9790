package dev.kmodcheck.facts.program;

import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.TranslationUnit;

/**
 * A function definition of the scanned program, with the unit it was parsed in. Identity semantics
 * on purpose: IR records compare deeply, which is far too slow for map keys.
 */
public final class FunctionRef {
  private final TranslationUnit unit;
  private final FunctionDef def;

  public FunctionRef(TranslationUnit unit, FunctionDef def) {
    this.unit = unit;
    this.def = def;
  }

  public TranslationUnit unit() {
    return unit;
  }

  public FunctionDef def() {
    return def;
  }

  public String name() {
    return def.name();
  }

  /** The file the definition is in (a header in build-aware mode or for module headers). */
  public String file() {
    return def.range().file();
  }

  @Override
  public String toString() {
    return def.name() + " (" + def.nameRange().shortText() + ")";
  }
}
