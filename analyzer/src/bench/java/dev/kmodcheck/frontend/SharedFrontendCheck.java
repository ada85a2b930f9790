package dev.kmodcheck.frontend;

import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks over a source tree what {@link SharedFrontendTest} checks on one case (not a unit test: it
 * reads thousands of files): every unit parsed by a Frontend that has already parsed the units
 * before it must equal the same unit parsed by a fresh Frontend. Any cache shared between units
 * must keep this at zero differing files; a shared header-declaration cache once made 101 of
 * drivers/crypto's 254 units differ.
 *
 * <p>Usage: {@code SharedFrontendCheck <dir>}; prints each differing file and the part that
 * differs, then the counts.
 */
public final class SharedFrontendCheck {

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(p -> p.toString().endsWith(".c") && Files.isRegularFile(p)).sorted().toList();
    }
    Frontend shared = new Frontend(Target.defaultTarget());
    int differing = 0;
    for (Path f : files) {
      SourceInput in = new SourceInput(f, root.relativize(f).toString(), null);
      TranslationUnit afterOthers = shared.parse(in);
      TranslationUnit alone = new Frontend(Target.defaultTarget()).parse(in);
      if (!afterOthers.equals(alone)) {
        differing++;
        System.out.println("DIFF " + in.relPath() + " " + part(afterOthers, alone));
      }
    }
    System.out.println("files=" + files.size() + " differing=" + differing);
  }

  private static String part(TranslationUnit a, TranslationUnit b) {
    if (!a.structs().equals(b.structs())) return "structs";
    if (!a.globals().equals(b.globals())) return "globals";
    if (!a.declarations().equals(b.declarations())) return "declarations";
    if (!a.functions().equals(b.functions())) return "functions";
    return "problems";
  }
}
