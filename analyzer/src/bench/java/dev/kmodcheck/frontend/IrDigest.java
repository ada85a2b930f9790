package dev.kmodcheck.frontend;

import dev.kmodcheck.ir.CompactOut;
import dev.kmodcheck.ir.IrCodec;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Digests of every translation unit of a source tree, parsed as a header-less scan parses them
 * (shim, module-header plan), for checking that a frontend change leaves the IR unchanged (not a
 * unit test: it reads thousands of files). One line per .c file: its path, then a digest of each
 * part of its unit (functions, globals, structs, declarations, problems, line count), so that
 * {@code diff} of two runs names the files and parts that differ. Also prints the CPU seconds of
 * CDT and of the translation.
 *
 * <p>Usage: {@code IrDigest <dir> <out-file> [threads] [rounds]}; {@code -} writes to standard
 * output. With rounds above 1 the whole tree is parsed that many times in one JVM (digests of the
 * last round are written) and each round's CPU seconds are printed: once the JIT is warm, the later
 * rounds compare two frontend versions more steadily than whole scans do.
 */
public final class IrDigest {

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Frontend fe = new Frontend(Target.defaultTarget());
    List<SourceInput> inputs = plannedInputs(root, fe);
    int files = inputs.size();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<String>> lines = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      long cdt = PhaseTimes.CDT_NANOS.sum();
      long translate = PhaseTimes.TRANSLATE_NANOS.sum();
      lines = round(fe, inputs, pool);
      for (Future<String> l : lines) l.get();
      System.err.printf(
          "round=%d files=%d seconds=%.1f cpu: cdt=%.2f s translate=%.2f s%n",
          round,
          files,
          (System.nanoTime() - start) / 1e9,
          (PhaseTimes.CDT_NANOS.sum() - cdt) / 1e9,
          (PhaseTimes.TRANSLATE_NANOS.sum() - translate) / 1e9);
    }
    PrintStream out =
        args[1].equals("-") ? System.out : new PrintStream(Files.newOutputStream(Path.of(args[1])));
    for (Future<String> l : lines) out.println(l.get());
    out.flush();
    pool.shutdown();
  }

  /** The tree's .c files in path order, their module headers planned as a scan plans them. */
  static List<SourceInput> plannedInputs(Path root, Frontend fe) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(p -> p.toString().endsWith(".c") && Files.isRegularFile(p)).sorted().toList();
    }
    List<SourceInput> inputs = new ArrayList<>();
    for (Path f : files) inputs.add(new SourceInput(f, root.relativize(f).toString(), null));
    fe.planModuleHeaders(inputs);
    return inputs;
  }

  /** One parse of every input on the pool: futures of the lines "path digests", input order. */
  static List<Future<String>> round(Frontend fe, List<SourceInput> inputs, ExecutorService pool) {
    List<Future<String>> lines = new ArrayList<>();
    for (SourceInput in : inputs) {
      lines.add(
          pool.submit(
              () -> {
                try {
                  return in.relPath() + " " + digest(fe.parse(in));
                } catch (Exception | StackOverflowError e) {
                  return in.relPath() + " FAILED " + e.getClass().getSimpleName();
                }
              }));
    }
    return lines;
  }

  static String digest(TranslationUnit u) throws Exception {
    String f = u.file();
    List<TranslationUnit> parts =
        List.of(
            new TranslationUnit(
                f, 0, u.functions(), List.of(), List.of(), List.of(), List.of(), List.of()),
            new TranslationUnit(
                f, 0, List.of(), u.globals(), List.of(), List.of(), List.of(), List.of()),
            new TranslationUnit(
                f, 0, List.of(), List.of(), u.structs(), List.of(), List.of(), List.of()),
            new TranslationUnit(
                f, 0, List.of(), List.of(), List.of(), u.declarations(), List.of(), List.of()),
            new TranslationUnit(
                f, 0, List.of(), List.of(), List.of(), List.of(), u.problems(), List.of()));
    StringBuilder sb = new StringBuilder();
    String[] names = {"fn", "gl", "st", "de", "pr"};
    for (int i = 0; i < parts.size(); i++) {
      CompactOut o = new CompactOut();
      IrCodec.encode(parts.get(i), o);
      byte[] h = MessageDigest.getInstance("SHA-256").digest(o.toByteArray());
      sb.append(names[i]).append('=').append(HexFormat.of().formatHex(h, 0, 6)).append(' ');
    }
    return sb.append("lines=").append(u.lines()).toString();
  }
}
