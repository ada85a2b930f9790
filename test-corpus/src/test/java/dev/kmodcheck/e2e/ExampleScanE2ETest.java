package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.e2e.CorpusMarkers.Marker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command, {@code kmodcheck check test-corpus/examples/ringbuf}, end to end. */
class ExampleScanE2ETest {

  /** GCC's diagnostic line, which editors and CI log matchers parse. */
  static final Pattern GCC_LINE =
      Pattern.compile("^([^:]+):(\\d+):(\\d+): (error|warning): .+ \\[([a-z0-9-]+)\\]$");

  /** Evidence lines, as GCC prints them: no rule id. */
  private static final Pattern GCC_NOTE = Pattern.compile("^([^:]+):(\\d+):(\\d+): note: .+$");

  private static final Path EXAMPLE = Cli.CORPUS.resolve("examples/ringbuf");

  @Test
  void exampleReportsItsPlantedBugsInGccFormatAndExitsOne() {
    Cli.Run r = Cli.check(Cli.CORPUS, List.of(), EXAMPLE).expectCode(1);

    List<Marker> reported = new ArrayList<>();
    for (String line : r.outLines()) {
      if (GCC_NOTE.matcher(line).matches()) continue;
      Matcher m = GCC_LINE.matcher(line);
      assertTrue(m.matches(), () -> "not a gcc-style diagnostic: '" + line + "'");
      reported.add(new Marker(m.group(1), Integer.parseInt(m.group(2)), m.group(5)));
    }
    List<Marker> planted = new ArrayList<>();
    for (CorpusMarkers file : CorpusMarkers.readAll(Cli.CORPUS, EXAMPLE)) {
      planted.addAll(file.expected());
    }
    // The markers are the source of truth for which bugs the example plants, and where.
    // The README shows one bug of each of the six error/warning kinds the example plants.
    assertEquals(6, planted.size(), "expect: markers in the example: " + planted);
    reported.sort(null);
    planted.sort(null);
    assertEquals(planted, reported, "findings of the example scan vs. its expect: comments");
  }

  @Test
  void stderrHoldsExactlyOneSummaryLine() {
    Cli.Run r = Cli.check(Cli.CORPUS, List.of(), EXAMPLE);
    List<String> err = r.errLines();
    assertEquals(1, err.size(), () -> "stderr: " + r.err());
    assertTrue(err.get(0).startsWith("kmodcheck: "), err.get(0));
    // The summary counts what stdout shows.
    long errors = r.outLines().stream().filter(l -> l.contains(": error: ")).count();
    long warnings = r.outLines().stream().filter(l -> l.contains(": warning: ")).count();
    assertTrue(errors > 0 && warnings > 0, r.out());
    String counts = plural(errors, "error") + ", " + plural(warnings, "warning");
    assertTrue(err.get(0).contains(counts), () -> err.get(0) + " should say " + counts);
    assertFalse(r.out().contains("kmodcheck: "), "the summary belongs on stderr only");
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** The README shows the example's output; it must be what the tool prints today. */
  @Test
  void readmeShowsTheActualOutput() throws Exception {
    String readme = Files.readString(Cli.REPO.resolve("README.md"), StandardCharsets.UTF_8);
    int intro = readme.indexOf("The example scan prints:");
    assertTrue(intro >= 0, "README lost its example output");
    int start = readme.indexOf("```\n", intro) + 4;
    int end = readme.indexOf("```", start);
    List<String> shown =
        readme.substring(start, end).lines().filter(l -> !l.startsWith("kmodcheck: ")).toList();
    // The README runs from the repository root, so paths start with test-corpus/.
    Cli.Run r = Cli.check(Cli.REPO, List.of(), EXAMPLE).expectCode(1);
    assertEquals(r.outLines(), shown, "README example output vs. the tool's");
  }
}
