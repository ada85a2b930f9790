package dev.kmodcheck.frontend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, before a header-less scan, which .c file owns each module header: the first input (by
 * report path) that includes it for certain, i.e. through a chain of quoted #include lines that no
 * #if/#ifdef/#ifndef encloses (a header's include guard aside). Only guarded headers get an owner:
 * unguarded ones are often templates, included several times under different macros. The owner
 * parses the header in full; every other unit gets its function bodies blanked ({@link
 * FunctionBodies}), so a header's inline functions are parsed and translated once per scan instead
 * of once per including file.
 *
 * <p>Deterministic: the plan depends only on the input list and the files' text, never on which
 * worker parses what first. A header reached only conditionally has no owner and is parsed in full
 * by everyone, as before; so is every header when no plan was made.
 */
final class ModuleHeaderPlan {

  static final ModuleHeaderPlan NONE = new ModuleHeaderPlan(Map.of());

  /** Normalized absolute header path to the normalized absolute path of its owner .c file. */
  private final Map<String, String> owners;

  private ModuleHeaderPlan(Map<String, String> owners) {
    this.owners = owners;
  }

  /** Whether {@code mainFile}'s unit gets {@code header} with its function bodies blanked. */
  boolean stripsFor(String header, String mainFile) {
    if (owners.isEmpty()) return false;
    String owner = owners.get(normalize(header));
    return owner != null && !owner.equals(mainFile);
  }

  /** Whether {@code mainFile} is the owner of {@code header}'s function bodies. */
  boolean owns(String header, String mainFile) {
    return mainFile.equals(owners.get(normalize(header)));
  }

  int ownedHeaders() {
    return owners.size();
  }

  /** Plans the header-less inputs of a scan (inputs with a compile command are ignored). */
  static ModuleHeaderPlan of(List<SourceInput> inputs, HeaderCache headers) {
    List<SourceInput> sorted = new ArrayList<>();
    for (SourceInput in : inputs) {
      if (in.command() == null) sorted.add(in);
    }
    sorted.sort(Comparator.comparing(SourceInput::relPath));
    Map<String, List<String>> includesOf = new HashMap<>();
    Map<String, String> owners = new HashMap<>();
    Map<String, Boolean> guarded = new HashMap<>();
    for (SourceInput in : sorted) {
      String main = normalize(in.path().toAbsolutePath().toString());
      Deque<String> work = new ArrayDeque<>();
      Set<String> seen = new HashSet<>();
      work.add(main);
      seen.add(main);
      while (!work.isEmpty()) {
        String file = work.poll();
        List<String> includes =
            file.equals(main)
                ? certainIncludes(file, readUncached(file))
                : includesOf.computeIfAbsent(file, f -> certainIncludes(f, headers.text(f)));
        for (String h : includes) {
          if (seen.add(h)) {
            if (guarded.computeIfAbsent(h, f -> isGuarded(headers.text(f)))) {
              owners.putIfAbsent(h, main);
            }
            work.add(h);
          }
        }
      }
    }
    return new ModuleHeaderPlan(Map.copyOf(owners));
  }

  private static boolean isGuarded(SourceText text) {
    return text != null && IncludeLines.isGuarded(text.chars);
  }

  /** .c files are read once more here but not kept: only headers go to the shared cache. */
  private static SourceText readUncached(String file) {
    try {
      return SourceText.read(Path.of(file));
    } catch (IOException e) {
      return null;
    }
  }

  static String normalize(String path) {
    return Path.of(path).normalize().toString();
  }

  /** Existing files named by unconditional quoted includes of {@code file}, resolved next to it. */
  private static List<String> certainIncludes(String file, SourceText text) {
    if (text == null) return List.of();
    Path dir = Path.of(file).getParent();
    List<String> out = new ArrayList<>();
    for (String name : IncludeLines.unconditionalQuoted(text.chars)) {
      if (dir == null || name.startsWith("/") || name.indexOf('\0') >= 0) continue;
      String resolved = normalize(dir.resolve(name).toString());
      if (HeaderCache.isRegularFile(resolved)) out.add(resolved);
    }
    return out;
  }
}
