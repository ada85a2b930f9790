package dev.kmodcheck.facts.program;

import dev.kmodcheck.ir.TranslationUnit;
import java.util.List;

/**
 * The whole scanned program: every function definition of every unit, linked as the linker would
 * (a static function is visible in its own unit only; a non-static one is found by name across
 * units), with the call graph over direct calls. Deterministic iteration order (file, line).
 *
 * <p>The same module header may be parsed with several units; its functions then appear once per
 * unit, and {@link #resolve} prefers the definition in the caller's own unit.
 */
public final class Program {

  public Program(List<TranslationUnit> units) {
    throw new UnsupportedOperationException("TODO");
  }

  public List<TranslationUnit> units() {
    throw new UnsupportedOperationException("TODO");
  }

  /** All function definitions, sorted by file then line. */
  public List<FunctionRef> functions() {
    throw new UnsupportedOperationException("TODO");
  }

  /** The definition a call to {@code name} from {@code caller} reaches, or null (an API). */
  public FunctionRef resolve(FunctionRef caller, String name) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Every direct call in the body, in source order, including nested calls in arguments. */
  public List<CallSite> callSites(FunctionRef fn) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Call sites (in any unit) that resolve to {@code fn}. */
  public List<CallSite> callersOf(FunctionRef fn) {
    throw new UnsupportedOperationException("TODO");
  }

  /** Non-static definitions by name; several when module and test code both define one. */
  public List<FunctionRef> byName(String name) {
    throw new UnsupportedOperationException("TODO");
  }
}
