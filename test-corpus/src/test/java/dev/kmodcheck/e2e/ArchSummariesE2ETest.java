package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Summaries that answer for the right architecture, through the real command line: {@code
 * summarize} of the analyzer's small test tree (archtree/: x86's map_io() allocates, UML's in lib/
 * takes a mutex and is built only with a config only arch/um selects, ia64's waits), then scans of
 * a driver and of two other architectures' code.
 */
class ArchSummariesE2ETest {

  private static final Path TREE =
      Cli.REPO.resolve("analyzer/src/test/resources/dev/kmodcheck/summarize/archtree");

  @TempDir Path tmp;

  /** "file:line rule" of every finding, and each finding's trace, of a JSON scan. */
  private List<String> scan(Path summaries, String... dirs) {
    List<String> options =
        List.of(
            "-f",
            "json",
            "--fail-on",
            "none",
            "-j",
            "1",
            "--kernel-summaries",
            summaries.toString());
    Path[] paths = new Path[dirs.length];
    for (int i = 0; i < dirs.length; i++) paths[i] = TREE.resolve(dirs[i]);
    JsonNode findings = Cli.check(TREE, options, paths).expectCode(0).json().path("findings");
    List<String> out = new ArrayList<>();
    for (JsonNode f : findings) {
      StringBuilder sb =
          new StringBuilder(
              f.path("file").asText()
                  + ":"
                  + f.path("line").asInt()
                  + " "
                  + f.path("ruleId").asText());
      for (JsonNode t : f.path("trace")) sb.append("\n  ").append(t.path("message").asText());
      out.add(sb.toString());
    }
    return out;
  }

  private Path summarize() {
    Path out = tmp.resolve("archtree.tsv.gz");
    Cli.run("summarize", TREE.toString(), "--label", "9.0", "-j", "1", "-o", out.toString())
        .expectCode(0);
    return out;
  }

  @Test
  void aDriverGetsTheTargetsChainAndOtherArchitecturesGetNeither() {
    Path summaries = summarize();
    List<String> driver = scan(summaries, "drivers/demo");
    assertEquals(2, driver.size(), String.join("\n", driver));
    // map_io() under the lock is reported through x86's allocation, not UML's mutex.
    assertTrue(
        driver.get(0).startsWith("drivers/demo/demo.c:10 sleeping-alloc-in-atomic"), driver.get(0));
    assertTrue(
        driver.get(0).contains("kernel 9.0 summary: map_io at arch/x86/mm/map.c:16"),
        driver.get(0));
    assertTrue(!String.join("\n", driver).contains("indirect_map.c"), driver.get(0));
    assertTrue(
        driver.get(1).startsWith("drivers/demo/demo.c:17 sleeping-alloc-in-atomic"), driver.get(1));

    // Scanned together, mips's caller is linked neither with ia64's map_io() in the scan nor
    // with x86's in the summaries; the generic region_table() chain still counts, and ia64's
    // caller reaches ia64's own map_io().
    List<String> arches = scan(summaries, "arch/ia64", "arch/mips");
    List<String> heads = arches.stream().map(s -> s.lines().findFirst().orElseThrow()).toList();
    assertEquals(
        List.of(
            "arch/ia64/kernel/irq.c:10 sleep-in-atomic",
            "arch/mips/kernel/setup.c:21 sleeping-alloc-in-atomic"),
        heads,
        String.join("\n", arches));
    assertTrue(arches.get(0).contains("mutex_lock(&map_mutex) may sleep"), arches.get(0));
  }
}
