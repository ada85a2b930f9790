package dev.kmodcheck.engine;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.engine.SuppressionComments.Comment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies inline suppression comments to a scan's findings. A comment suppresses only with a reason
 * and known rule ids; one without is itself reported ({@value #INVALID}), and so is every rule id
 * of a comment that suppressed nothing ({@value #UNUSED}), as ESLint's unused disable directives
 * and Ruff's RUF100 do, so stale comments do not pile up.
 */
public final class Suppressions {

  /** Text every suppression comment contains; a file without it has none. */
  public static final String MARKER_TEXT = SuppressionComments.MARKER_TEXT;

  public static final String UNUSED = "unused-suppression";
  public static final String INVALID = "invalid-suppression";

  private Suppressions() {}

  /**
   * @param kept findings that stay, with the meta findings about the comments themselves
   * @param suppressed findings a comment covers, with its reason
   */
  public record Outcome(List<Finding> kept, List<Suppressed> suppressed) {}

  /**
   * @param files relative paths of every scanned file (findings' files are read too)
   * @param knownRules rule ids a comment may name
   * @param quietRules rule ids that did not run (disabled): a comment naming them is not unused
   * @param commentFree files known not to contain {@link #MARKER_TEXT} (not read again)
   */
  public static Outcome apply(
      List<Finding> findings,
      Collection<String> files,
      Path sourceRoot,
      Collection<String> knownRules,
      Collection<String> quietRules,
      Set<String> commentFree) {
    // The files that may hold a comment, in path order; the difference is taken by hash (a
    // whole-tree re-scan has tens of thousands of names and nearly all are comment-free).
    Set<String> candidates = new HashSet<>(files);
    for (Finding f : findings) {
      if (f.range() != null && !f.range().file().isEmpty()) candidates.add(f.range().file());
    }
    candidates.removeAll(commentFree);
    Set<String> all = new TreeSet<>(candidates);
    List<Comment> comments = new ArrayList<>();
    // Reading every file of a whole-tree scan again is most of a cached re-scan: in parallel.
    List<List<Comment>> perFile =
        all.parallelStream()
            .map(file -> SuppressionComments.parse(file, read(sourceRoot, file)))
            .toList();
    perFile.forEach(comments::addAll);

    List<Finding> kept = new ArrayList<>();
    List<Finding> meta = new ArrayList<>();
    List<Comment> valid = new ArrayList<>();
    for (Comment c : comments) {
      String problem = problem(c, knownRules);
      if (problem == null) {
        valid.add(c);
      } else {
        meta.add(new Finding(INVALID, Severity.WARNING, problem, c.at(), null, List.of()));
      }
    }
    Map<Comment, Set<String>> used = new IdentityHashMap<>();
    List<Suppressed> suppressed = new ArrayList<>();
    for (Finding f : findings) {
      Comment by = null;
      for (Comment c : valid) {
        if (c.ruleIds().contains(f.ruleId())
            && f.range() != null
            && c.covers(f.range().file(), f.range().line(), f.function())) {
          by = c;
          break;
        }
      }
      if (by == null) {
        kept.add(f);
      } else {
        used.computeIfAbsent(by, k -> new TreeSet<>()).add(f.ruleId());
        suppressed.add(new Suppressed(f, Suppressed.Kind.IN_SOURCE, by.reason()));
      }
    }
    for (Comment c : valid) {
      for (String id : c.ruleIds()) {
        if (quietRules.contains(id) || used.getOrDefault(c, Set.of()).contains(id)) continue;
        String what =
            c.functionLevel() ? "in function " + c.function() : "on this or the next line";
        meta.add(
            new Finding(
                UNUSED,
                Severity.WARNING,
                "unused suppression: no " + id + " finding " + what + "; remove " + id + " from it",
                c.at(),
                null,
                List.of()));
      }
    }
    kept.addAll(meta);
    kept.sort(Finding.ORDER);
    return new Outcome(List.copyOf(kept), List.copyOf(suppressed));
  }

  private static String problem(Comment c, Collection<String> knownRules) {
    String form = c.functionLevel() ? "kmodcheck-ignore-function" : "kmodcheck-ignore";
    if (!c.wellFormed() || c.ruleIds().isEmpty()) {
      return "suppression comment without rule ids: write " + form + "[rule-id]: reason";
    }
    for (String id : c.ruleIds()) {
      if (!knownRules.contains(id)) {
        return "suppression names an unknown rule '" + id + "' (kmodcheck rules lists them)";
      }
    }
    if (c.reason().isEmpty()) {
      return "suppression without a reason does not suppress: write "
          + form
          + "["
          + String.join(", ", c.ruleIds())
          + "]: why the finding does not apply";
    }
    if (c.functionLevel() && c.function().isEmpty()) {
      return "kmodcheck-ignore-function must be right above a function definition";
    }
    return null;
  }

  /** Descriptors of the two meta rules, for SARIF rules[], {@code rules} and {@code explain}. */
  public static List<RuleDescriptor> descriptors() {
    return List.of(
        descriptor(
            INVALID,
            "InvalidSuppression",
            "A kmodcheck-ignore comment without a reason or with an unknown rule id: it does not"
                + " suppress anything."),
        descriptor(
            UNUSED,
            "UnusedSuppression",
            "A kmodcheck-ignore comment that suppresses no finding: remove it or the rule id."));
  }

  private static RuleDescriptor descriptor(String id, String name, String summary) {
    return new RuleDescriptor(
        id, name, Severity.WARNING, summary, List.of("maintainability"), "very-high", help(id));
  }

  private static String help(String id) {
    ClassLoader loader = Suppressions.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(RuleDescriptor.DOCS_PREFIX + id + ".md")) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private static final byte[] MARKER =
      SuppressionComments.MARKER_TEXT.getBytes(StandardCharsets.US_ASCII);

  private static boolean containsMarker(byte[] bytes) {
    byte first = MARKER[0];
    outer:
    for (int i = 0, last = bytes.length - MARKER.length; i <= last; i++) {
      if (bytes[i] != first) continue;
      for (int k = 1; k < MARKER.length; k++) {
        if (bytes[i + k] != MARKER[k]) continue outer;
      }
      return true;
    }
    return false;
  }

  private static List<String> read(Path root, String relPath) {
    if (root == null) return List.of();
    try {
      byte[] bytes = Files.readAllBytes(root.resolve(relPath));
      // Almost no file has a comment: look for the marker's bytes before decoding anything.
      if (!containsMarker(bytes)) return List.of();
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
