package dev.kmodcheck.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.check.RuleRegistry;
import dev.kmodcheck.engine.Notification;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.facts.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * End-to-end test over test-corpus/c: every C file is scanned on its own and its findings must be
 * exactly the ones its {@code // expect:} comments name (see {@link Expectations}).
 */
class CorpusTest {

  private static final Path CORPUS =
      Path.of(System.getProperty("kmodcheck.corpus", ".")).toAbsolutePath().normalize();
  private static final Path C_DIR = CORPUS.resolve("c");
  /** The README's example module is held to its expect: comments too. */
  private static final Path EXAMPLES_DIR = CORPUS.resolve("examples");

  @TestFactory
  Stream<DynamicTest> everyCorpusFileGetsExactlyItsExpectedFindings() throws IOException {
    List<Path> files = corpusFiles();
    assertFalse(files.isEmpty(), "no C files under " + C_DIR);
    List<Rule> rules = RuleRegistry.load();
    return files.stream().map(f -> DynamicTest.dynamicTest(relative(f), () -> check(f, rules)));
  }

  private static void check(Path file, List<Rule> rules) throws Exception {
    String rel = relative(file);
    Expectations exp = Expectations.parse(rel, lines(file));
    Target target =
        Target.named(exp.target())
            .orElseThrow(() -> new AssertionError(rel + ": unknown target " + exp.target()))
            .withOverrides(exp.pageSize(), exp.maxOrder());
    ScanResult result =
        new Scanner(rules).scan(new ScanRequest(List.of(file), CORPUS, target, null, 1));
    List<String> problems = new ArrayList<>();
    // A parse problem can hide calls, which would make a *_ok case pass for the wrong reason.
    for (Notification n : result.notifications()) {
      if (n.level().equals("error") || n.kind().equals("parse-problems")) {
        problems.add("? " + n.location().shortText() + " " + n.kind() + ": " + n.message());
      }
    }
    problems.addAll(CorpusDiff.compare(rel, exp, result.findings()));
    if (!problems.isEmpty()) {
      fail(rel + " (target " + target.name() + "): findings differ from the expect: comments\n"
          + String.join("\n", problems));
    }
  }

  /**
   * A rule without documentation, or without both a reported and a clean case in the corpus, is
   * not done.
   */
  @Test
  void everyRuleHasDocsMetadataAndBadAndOkCorpusCases() throws IOException {
    Map<String, List<Expectations>> exercising = new TreeMap<>();
    for (Path f : corpusFiles()) {
      Expectations exp = Expectations.parse(relative(f), lines(f));
      exp.expected().keySet().forEach(
          k -> exercising.computeIfAbsent(k.ruleId(), id -> new ArrayList<>()).add(exp));
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
