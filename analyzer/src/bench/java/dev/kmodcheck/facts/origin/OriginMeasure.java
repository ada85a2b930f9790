package dev.kmodcheck.facts.origin;

import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.DmaSinks;
import dev.kmodcheck.kernel.KernelApis;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Measures {@link PointerOrigins#compute} over a source tree (not a unit test): parses the .c files
 * of each directory header-less as one program (as the scanner does for big trees), and prints the
 * parse time, the time of the origin fact and the number of DMA uses found.
 *
 * <p>Usage: {@code OriginMeasure <dir>}.
 */
public final class OriginMeasure {

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Map<Path, List<Path>> byDir = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> p.toString().endsWith(".c") && Files.isRegularFile(p))
          .sorted()
          .forEach(p -> byDir.computeIfAbsent(p.getParent(), d -> new ArrayList<>()).add(p));
    }
    Target target = Target.defaultTarget();
    Frontend fe = new Frontend(target);
    long parseNanos = 0;
    long originNanos = 0;
    int functions = 0;
    int uses = 0;
    for (List<Path> files : byDir.values()) {
      long t0 = System.nanoTime();
      List<TranslationUnit> units = new ArrayList<>();
      for (Path f : files) {
        try {
          units.add(fe.parse(new SourceInput(f, root.relativize(f).toString(), null)));
        } catch (Exception e) {
          System.err.println("parse failed: " + f + ": " + e);
        }
      }
      long t1 = System.nanoTime();
      Program program = new Program(units);
      // One layout per unit, as the engine's program context keeps them.
      Map<TranslationUnit, TypeLayout> layouts = new IdentityHashMap<>();
      PointerOrigins po =
          PointerOrigins.compute(
              program,
              KernelApis.builtin(),
              DmaSinks.builtin(),
              target.pageSize(),
              (unit, fn) ->
                  new ValueEvaluator(
                      target,
                      layouts.computeIfAbsent(unit, u -> TypeLayout.forUnit(target, u)),
                      unit,
                      fn,
                      true));
      long t2 = System.nanoTime();
      parseNanos += t1 - t0;
      originNanos += t2 - t1;
      functions += program.functions().size();
      uses += po.uses().size();
    }
    System.out.printf(
        "%d directories, %d functions: parse %.1f s, pointer origins %.2f s, %d DMA uses%n",
        byDir.size(), functions, parseNanos / 1e9, originNanos / 1e9, uses);
  }
}
