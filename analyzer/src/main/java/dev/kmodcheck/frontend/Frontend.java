package dev.kmodcheck.frontend;

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

  /** @param pageShift PAGE_SHIFT the shim defines (PAGE_SIZE = 1UL << PAGE_SHIFT) */
  public Frontend(int pageShift) {}

  public TranslationUnit parse(SourceInput input) throws IOException {
    throw new UnsupportedOperationException("TODO");
  }
}
