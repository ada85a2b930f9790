package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --kernel-summaries} through the real command line: a chain that leaves the module through
 * a kernel summary names the kernel function, version and kernel-relative position in every
 * format's evidence (text notes, JSON trace, SARIF codeFlows); without summaries the finding is
 * absent.
 */
class KernelSummariesE2ETest {

  private static final Path FILE = Cli.CORPUS.resolve("c/atomic/kernel_summaries.c");

  /** The evidence messages of the findings on the device_register() line, in a JSON report. */
  private static List<String> jsonTrace(List<String> options) {
    List<String> args = new ArrayList<>(List.of("-f", "json", "--fail-on", "none"));
    args.addAll(options);
    JsonNode findings = Cli.check(Cli.CORPUS, args, FILE).expectCode(0).json().path("findings");
    List<String> out = new ArrayList<>();
    for (JsonNode f : findings) {
      for (JsonNode t : f.path("trace")) out.add(t.path("message").asText());
    }
    return out;
  }

  @Test
  void jsonTraceNamesTheKernelFunctionVersionAndPosition() {
    for (String v : List.of("6.1", "6.12")) {
      List<String> trace = jsonTrace(List.of("--kernel-summaries", v));
      assertTrue(
          trace.stream()
              .anyMatch(
                  m ->
                      m.startsWith(
                          "device_register(&d->dev) may sleep (kernel "
                              + v
                              + " summary: device_register at drivers/base/core.c:")),
          v + ": " + trace);
    }
    assertTrue(
        jsonTrace(List.of()).stream().anyMatch(m -> m.contains("(kernel 6.12 summary: ")),
        "the newest shipped summaries are the default");
  }

  @Test
  void withoutSummariesTheFindingsAreAbsent() {
    List<String> trace = jsonTrace(List.of("--kernel-summaries", "none"));
    assertEquals(List.of(), trace.stream().filter(m -> m.contains(" summary: ")).toList());
    JsonNode findings =
        Cli.check(
                Cli.CORPUS,
                List.of("-f", "json", "--fail-on", "none", "--kernel-summaries", "none"),
                FILE)
            .expectCode(0)
            .json()
            .path("findings");
    assertEquals(0, findings.size(), findings.toString());
  }

  @Test
  void sarifCodeFlowsAndTextNotesCarryTheKernelChain() {
    JsonNode results =
        Cli.check(Cli.CORPUS, List.of("-f", "sarif", "--fail-on", "none"), FILE)
            .expectCode(0)
            .json()
            .path("runs")
            .path(0)
            .path("results");
    boolean found = false;
    for (JsonNode r : results) {
      for (JsonNode loc :
          r.path("codeFlows").path(0).path("threadFlows").path(0).path("locations")) {
        String m = loc.path("location").path("message").path("text").asText();
        found |= m.contains("(kernel 6.12 summary: regulator_enable at drivers/regulator/core.c:");
      }
    }
    assertTrue(found, results.toString());
    String text = Cli.check(Cli.CORPUS, List.of("--fail-on", "none"), FILE).expectCode(0).out();
    assertTrue(
        text.contains(": note: device_register(&d->dev) may sleep (kernel 6.12 summary: "), text);
  }

  /** A cache filled with one choice of summaries never answers a scan with another. */
  @Test
  void theCacheKeepsChoicesApart(@TempDir Path tmp) {
    String cache = tmp.resolve("cache").toString();
    List<String> base = List.of("-f", "json", "--fail-on", "none", "--cache", cache);
    List<String> withNone = new ArrayList<>(base);
    withNone.addAll(List.of("--kernel-summaries", "none"));
    for (int round = 0; round < 2; round++) {
      JsonNode on = Cli.check(Cli.CORPUS, base, FILE).expectCode(0).json().path("findings");
      JsonNode off = Cli.check(Cli.CORPUS, withNone, FILE).expectCode(0).json().path("findings");
      assertTrue(on.size() > 0, "round " + round);
      assertEquals(0, off.size(), "round " + round + ": " + off);
    }
  }

