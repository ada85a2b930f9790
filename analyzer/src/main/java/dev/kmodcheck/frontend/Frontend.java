package dev.kmodcheck.frontend;

import dev.kmodcheck.facts.Target;
import dev.kmodcheck.ir.TranslationUnit;
import java.io.IOException;

/**
 * Parses C files with Eclipse CDT (GCC dialect) and translates the AST into the IR. The only code
 * that imports org.eclipse.cdt lives in this package.
 *
 * <p>Header-less mode (a {@link SourceInput} without a command): the bundled kernel shim is
 * force-included and its annotation macros predefined, missing #includes are skipped. Build-aware
 * mode: the command's include paths, defines and forced includes are used, and header contents are
 * cached across translation units. Thread-safe: one instance serves all worker threads.
 */
public final class Frontend {

  /** The target decides what the shim defines for PAGE_SHIFT/PAGE_SIZE and related limits. */
  public Frontend(Target target) {}

  public TranslationUnit parse(SourceInput input) throws IOException {
    throw new UnsupportedOperationException("TODO");
  }
}
