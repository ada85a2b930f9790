package dev.kmodcheck.frontend;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.cdt.core.dom.ast.IFileNomination;
import org.eclipse.cdt.core.dom.parser.IScannerExtensionConfiguration;
import org.eclipse.cdt.core.index.IIndexFileLocation;
import org.eclipse.cdt.core.parser.ISignificantMacros;
import org.eclipse.cdt.internal.core.parser.IMacroDictionary;
import org.eclipse.cdt.internal.core.parser.scanner.CharArray;
import org.eclipse.cdt.internal.core.parser.scanner.InternalFileContent;
import org.eclipse.cdt.internal.core.parser.scanner.InternalFileContentProvider;

/**
 * Serves #include contents to CDT. The stock providers of this CDT build are unusable (the saved
 * files provider is missing at runtime, the empty one drops forced includes), so this one answers
 * from the kernel shim (classpath resource, at a synthetic path) and, in build-aware mode, from the
 * shared {@link HeaderCache}. In header-less mode every other include is reported as missing, which
 * CDT records as an unresolved include, not as an AST problem.
 *
 * <p>Include guards: CDT's own detection (a second lexing of every included file) is turned off and
 * answered from {@link IncludeGuards}, once per header text: a file served with a guard is skipped
 * when included again, as CDT skips it ("pragma once" semantics), and so is the unit's own file
 * when it has a guard. {@code #pragma once} itself is still handled by CDT.
 */
final class IncludeProvider extends InternalFileContentProvider {

  /** Synthetic absolute path under which the shim is force-included. */
  static final String SHIM_PATH = "/__kmodcheck__/kernel-shim.h";

  private final SourceText shim;
  private final HeaderCache headers;
  private final ModuleHeaderPlan plan;
  private final String mainFile;

  /** Every header path CDT asked about (found or not), in order: what the unit depends on. */
  final Set<String> looked = new LinkedHashSet<>();

  private final IncludeGuards guards;
  private final IScannerExtensionConfiguration config;

  /** Files served (or the unit's own file) whose include guard spans them. */
  private final Set<String> guardedServed = new HashSet<>();

  /** What CDT's preprocessor records for a guarded file; only its index code reads the details. */
  private static final IFileNomination GUARDED =
      new IFileNomination() {
        @Override
        public ISignificantMacros getSignificantMacros() {
          return ISignificantMacros.NONE;
        }

        @Override
        public boolean hasPragmaOnceSemantics() {
          return true;
        }
      };

  /**
   * {@code shim} is null in build-aware mode. {@code plan} says which module headers this unit
   * ({@code mainFile}) gets without function bodies because another unit owns them.
   */
  IncludeProvider(
      SourceText shim,
      HeaderCache headers,
      ModuleHeaderPlan plan,
      String mainFile,
      char[] mainChars,
      IncludeGuards guards,
      IScannerExtensionConfiguration config) {
    this.shim = shim;
    this.headers = headers;
    this.plan = plan;
    this.mainFile = mainFile;
    this.guards = guards;
    this.config = config;
    if (IncludeGuards.detect(mainChars, config)) {
      guardedServed.add(mainFile);
    }
  }

  /** True: CDT's per-inclusion include-guard detection is replaced by {@link #served}. */
  @Override
  public boolean shouldIndexAllHeaderVersions(String headerFileName) {
    return true;
  }

  @Override
  public IFileNomination isIncludedWithPragmaOnceSemantics(String filePath) {
    IFileNomination once = super.isIncludedWithPragmaOnceSemantics(filePath);
    if (once != null) {
      return once;
    }
    return guardedServed.contains(filePath) ? GUARDED : null;
  }

  /** Content for CDT, noting first whether an include guard spans it. */
  private InternalFileContent served(String path, char[] chars) {
    if (guards.guarded(chars, config)) {
      guardedServed.add(path);
    }
    return new InternalFileContent(path, new CharArray(chars));
  }

  @Override
  public boolean getInclusionExists(String path) {
    if (shim != null && SHIM_PATH.equals(path)) {
      return true;
    }
    looked.add(path);
    return headers != null && headers.exists(path);
  }

  @Override
  public InternalFileContent getContentForInclusion(String path, IMacroDictionary macros) {
    if (shim != null && SHIM_PATH.equals(path)) {
      return served(path, shim.chars);
    }
    looked.add(path);
    if (headers == null || !headers.exists(path)) {
      return null;
    }
    if (plan.stripsFor(path, mainFile)) {
      char[] chars = headers.withoutBodies(path);
      return chars == null ? null : served(path, chars);
    }
    SourceText text = headers.text(path);
    return text == null ? null : served(path, text.chars);
  }

  /** Whether this unit owns {@code path}'s function bodies (measurement only: IndexProbe). */
  boolean ownsBodies(String path) {
    return plan.owns(path, mainFile);
  }

  @Override
  public InternalFileContent getContentForInclusion(IIndexFileLocation location, String astPath) {
    return getContentForInclusion(astPath, null);
  }
}
