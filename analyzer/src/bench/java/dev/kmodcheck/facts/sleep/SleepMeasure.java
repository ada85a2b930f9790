package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.SleepCategory;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Measures {@link SleepSummaries#compute} over a source tree (not a unit test). Parses every .c
 * file header-less, builds the {@link Program}, computes the summaries and prints the time, the
 * number of functions, and how many functions may sleep per category.
 *
 * <p>Usage: {@code SleepMeasure <dir> [threads]}.
 */
public final class SleepMeasure {

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(p -> p.toString().endsWith(".c") && Files.isRegularFile(p)).sorted().toList();
    }
    Frontend fe = new Frontend(Target.defaultTarget());
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<TranslationUnit>> futures = new ArrayList<>();
    for (Path f : files) {
      String rel = root.relativize(f).toString();
      futures.add(pool.submit(() -> fe.parse(new SourceInput(f, rel, null))));
    }
    List<TranslationUnit> units = new ArrayList<>();
    for (Future<TranslationUnit> f : futures) {
      try {
        units.add(f.get());
      } catch (Exception e) {
        System.err.println("parse failed: " + e.getCause());
      }
    }
    pool.shutdown();
    long t1 = System.nanoTime();
    Program program = new Program(units);
    program.callersOf(program.functions().get(0)); // build the reverse index outside the timing
    long t2 = System.nanoTime();
    SleepSummaries s = SleepSummaries.compute(program);
    long t3 = System.nanoTime();
    int[] perCategory = new int[SleepCategory.values().length];
    int withParam = 0;
    int maxLength = 0;
    String longest = "";
    for (FunctionRef fn : program.functions()) {
      for (SleepChain c : s.chainsOf(fn)) {
        if (!c.unlessInInterrupt()) perCategory[c.category().ordinal()]++;
        if (c.length() > maxLength) {
          maxLength = c.length();
          longest = fn + " -> " + c.api();
        }
      }
      if (!s.gfpParams(fn).isEmpty()) withParam++;
    }
    long t4 = System.nanoTime();
    System.out.printf(
        "files %d, functions %d, parse %.1f s, program %.1f s, summaries %.1f s, queries %.1f s%n",
        files.size(),
        program.functions().size(),
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        (t4 - t3) / 1e9);
    for (SleepCategory c : SleepCategory.values()) {
      System.out.printf("may sleep always, %s: %d functions%n", c, perCategory[c.ordinal()]);
    }
    System.out.printf("sleep depends on a gfp parameter: %d functions%n", withParam);
    System.out.printf("longest shortest chain: %d calls (%s)%n", maxLength, longest);
    Runtime rt = Runtime.getRuntime();
    System.out.printf("heap used %.0f MiB%n", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
  }
}
