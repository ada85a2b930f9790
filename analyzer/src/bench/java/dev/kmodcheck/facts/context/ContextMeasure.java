package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures the context analysis on real files (not a test): parses each argument, then times lock
 * effects and the analysis of every function. Usage: ContextMeasure file.c [more.c ...] (paths
 * relative to the current directory).
 */
public final class ContextMeasure {
  private ContextMeasure() {}

  public static void main(String[] args) throws Exception {
    Frontend fe = new Frontend(Target.defaultTarget());
    List<TranslationUnit> units = new ArrayList<>();
    long t0 = System.nanoTime();
    for (String a : args) {
      Path p = Path.of(a);
      units.add(fe.parse(new SourceInput(p, p.getFileName().toString(), null)));
    }
    long t1 = System.nanoTime();
    // CPU time of this thread: wall time is meaningless on a shared, loaded machine.
    var mx = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 5; round++) {
      long s0 = mx.getCurrentThreadCpuTime();
      Program program = new Program(units);
      Map<FunctionRef, LockEffect> effects = ContextAnalysis.lockEffects(program);
      long s1 = mx.getCurrentThreadCpuTime();
      int fns = 0;
      int atomicCalls = 0;
      int wrappers = 0;
      for (FunctionRef fn : program.functions()) {
        FunctionContext ctx = ContextAnalysis.analyze(program, fn, List.of(), effects);
        fns++;
        if (!effects.get(fn).isNone()) wrappers++;
        for (var site : program.callSites(fn)) {
          if (!ctx.atomicStatesAt(site.call()).isEmpty()) atomicCalls++;
        }
      }
      long s2 = mx.getCurrentThreadCpuTime();
      System.out.printf(
          "round %d: %d functions, %d with lock effects, %d calls in atomic context;"
              + " CPU: effects %.1f ms, analysis %.1f ms (%.3f ms/function)%n",
          round,
          fns,
          wrappers,
          atomicCalls,
          (s1 - s0) / 1e6,
          (s2 - s1) / 1e6,
          (s2 - s1) / 1e6 / Math.max(1, fns));
    }
    System.out.printf("parse %.1f ms%n", (t1 - t0) / 1e6);
  }
}
