package dev.kmodcheck.summarize;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.Scanner;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code kmodcheck summarize} reads of a kernel tree beside its C code: the directories a
 * module may call into, the version in the Makefile, the names the tree exports and defines, and
 * which files are instrumentation.
 */
public final class KernelTree {

  private KernelTree() {}

  /** Top-level directories that are not kernel code a module links against. */
  private static final Set<String> SKIPPED =
      Set.of("Documentation", "LICENSES", "samples", "scripts", "tools", "usr", "arch");

  /**
   * Debugging and sanitizer instrumentation, and 6.1's alternative slab allocators: compiled out of
   * production kernels (Debian builds SLUB) or running only once a bug was detected (kfence
   * reports, stack-depot saves for KASAN): followed by name, their bodies would make every free and
   * queue_work() "may sleep". Kernel-relative, a trailing '/' for a directory.
   */
  static final List<String> INSTRUMENTATION =
      List.of(
          "mm/kasan/",
          "mm/kmsan/",
          "mm/kfence/",
          "kernel/kcsan/",
          "lib/kunit/",
          "kernel/locking/lockdep.c",
          "kernel/locking/lockdep_proc.c",
          "kernel/kcov.c",
          "lib/stackdepot.c",
          "lib/debugobjects.c",
          "lib/fault-inject.c",
          "lib/ubsan.c",
          "mm/kmemleak.c",
          "mm/page_owner.c",
          "mm/slab.c",
          "mm/slob.c");

  /**
   * The one architecture summarised: the default target's (x86_64; KernelSummaries.DEFAULT_ARCH,
   * spelt out as a constant for the option's description).
   */
  public static final String ARCH = "arch/x86";

  private static final Pattern EXPORT = Pattern.compile("\\bEXPORT_SYMBOL\\w*\\(\\s*(\\w+)");
  private static final Pattern MAKE_VAR =
      Pattern.compile("^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\\s*=\\s*(\\S*)\\s*$");

  /**
   * What the tree's text says about names, read once before the scan: {@code exported}, the first
   * argument of every {@code EXPORT_SYMBOL*(...)} (header-less parsing expands the macro to
   * nothing; a module can call no other function of the kernel but header inlines); {@code
   * defined}, every name that a line starting a definition at column 0 puts before a '(' (an
   * over-approximation of the functions defined somewhere: a name outside it is a macro or
   * assembly, whose effect on locks the engine cannot see).
   */
  public record TreeNames(Set<String> exported, Set<String> defined) {}

  public static TreeNames treeNames(Path root, ScanRequest request)
      throws IOException, BadInputException {
    Set<String> exported = new TreeSet<>();
    Set<String> defined = new HashSet<>();
    for (String rel : Scanner.inputFiles(request)) {
      String text = Files.readString(root.resolve(rel), StandardCharsets.ISO_8859_1);
      definitionNames(text, defined);
      if (!text.contains("EXPORT_SYMBOL")) continue;
      Matcher m = EXPORT.matcher(text);
      while (m.find()) exported.add(m.group(1));
    }
    return new TreeNames(exported, defined);
  }

  /** Names before '(' on lines that start at column 0 with an identifier and end without ';'. */
  static void definitionNames(String text, Set<String> out) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      int end = text.indexOf('\n', i);
      if (end < 0) end = n;
      char c0 = text.charAt(i);
      if (end > i && (Character.isLetter(c0) || c0 == '_')) {
        int last = end - 1;
        while (last > i && Character.isWhitespace(text.charAt(last))) last--;
        if (text.charAt(last) != ';') {
          for (int p = i; p < end; p++) {
            if (text.charAt(p) != '(') continue;
            int q = p;
            while (q > i && text.charAt(q - 1) == ' ') q--;
            int s = q;
            while (s > i
                && (Character.isLetterOrDigit(text.charAt(s - 1)) || text.charAt(s - 1) == '_')) {
              s--;
            }
            if (s < q) out.add(text.substring(s, q));
          }
        }
      }
      i = end + 1;
    }
  }

  /** "6.12.117" from the Makefile's VERSION, PATCHLEVEL, SUBLEVEL and EXTRAVERSION. */
  public static String makefileVersion(Path root) throws IOException {
    Path makefile = root.resolve("Makefile");
    if (!Files.isRegularFile(makefile)) return "unknown";
    Map<String, String> vars = new LinkedHashMap<>();
    try (Stream<String> lines = Files.lines(makefile, StandardCharsets.ISO_8859_1)) {
      lines
          .limit(20)
          .forEach(
              l -> {
                Matcher m = MAKE_VAR.matcher(l);
                if (m.find()) vars.putIfAbsent(m.group(1), m.group(2));
              });
    }
    if (!vars.containsKey("VERSION")) return "unknown";
    return vars.get("VERSION")
        + "."
        + vars.getOrDefault("PATCHLEVEL", "0")
        + "."
        + vars.getOrDefault("SUBLEVEL", "0")
        + vars.getOrDefault("EXTRAVERSION", "");
  }

  /**
   * The tree's code a module may call into: every top-level directory but documentation, tools and
   * other architectures; with {@code headers}, the shared headers too (their inline functions),
   * given as files since a directory scan takes only .c files.
   */
  public static List<Path> inputs(Path root, boolean headers)
      throws IOException, BadInputException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> top = Files.list(root)) {
      top.filter(Files::isDirectory)
          .filter(d -> !d.getFileName().toString().startsWith("."))
          .filter(d -> !SKIPPED.contains(d.getFileName().toString()))
          .filter(d -> !(headers && d.getFileName().toString().equals("include")))
          .filter(KernelTree::hasCFiles)
          .sorted()
          .forEach(out::add);
    }
    if (Files.isDirectory(root.resolve(ARCH))) out.add(root.resolve(ARCH));
    if (headers) {
      for (String dir : List.of("include", ARCH + "/include")) {
        Path d = root.resolve(dir);
        if (!Files.isDirectory(d)) continue;
        try (Stream<Path> walk = Files.walk(d)) {
          walk.filter(p -> p.toString().endsWith(".h") && Files.isRegularFile(p))
              .sorted()
              .forEach(out::add);
        }
      }
    }
    if (out.isEmpty()) throw new BadInputException(root + ": no source directories");
    return out;
  }

  /**
   * A top-level directory without C sources (a tool's scratch directory left in the tree) has
   * nothing to summarise; as an input it would stop the scan ("no .c files").
   */
  private static boolean hasCFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(p -> p.toString().endsWith(".c") && Files.isRegularFile(p));
    } catch (IOException | UncheckedIOException e) {
      // Unreadable: keep it, so that the scan names the problem.
      return true;
    }
  }

  public static boolean instrumentation(Path root, Path file) {
    if (!file.startsWith(root)) return false;
    String rel = root.relativize(file).toString().replace(File.separatorChar, '/');
    for (String p : INSTRUMENTATION) {
      if (p.endsWith("/") ? rel.startsWith(p) : rel.equals(p)) return true;
    }
    return false;
  }
}
