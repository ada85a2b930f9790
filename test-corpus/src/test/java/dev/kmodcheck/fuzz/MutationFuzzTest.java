package dev.kmodcheck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.RuleRegistry;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates the corpus's C files (lines deleted, duplicated, swapped; truncation; random bytes,
 * brackets and preprocessor junk inserted) with a fixed seed and scans the mutants with every rule.
 * A mutant may have parse problems, but no exception may escape the scan, no rule may fail, no file
 * may be skipped, and no file may come near its time budget (a hang).
 */
class MutationFuzzTest {

  private static final long SEED = 0x6b6d6f64L; // "kmod"
  private static final int CASES = 3000;
  private static final int BATCH = 200;

  /** Corpus files take milliseconds; a mutant that takes this long is a hang. */
  private static final long FILE_BUDGET_MILLIS = 20_000;

  private static final Path CORPUS =
      Path.of(System.getProperty("kmodcheck.corpus", ".")).toAbsolutePath().normalize();

  private static final String[] JUNK = {
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    "\\\n",
    "#define X(a, ...) a ## __VA_ARGS__ X(\n",
    "#if\n",
    "#endif\n",
    "#else\n",
    "#include \"",
    "#include __FILE__\n",
    "#define for while\n",
    "#undef kmalloc\n",
    "/*",
    "\"",
    "'",
    "??/",
    "##",
    "#",
    "__attribute__((",
    "sizeof(",
    "->",
    "GFP_KERNEL |",
    "kmalloc(",
    "spin_lock(&l);",
    "1 << 64",
    "0x",
    "1e999",
    "...",
    "\u00e9",
    "\0",
    "\r",
    "struct { struct {",
    "typedef int int;",
    "goto x; x:",
    "case 1:",
    "default:",
  };

  private record Source(Path file, String text, List<Path> headers) {}

  private static List<Source> corpus() throws IOException {
    List<Source> out = new ArrayList<>();
    for (Path root : List.of(CORPUS.resolve("c"), CORPUS.resolve("examples"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".c")).sorted().toList()) {
          List<Path> headers;
          try (Stream<Path> siblings = Files.list(f.getParent())) {
            headers = siblings.filter(p -> p.toString().endsWith(".h")).sorted().toList();
          }
          out.add(new Source(f, Files.readString(f, StandardCharsets.ISO_8859_1), headers));
        }
      }
    }
    return out;
  }

  /** One to three random mutations of {@code text}. */
  static String mutate(String text, Random random) {
    String s = text;
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) s = mutateOnce(s, random);
    return s;
  }

  private static String mutateOnce(String s, Random random) {
    List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
    int n = lines.size();
    switch (random.nextInt(7)) {
      case 0 -> lines.remove(random.nextInt(n));
      case 1 -> {
        int at = random.nextInt(n);
        lines.add(at, lines.get(at));
      }
      case 2 -> {
        int a = random.nextInt(n);
        int b = random.nextInt(n);
        String t = lines.get(a);
        lines.set(a, lines.get(b));
        lines.set(b, t);
      }
      case 3 -> {
        return s.substring(0, random.nextInt(s.length() + 1));
      }
      case 4 -> {
        StringBuilder bytes = new StringBuilder();
        for (int k = 1 + random.nextInt(16); k > 0; k--) bytes.append((char) random.nextInt(256));
        return insertAt(s, bytes.toString(), random);
      }
      case 5 -> {
        return insertAt(s, JUNK[random.nextInt(JUNK.length)], random);
      }
      default -> {
        // A block of lines repeated: more of the same shape, deeper nesting when it opens one.
        int from = random.nextInt(n);
        int to = Math.min(n, from + 1 + random.nextInt(8));
        List<String> block = new ArrayList<>(lines.subList(from, to));
        for (int k = random.nextInt(4); k >= 0; k--) lines.addAll(to, block);
      }
    }
    return String.join("\n", lines);
  }

  private static String insertAt(String s, String piece, Random random) {
    int at = random.nextInt(s.length() + 1);
    return s.substring(0, at) + piece + s.substring(at);
  }

  private static void writeCase(Path dir, Source src, String text) {
    try {
      Files.createDirectories(dir);
      Files.write(
          dir.resolve(src.file().getFileName()), text.getBytes(StandardCharsets.ISO_8859_1));
      for (Path h : src.headers()) Files.copy(h, dir.resolve(h.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void mutantsOfTheCorpusNeverCrashOrHang(@TempDir Path tmp) throws IOException {
    List<Source> sources = corpus();
    assertTrue(sources.size() > 20, "corpus found at " + CORPUS);
    Random random = new Random(SEED);
    Scanner scanner = new Scanner(RuleRegistry.load());
    int parsed = 0;
    int withProblems = 0;
    for (int first = 0; first < CASES; first += BATCH) {
      Path batch = tmp.resolve("batch-" + first);
      for (int i = first; i < Math.min(CASES, first + BATCH); i++) {
        Source src = sources.get(random.nextInt(sources.size()));
        writeCase(batch.resolve("case-" + i), src, mutate(src.text(), random));
      }
      ScanRequest request =
          new ScanRequest(List.of(batch), batch, Target.defaultTarget(), null, 2)
              .withFileTimeoutMillis(FILE_BUDGET_MILLIS);
      ScanResult r =
          assertTimeoutPreemptively(Duration.ofSeconds(120), () -> scanner.scan(request));
      List<Notification> bad =
          r.notifications().stream().filter(n -> !n.kind().equals("parse-problems")).toList();
      assertEquals(List.of(), bad, "batch " + first + " (seed " + SEED + ") in " + batch);
      parsed += r.stats().files();
      withProblems += r.stats().filesWithProblems();
      deleteTree(batch);
    }
    assertEquals(CASES, parsed);
    // The mutations must reach the parser's error paths, or the test proves little.
    assertTrue(withProblems > CASES / 4, withProblems + " of " + CASES + " mutants had problems");
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
