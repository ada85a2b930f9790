package dev.kmodcheck.frontend;

import org.eclipse.cdt.core.index.IIndexFileLocation;
import org.eclipse.cdt.internal.core.parser.IMacroDictionary;
import org.eclipse.cdt.internal.core.parser.scanner.CharArray;
import org.eclipse.cdt.internal.core.parser.scanner.InternalFileContent;
import org.eclipse.cdt.internal.core.parser.scanner.InternalFileContentProvider;

/**
 * Serves #include contents to CDT. The stock providers of this CDT build are unusable (the saved
 * files provider is missing at runtime, the empty one drops forced includes), so this one answers
 * from the kernel shim (classpath resource, at a synthetic path) and, in build-aware mode, from the
 * shared {@link HeaderCache}. In header-less mode every other include is reported as missing,
 * which CDT records as an unresolved include, not as an AST problem.
 */
final class IncludeProvider extends InternalFileContentProvider {

  /** Synthetic absolute path under which the shim is force-included. */
  static final String SHIM_PATH = "/__kmodcheck__/kernel-shim.h";

  private final SourceText shim;
  private final HeaderCache headers;
  private final ModuleHeaderPlan plan;
  private final String mainFile;
  /** Every header path CDT asked about (found or not), in order: what the unit depends on. */
  final java.util.Set<String> looked = new java.util.LinkedHashSet<>();

  /**
   * {@code shim} is null in build-aware mode. {@code plan} says which module headers this unit
   * ({@code mainFile}) gets without function bodies because another unit owns them.
   */
  IncludeProvider(SourceText shim, HeaderCache headers, ModuleHeaderPlan plan, String mainFile) {
    this.shim = shim;
    this.headers = headers;
    this.plan = plan;
    this.mainFile = mainFile;
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
      return new InternalFileContent(path, new CharArray(shim.chars));
    }
    looked.add(path);
    if (headers == null || !headers.exists(path)) {
      return null;
    }
    if (plan.stripsFor(path, mainFile)) {
      char[] chars = headers.withoutBodies(path);
      return chars == null ? null : new InternalFileContent(path, new CharArray(chars));
    }
    SourceText text = headers.text(path);
    return text == null ? null : new InternalFileContent(path, new CharArray(text.chars));
  }

  @Override
  public InternalFileContent getContentForInclusion(IIndexFileLocation location, String astPath) {
    return getContentForInclusion(astPath, null);
  }
}
