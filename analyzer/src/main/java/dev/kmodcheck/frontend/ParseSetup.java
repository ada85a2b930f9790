package dev.kmodcheck.frontend;

import dev.kmodcheck.kernel.KernelVersion;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How header-less parses are preprocessed, beyond the target: the kernel release that version
 * checks and the shim's version-dependent macros follow, the command line's (and configuration's)
 * {@code -I}, {@code -D}, {@code -U} and {@code -include}, and whether the module's Kbuild files
 * and Makefiles are read for theirs. Command-line flags win over a Makefile's.
 *
 * @param includes {@code -I} directories, searched before the Makefiles' and before the shim's "not
 *     found"
 * @param defines {@code -D} names to values ("1" when none was given); a null value is an {@code
 *     -U}
 * @param forcedIncludes {@code -include} files, read after the shim
 * @param kbuild whether Kbuild files and Makefiles give flags ({@link KbuildTree})
 */
public record ParseSetup(
    KernelVersion kernelVersion,
    List<Path> includes,
    Map<String, String> defines,
    List<Path> forcedIncludes,
    boolean kbuild) {

  public static final ParseSetup DEFAULT = new ParseSetup(KernelVersion.DEFAULT);

  public ParseSetup {
    if (kernelVersion == null) kernelVersion = KernelVersion.DEFAULT;
    includes = includes == null ? List.of() : List.copyOf(includes);
    forcedIncludes = forcedIncludes == null ? List.of() : List.copyOf(forcedIncludes);
    defines =
        defines == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(defines));
  }

  public ParseSetup(KernelVersion kernelVersion) {
    this(kernelVersion, List.of(), Map.of(), List.of(), true);
  }

  /**
   * Make variables as the command line's defines set them for a Makefile's conditionals: {@code -D
   * CONFIG_FOO} is {@code CONFIG_FOO=y}, as a kernel configuration would have it.
   */
  public Map<String, String> makeVariables() {
    Map<String, String> m = new LinkedHashMap<>();
    defines.forEach(
        (k, v) -> {
          if (k.startsWith("CONFIG_") && v != null) m.put(k, v.equals("1") ? "y" : v);
        });
    return m;
  }
}
