package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Repository text as a whole: kernel-fact citations resolve to sections of docs/kernel-facts.md,
 * every shipped knowledge table is listed in the README, relative Markdown links resolve, and no
 * file names a path of one machine.
 */
class RepositoryTextTest {

  static final Path FACTS_PAGE = Cli.REPO.resolve("docs/kernel-facts.md");
  static final Path TABLES = Cli.REPO.resolve("analyzer/src/main/resources/dev/kmodcheck/kernel");

  private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules");
  private static final Pattern TEXT_FILE =
      Pattern.compile(".*\\.(java|c|h|md|tsv|txt|sh|py|yml|yaml|xml|json|properties)$|kmodcheck$");
  private static final Pattern HEADING =
      Pattern.compile("^#{2,3} (\\d+(?:\\.\\d+)?)\\.? ", Pattern.MULTILINE);
  // "§5.3.3" is item 3 of §5.3: the section is the first two components.
  private static final Pattern CITATION = Pattern.compile("§(\\d+(?:\\.\\d+)?)");

  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```[^\\n]*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern MD_HEADING =
      Pattern.compile("^#{1,6} +(.+?) *#*$", Pattern.MULTILINE);

  static List<Path> textFiles() throws IOException {
    try (Stream<Path> s = Files.walk(Cli.REPO)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !skipped(Cli.REPO.relativize(p)))
          .filter(p -> TEXT_FILE.matcher(p.getFileName().toString()).matches())
          .sorted()
          .toList();
    }
  }

  private static boolean skipped(Path rel) {
    for (Path part : rel) {
      if (SKIPPED_DIRS.contains(part.toString())) return true;
    }
    return false;
  }

  static Set<String> sections() throws IOException {
    Set<String> out = new TreeSet<>();
    Matcher m = HEADING.matcher(Files.readString(FACTS_PAGE));
    while (m.find()) out.add(m.group(1));
    return out;
  }

  @Test
  void everyKernelFactCitationNamesASectionOfTheFactsPage() throws IOException {
    Set<String> sections = sections();
    assertTrue(
        sections.containsAll(List.of("1.2", "2.3", "3.1", "4.3", "4.6", "5.2")),
        sections.toString());
    List<String> unresolved = new ArrayList<>();
    int citations = 0;
    for (Path p : textFiles()) {
      Path rel = Cli.REPO.relativize(p);
      String text = Files.readString(p);
      if (text.contains("shared/" + "kernel-facts")) {
        unresolved.add(rel + ": cites a facts page outside the repository");
      }
      Matcher m = CITATION.matcher(text);
      while (m.find()) {
        citations++;
        if (!sections.contains(m.group(1))) unresolved.add(rel + ": §" + m.group(1));
      }
    }
    assertEquals(List.of(), unresolved);
    assertTrue(
        citations > 400, "found only " + citations + " citations: is the walk missing files?");
  }

  @Test
  void theReadmeListsEveryShippedKnowledgeTable() throws IOException {
    String readme = Files.readString(Cli.REPO.resolve("README.md"));
    List<String> missing = new ArrayList<>();
    try (Stream<Path> s = Files.list(TABLES)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        if ((name.endsWith(".tsv") || name.endsWith(".tsv.gz"))
            && !readme.contains("`" + name + "`")) {
          missing.add(name);
        }
      }
    }
    assertEquals(List.of(), missing);
    assertTrue(readme.contains("(docs/kernel-facts.md)"), "the README links the facts page");
  }

  @Test
  void noFileOutsideTestDataNamesAPathOfOneMachine() throws IOException {
    // Built from parts so that this file does not match itself; test sources are skipped anyway,
    // as their inputs are made-up absolute paths. Temporary files go under $TMPDIR, /tmp only as
    // its fallback.
    List<String> machinePaths = List.of("/" + "work/", "/" + "root/", "/" + "home/", "/" + "tmp/");
    List<String> found = new ArrayList<>();
    for (Path p : textFiles()) {
      Path rel = Cli.REPO.relativize(p);
      if (rel.toString().contains("src/test/")) continue;
      String text = Files.readString(p).replace("${TMPDIR:-/tmp}", "$TMPDIR");
      for (String bad : machinePaths) {
        if (text.contains(bad)) found.add(rel + ": " + bad);
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void everyRelativeMarkdownLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path p : textFiles()) {
      if (!p.getFileName().toString().endsWith(".md")) continue;
      Path rel = Cli.REPO.relativize(p);
      // Code shows link syntax without being a link (an evidence step written as [step](1)).
      String text =
          INLINE_CODE.matcher(FENCE.matcher(Files.readString(p)).replaceAll("")).replaceAll("");
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (SCHEME.matcher(target).find()) continue;
        links++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path dest = file.isEmpty() ? p : p.getParent().resolve(file).normalize();
        if (!dest.startsWith(Cli.REPO) || !Files.exists(dest)) {
          broken.add(rel + ": " + target);
        } else if (hash >= 0
            && dest.toString().endsWith(".md")
            && !anchors(dest).contains(target.substring(hash + 1))) {
          broken.add(rel + ": " + target + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken);
    assertTrue(links > 50, "found only " + links + " relative links: is the walk missing files?");
  }

  /** Anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
  static Set<String> anchors(Path page) throws IOException {
    Set<String> out = new TreeSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = MD_HEADING.matcher(FENCE.matcher(Files.readString(page)).replaceAll(""));
    while (m.find()) {
      String slug =
          m.group(1)
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      out.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return out;
  }
}
