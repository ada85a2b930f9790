package dev.kmodcheck.frontend;

import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.ParseProblem;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures header-less parse quality over a source tree (not a unit test: it reads thousands of
 * files). Prints files, lines, functions, problems, files with problems, seconds, and the most
 * frequent first tokens of problem ranges, which point at macros the shim still lacks. The "unique"
 * line counts a module header's functions and problems once, as the scan statistics do; the token
 * table counts each distinct problem once.
 *
 * <p>Usage: {@code ParseMeasure <dir> [threads] [--bare] [--no-plan] [--top N]}; {@code --bare}
 * parses without the shim and predefined macros (the baseline); {@code --no-plan} parses every
 * module header in full with each including file (no {@link Frontend#planModuleHeaders}).
 */
public final class ParseMeasure {

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int threads = 1;
    boolean bare = false;
    boolean plan = true;
    int top = 40;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--bare" -> bare = true;
        case "--no-plan" -> plan = false;
        case "--top" -> top = Integer.parseInt(args[++i]);
        default -> threads = Integer.parseInt(args[i]);
      }
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(p -> p.toString().endsWith(".c") && Files.isRegularFile(p)).sorted().toList();
    }
    Frontend fe = new Frontend(Target.defaultTarget(), !bare);
    long planStart = System.nanoTime();
    int owned = 0;
    if (plan) {
      List<SourceInput> inputs = new ArrayList<>();
      for (Path f : files) {
        inputs.add(new SourceInput(f, root.relativize(f).toString(), null));
      }
      owned = fe.planModuleHeaders(inputs);
    }
    System.out.printf(
        "plan: %d module headers owned, %.1f s%n", owned, (System.nanoTime() - planStart) / 1e9);
    AtomicLong lines = new AtomicLong();
    AtomicLong functions = new AtomicLong();
    AtomicLong problems = new AtomicLong();
    AtomicLong filesWithProblems = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    Map<String, Long> tokens = new ConcurrentHashMap<>();
    Map<String, String> examples = new ConcurrentHashMap<>();
    Set<SrcRange> functionKeys = ConcurrentHashMap.newKeySet();
    Set<SrcRange> problemKeys = ConcurrentHashMap.newKeySet();
    Map<String, List<String>> sources = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (Path f : files) {
      futures.add(
          pool.submit(
              () -> {
                String rel = root.relativize(f).toString();
                try {
                  TranslationUnit tu = fe.parse(new SourceInput(f, rel, null));
                  lines.addAndGet(tu.lines());
                  functions.addAndGet(tu.functions().size());
                  for (FunctionDef fn : tu.functions()) {
                    functionKeys.add(fn.nameRange());
                  }
                  if (!tu.problems().isEmpty()) {
                    filesWithProblems.incrementAndGet();
                    problems.addAndGet(tu.problems().size());
                    for (ParseProblem p : tu.problems()) {
                      // A module header's problem shows up once per including file: count once.
                      if (!problemKeys.add(p.range())) {
                        continue;
                      }
                      List<String> src =
                          sources.computeIfAbsent(p.range().file(), k -> lines(root.resolve(k)));
                      String tok = firstToken(src, p);
                      tokens.merge(tok, 1L, Long::sum);
                      examples.putIfAbsent(tok, p.range().file() + ":" + p.range().line());
                    }
                  }
                } catch (IOException e) {
                  failures.incrementAndGet();
                  System.err.println("FAIL " + rel + ": " + e.getMessage());
                }
                return null;
              }));
    }
    for (Future<?> fu : futures) {
      fu.get();
    }
    pool.shutdown();
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "mode=%s files=%d lines=%d functions=%d problems=%d filesWithProblems=%d failures=%d"
            + " threads=%d seconds=%.1f%n",
        bare ? "bare" : "shim",
        files.size(),
        lines.get(),
        functions.get(),
        problems.get(),
        filesWithProblems.get(),
        failures.get(),
        threads,
        secs);
    System.out.printf(
        "cpu: cdt=%.1f s translate=%.1f s%n",
        PhaseTimes.CDT_NANOS.sum() / 1e9, PhaseTimes.TRANSLATE_NANOS.sum() / 1e9);
    // As the scan statistics count them: module-header functions and problems once.
    System.out.printf(
        "unique: functions=%d problems=%d filesWithProblems=%d%n",
        functionKeys.size(),
        problemKeys.size(),
        problemKeys.stream().map(SrcRange::file).distinct().count());
    Map<String, Long> sorted = new TreeMap<>(tokens);
    sorted.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(top)
        .forEach(
            e ->
                System.out.printf(
                    "%7d  %-40s %s%n", e.getValue(), e.getKey(), examples.get(e.getKey())));
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return List.of();
    }
  }

  private static final Set<String> KEYWORDS =
      Set.of(
          "static",
          "const",
          "struct",
          "union",
          "enum",
          "if",
          "else",
          "for",
          "while",
          "do",
          "return",
          "int",
          "unsigned",
          "long",
          "char",
          "void",
          "switch",
          "case",
          "inline",
          "extern",
          "volatile",
          "sizeof",
          "goto",
          "break",
          "continue",
          "short",
          "signed");

  /**
   * The first non-keyword identifier at or after the start of the problem's range (within the
   * line), else the first characters: the likeliest culprit macro.
   */
  private static String firstToken(List<String> src, ParseProblem p) {
    int line = p.range().line() - 1;
    if (line < 0 || line >= src.size()) {
      return "?";
    }
    String l = src.get(line);
    int c = Math.max(0, Math.min(l.length(), p.range().column() - 1));
    int i = c;
    while (i < l.length()) {
      char ch = l.charAt(i);
      if (Character.isJavaIdentifierStart(ch)) {
        int e = i;
        while (e < l.length() && Character.isJavaIdentifierPart(l.charAt(e))) {
          e++;
        }
        String word = l.substring(i, e);
        if (!KEYWORDS.contains(word)) {
          return word;
        }
        i = e;
      } else if (ch == '"' || ch == '/') {
        break;
      } else {
        i++;
      }
    }
    return l.substring(c, Math.min(l.length(), c + 12)).trim();
  }
}