  /**
   * A fake kernel tree of {@code version} under {@code tmp}, with the corpus file in a driver
   * directory below it; {@code marker} is the file or directory beside the top Makefile.
   */
  private static Path kernelTree(Path tmp, String version, String marker) throws Exception {
    String[] v = version.split("\\.");
    Path top = tmp.resolve("linux-" + version);
    Path drv = Files.createDirectories(top.resolve("drivers/ksdemo"));
    Files.writeString(
        top.resolve("Makefile"),
        "# SPDX-License-Identifier: GPL-2.0\n"
            + "VERSION = "
            + v[0]
            + "\nPATCHLEVEL = "
            + v[1]
            + "\nSUBLEVEL = 3\nEXTRAVERSION =\n");
    if (marker.equals("Kbuild")) Files.writeString(top.resolve("Kbuild"), "\n");
    else if (marker.equals("scripts")) Files.createDirectories(top.resolve(marker));
    Files.copy(FILE, drv.resolve(FILE.getFileName()));
    return top;
  }

  /** The stderr lines besides the summary line. */
  private static List<String> notes(Cli.Run run) {
    return run.errLines().stream().filter(l -> !l.matches("kmodcheck: \\d+ files?, .*")).toList();
  }

  /** Which summaries' version the device_register() evidence cites, and stderr. */
  private static List<String> citedVersions(Cli.Run run) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : run.json().path("findings")) {
      for (JsonNode t : f.path("trace")) {
        String m = t.path("message").asText();
        int at = m.indexOf("(kernel ");
        if (at >= 0) out.add(m.substring(at + 8, m.indexOf(' ', at + 8)));
      }
    }
    return out.stream().distinct().sorted().toList();
  }

  /** A scan inside a kernel tree uses that tree's summaries, found from the top Makefile. */
  @Test
  void aKernelTreeScanUsesItsOwnVersion(@TempDir Path tmp) throws Exception {
    List<String> json = List.of("-f", "json", "--fail-on", "none");
    Path t61 = kernelTree(tmp, "6.1", "Kbuild");
    // The source root is the tree's top, or a directory below it (found by walking up).
    for (Path root : List.of(t61, t61.resolve("drivers"))) {
      Cli.Run run = Cli.check(root, json, t61.resolve("drivers/ksdemo")).expectCode(0);
      assertEquals(List.of("6.1"), citedVersions(run), root.toString());
      assertEquals(List.of(), notes(run));
    }
    // --kernel-summaries still decides when given.
    List<String> chosen = new ArrayList<>(json);
    chosen.addAll(List.of("--kernel-summaries", "6.12"));
    assertEquals(
        List.of("6.12"),
        citedVersions(Cli.check(t61, chosen, t61.resolve("drivers")).expectCode(0)));
    Path t612 = kernelTree(tmp, "6.12", "scripts");
    assertEquals(
        List.of("6.12"),
        citedVersions(Cli.check(t612, json, t612.resolve("drivers")).expectCode(0)));
  }

  /** Another version gets the nearest shipped summaries, and stderr says which. */
  @Test
  void anotherVersionGetsTheNearestWithANote(@TempDir Path tmp) throws Exception {
    List<String> json = List.of("-f", "json", "--fail-on", "none");
    for (String[] c :
        new String[][] {{"6.6", "6.1"}, {"6.10", "6.12"}, {"5.15", "6.1"}, {"7.0", "6.12"}}) {
      Path top = kernelTree(tmp, c[0], "Kbuild");
      Cli.Run run = Cli.check(top, json, top.resolve("drivers")).expectCode(0);
      assertEquals(List.of(c[1]), citedVersions(run), c[0]);
      assertEquals(
          List.of(
              "kmodcheck: note: "
                  + top
                  + " is a linux "
                  + c[0]
                  + " tree, which has no shipped kernel summaries; using the nearest, "
                  + c[1]
                  + " (choose with --kernel-summaries)"),
          notes(run),
          c[0]);
    }
  }

  /** A Makefile with a version but nothing else of a kernel tree is a module's: the default. */
  @Test
  void aVersionedMakefileAloneIsNoKernelTree(@TempDir Path tmp) throws Exception {
    Path top = kernelTree(tmp, "6.1", "none");
    Cli.Run run =
        Cli.check(top, List.of("-f", "json", "--fail-on", "none"), top.resolve("drivers"))
            .expectCode(0);
    assertEquals(List.of("6.12"), citedVersions(run));
    assertEquals(List.of(), notes(run));
  }
}
