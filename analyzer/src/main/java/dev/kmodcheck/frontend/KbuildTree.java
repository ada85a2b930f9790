package dev.kmodcheck.frontend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiler flags of a header-less scan's files as their module's Kbuild files and Makefiles
 * give them: for a file, every {@code Kbuild} (else {@code Makefile}) from the source root down to
 * the file's directory is read ({@link KbuildReader}), and their flags apply in that order, the
 * deeper ones last. An out-of-tree module's top Makefile lists objects of its subdirectories, so
 * its {@code ccflags-y} apply to them too. Thread-safe; each make file is read once.
 */
public final class KbuildTree {

  /** Reads nothing: every file gets no flags. */
  public static final KbuildTree NONE = new KbuildTree(null, Map.of());

  /** Something a make file held that the scan could not use. */
  public record Note(Path file, int line, String message) {}

  /**
   * A file's flags.
   *
   * @param makefiles the make files they came from, which the file's parse depends on
   * @param buildConfigs the CONFIG options the make files build the file under ({@code
   *     obj-$(CONFIG_FOO) += foo.o}, or a directory listed that way), which a header-less parse
   *     leaves undefined
   */
  public record Flags(CompileCommand command, List<Path> makefiles, Set<String> buildConfigs) {
    static final Flags EMPTY = new Flags(null, List.of(), Set.of());
  }

  private final Path root;
  private final Map<String, String> makeVars;
  private final Map<Path, KbuildReader.Result> results = new ConcurrentHashMap<>();
  private final Map<Path, Flags> byFile = new ConcurrentHashMap<>();

  /**
   * {@code root}: make files above it are never read. {@code makeVars}: variables as the command
   * line sets them for make ({@code CONFIG_FOO=y} for {@code -D CONFIG_FOO}).
   */
  public KbuildTree(Path root, Map<String, String> makeVars) {
    this.root = root == null ? null : root.toAbsolutePath().normalize();
    this.makeVars = Map.copyOf(makeVars);
  }

  /** Reads the make files of all {@code files} now, so that notes do not depend on the cache. */
  public void prepare(List<Path> files) {
    for (Path f : files) forFile(f);
  }

  /** The flags for the C file {@code file} (absolute). */
  public Flags forFile(Path file) {
    if (root == null) return Flags.EMPTY;
    Path abs = file.toAbsolutePath().normalize();
    return byFile.computeIfAbsent(abs, this::compute);
  }

  private Flags compute(Path file) {
    Path dir = file.getParent();
    if (dir == null || !dir.startsWith(root)) return Flags.EMPTY;
    List<Path> chain = new ArrayList<>();
    for (Path d = dir; d != null && d.startsWith(root); d = d.getParent()) chain.add(0, d);
    List<String> args = new ArrayList<>(List.of("cc"));
    List<Path> makefiles = new ArrayList<>();
    Path moduleDir = null;
    String object = file.getFileName().toString().replaceFirst("\\.c$", ".o");
    Set<String> configs = new TreeSet<>();
    for (Path d : chain) {
      Path mk = makefile(d);
      if (mk == null) continue;
      if (moduleDir == null) moduleDir = d;
      Path top = moduleDir;
      KbuildReader.Result r =
          results.computeIfAbsent(mk, m -> KbuildReader.read(m, top, root, makeVars));
      makefiles.addAll(r.read());
      addAbsolute(r.common(), args);
      addAbsolute(r.perObject().getOrDefault(object, List.of()), args);
      configs.addAll(buildConfigs(r, d, file));
    }
    if (makefiles.isEmpty()) return Flags.EMPTY;
    return new Flags(
        CompileCommands.fromArgs(file, dir, args), List.copyOf(makefiles), Set.copyOf(configs));
  }

  /**
   * The options {@code makefileDir}'s object lists need for {@code file}: its object named by its
   * path from there ({@code sub/foo.o}), else the first subdirectory on the way ({@code sub/}).
   */
  private static Set<String> buildConfigs(KbuildReader.Result r, Path makefileDir, Path file) {
    Path rel = makefileDir.relativize(file);
    String object = rel.toString().replace('\\', '/').replaceFirst("\\.c$", ".o");
    Set<String> found = r.buildConfigs().get(object);
    if (found == null && rel.getNameCount() > 1) {
      found = r.buildConfigs().get(rel.getName(0) + "/");
    }
    return found == null ? Set.of() : found;
  }

  private static Path makefile(Path dir) {
    for (String name : List.of("Kbuild", "Makefile", "makefile")) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) return p;
    }
    return null;
  }

  /**
   * Keeps the flags whose paths are absolute: kbuild compiles from the kernel tree, so a relative
   * include path names a kernel directory, which header-less scans do not read.
   */
  private static void addAbsolute(List<String> words, List<String> out) {
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      String opt = null;
      for (String o : List.of("-isystem", "-iquote", "-include", "-I")) {
        if (w.startsWith(o)) {
          opt = o;
          break;
        }
      }
      if (opt == null) {
        out.add(w);
        continue;
      }
      String value = w.length() > opt.length() ? w.substring(opt.length()) : null;
      if (value == null && i + 1 < words.size()) value = words.get(++i);
      if (value != null && Path.of(value).isAbsolute()) {
        out.add(opt);
        out.add(value);
      }
    }
  }

  /** Everything noted while reading, sorted by file and line. */
  public List<Note> notes() {
    List<Note> out = new ArrayList<>();
    for (KbuildReader.Result r : results.values()) {
      for (KbuildReader.Note n : r.notes()) out.add(new Note(n.file(), n.line(), n.message()));
    }
    out.sort(
        Comparator.comparing(Note::file).thenComparing(Note::line).thenComparing(Note::message));
    return out.stream().distinct().toList();
  }
}
