package dev.kmodcheck.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.check.RuleRegistry;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.frontend.ParseSetup;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.KernelVersion;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * End-to-end test over test-corpus/c: every C file is scanned on its own and its findings must be
 * exactly the ones its {@code // expect:} comments name (see {@link Expectations}). A directory
 * named {@code <name>.mod} is one module: all its .c files are scanned together as one program
 * (cross-file call chains, ops structures initialised in another file), and the findings in each of
 * its files (.c and module headers) must match that file's comments.
 *
 * <p>Cases are scanned with the newest shipped kernel summaries unless the file's header says
 * {@code // kmodcheck-kernel-summaries: 6.1|6.12|none} (and read for the release of {@code //
 * kmodcheck-kernel-version: X.Y}, default the scan's); a case with {@code // expect-summary:} lines
 * is scanned again without summaries, where those lines must have no finding (see {@link
 * Expectations}).
 */
class CorpusTest {

  private static final Path CORPUS =
      Path.of(System.getProperty("kmodcheck.corpus", ".")).toAbsolutePath().normalize();
  private static final Path C_DIR = CORPUS.resolve("c");

  /** The README's example module is held to its expect: comments too. */
  private static final Path EXAMPLES_DIR = CORPUS.resolve("examples");

  /** Suffix of a directory whose .c files form one program. */
  static final String MODULE_SUFFIX = ".mod";

  @TestFactory
  Stream<DynamicTest> everyCorpusFileGetsExactlyItsExpectedFindings() throws IOException {
    List<Path> cases = corpusCases();
    assertFalse(cases.isEmpty(), "no C files under " + C_DIR);
    List<Rule> rules = RuleRegistry.load();
    return cases.stream().map(c -> DynamicTest.dynamicTest(relative(c), () -> check(c, rules)));
  }

  /**
   * Scans one case (a C file, or a {@code .mod} directory as one program) and compares the findings
   * in each of its files with that file's comments.
   */
  private static void check(Path scanned, List<Rule> rules) throws Exception {
    String rel = relative(scanned);
    List<Path> files = Files.isDirectory(scanned) ? moduleFiles(scanned) : List.of(scanned);
    assertFalse(files.isEmpty(), rel + ": no .c files in the module directory");
    Map<String, Expectations> byFile = new TreeMap<>();
    for (Path f : files) byFile.put(relative(f), Expectations.parse(relative(f), lines(f)));
    Expectations exp = byFile.values().iterator().next();
    for (Map.Entry<String, Expectations> e : byFile.entrySet()) {
      Expectations other = e.getValue();
      boolean same =
          other.target().equals(exp.target())
              && Objects.equals(other.pageSize(), exp.pageSize())
              && Objects.equals(other.maxOrder(), exp.maxOrder())
              && Objects.equals(other.kernelSummaries(), exp.kernelSummaries())
              && Objects.equals(other.kernelVersion(), exp.kernelVersion());
      if (!same) fail(e.getKey() + ": a module's files must select the same target settings");
    }
    Target target =
        Target.named(exp.target())
            .orElseThrow(() -> new AssertionError(rel + ": unknown target " + exp.target()))
            .withOverrides(exp.pageSize(), exp.maxOrder());
    ParseSetup setup =
        new ParseSetup(
            exp.kernelVersion() == null
                ? null
                : KernelVersion.parse(exp.kernelVersion())
                    .orElseThrow(() -> new AssertionError(rel + ": bad kernel version")));
    List<String> problems = compare(scanned, rules, target, setup, exp.kernelSummaries(), byFile);
    if (byFile.values().stream().anyMatch(e -> !e.summaryExpected().isEmpty())) {
      Map<String, Expectations> without = new TreeMap<>();
      byFile.forEach((f, e) -> without.put(f, e.withoutSummaries()));
      for (String p : compare(scanned, rules, target, setup, "none", without)) {
        problems.add(p + " [without kernel summaries]");
      }
    }
    if (!problems.isEmpty()) {
      fail(
          rel
              + " (target "
              + target.name()
              + "): findings differ from the expect: comments\n"
              + String.join("\n", problems));
    }
  }

  /** Scans one case with the given kernel summaries (null: the default); the differences. */
  private static List<String> compare(
      Path scanned,
      List<Rule> rules,
      Target target,
      ParseSetup setup,
      String summaries,
      Map<String, Expectations> byFile)
      throws Exception {
    KernelKnowledge knowledge = KernelKnowledge.builtin();
    if (summaries != null) {
      knowledge = knowledge.withKernelSummaries(KernelSummaries.choose(summaries));
    }
    ScanResult result =
        new Scanner(rules)
            .scan(
                new ScanRequest(
                        List.of(scanned),
                        CORPUS,
                        target,
                        null,
                        1,
                        ScanRequest.ProgramScope.AUTO,
                        knowledge,
                        null)
                    .withParseSetup(setup));
    List<String> problems = new ArrayList<>();
    // A parse problem can hide calls, which would make a *_ok case pass for the wrong reason.
    for (Notification n : result.notifications()) {
      if (n.level().equals("error") || n.kind().equals("parse-problems")) {
        problems.add("? " + n.location().shortText() + " " + n.kind() + ": " + n.message());
      }
    }
    for (Map.Entry<String, Expectations> e : byFile.entrySet()) {
      problems.addAll(CorpusDiff.compare(e.getKey(), e.getValue(), result.findings()));
    }
    return problems;
  }

  /**
   * A rule without documentation, or without both a reported and a clean case in the corpus, is not
   * done.
   */
  @Test
  void everyRuleHasDocsMetadataAndBadAndOkCorpusCases() throws IOException {
    Map<String, List<Expectations>> exercising = new TreeMap<>();
    for (Path f : corpusFiles()) {
      Expectations exp = Expectations.parse(relative(f), lines(f));
      exp.expected()
          .keySet()
          .forEach(k -> exercising.computeIfAbsent(k.ruleId(), id -> new ArrayList<>()).add(exp));
    }
    List<Rule> rules = RuleRegistry.load();
    assertFalse(rules.isEmpty(), "RuleRegistry.load() found no rules");
    List<String> gaps = new ArrayList<>();
    for (Rule rule : rules) {
      RuleDescriptor d = RuleDescriptor.of(rule);
      String id = d.id();
      if (d.helpMarkdown() == null) gaps.add(id + ": no docs/rules/" + id + ".md");
      else if (!d.helpMarkdown().startsWith("# " + id + "\n")) {
        gaps.add(id + ": docs/rules/" + id + ".md must start with '# " + id + "'");
      }
      if (d.summary().isBlank()) gaps.add(id + ": empty summary");
      if (d.tags().size() > 10) gaps.add(id + ": more than 10 tags");
      List<Expectations> files = exercising.getOrDefault(id, List.of());
      if (files.isEmpty()) gaps.add(id + ": no '// expect: " + id + "' in " + C_DIR);
      else if (files.stream().allMatch(e -> e.okFunctions().isEmpty())) {
        gaps.add(id + ": no *_ok function in a corpus file that expects it");
      }
    }
    assertTrue(gaps.isEmpty(), String.join("\n", gaps));
  }

  /** An expect: naming a rule that does not exist could never be satisfied; say so directly. */
  @Test
  void expectationsNameExistingRules() throws IOException {
    List<String> ids = RuleRegistry.load().stream().map(r -> r.info().id()).toList();
    List<String> unknown = new ArrayList<>();
    for (Path f : corpusFiles()) {
      Expectations exp = Expectations.parse(relative(f), lines(f));
      Stream.concat(exp.expected().keySet().stream(), exp.limitations().stream())
          .filter(k -> !ids.contains(k.ruleId()))
          .forEach(k -> unknown.add(relative(f) + ":" + k.line() + " " + k.ruleId()));
    }
    assertEquals(List.of(), unknown, "unknown rule ids in the corpus");
  }

  @Test
  void corpusDirectoryIsTheModuleDirectory() {
    assertNotNull(System.getProperty("kmodcheck.corpus"), "the pom sets kmodcheck.corpus");
    assertTrue(Files.isDirectory(C_DIR), C_DIR + " is missing");
  }

  /**
   * What the corpus test scans, sorted: every C file outside module directories, and every {@code
   * .mod} directory (scanned as one program).
   */
  static List<Path> corpusCases() throws IOException {
    List<Path> cases = new ArrayList<>();
    for (Path f : corpusFiles()) {
      Path module = enclosingModule(C_DIR, f);
      Path scanned = module != null ? module : f;
      if (!cases.contains(scanned)) cases.add(scanned);
    }
    cases.sort(null);
    return cases;
  }

  /** The .c files of a module directory and the headers next to them, sorted. */
  static List<Path> moduleFiles(Path module) throws IOException {
    try (Stream<Path> walk = Files.walk(module)) {
      return walk.filter(p -> Files.isRegularFile(p))
          .filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".h"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** The outermost {@code .mod} directory under {@code root} containing {@code file}, or null. */
  static Path enclosingModule(Path root, Path file) {
    Path found = null;
    for (Path d = file.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
      if (d.getFileName().toString().endsWith(MODULE_SUFFIX)) found = d;
    }
    return found;
  }

  static List<Path> corpusFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : List.of(C_DIR, EXAMPLES_DIR)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.toString().endsWith(".c") && Files.isRegularFile(p)).forEach(files::add);
      }
    }
    files.sort(null);
    return files;
  }

  private static String relative(Path file) {
    return CORPUS.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }
}
