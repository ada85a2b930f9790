package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
      assertTrue(trace.stream().anyMatch(m -> m.startsWith(
              "device_register(&d->dev) may sleep (kernel " + v
                  + " summary: device_register at drivers/base/core.c:")),
          v + ": " + trace);
    }
    assertTrue(jsonTrace(List.of()).stream().anyMatch(m -> m.contains("(kernel 6.12 summary: ")),
        "the newest shipped summaries are the default");
  }

  @Test
  void withoutSummariesTheFindingsAreAbsent() {
    List<String> trace = jsonTrace(List.of("--kernel-summaries", "none"));
    assertEquals(List.of(), trace.stream().filter(m -> m.contains(" summary: ")).toList());
    JsonNode findings = Cli.check(Cli.CORPUS, List.of("-f", "json", "--fail-on", "none",
        "--kernel-summaries", "none"), FILE).expectCode(0).json().path("findings");
    assertEquals(0, findings.size(), findings.toString());
  }

  @Test
  void sarifCodeFlowsAndTextNotesCarryTheKernelChain() {
    JsonNode results = Cli.check(Cli.CORPUS, List.of("-f", "sarif", "--fail-on", "none"), FILE)
        .expectCode(0).json().path("runs").path(0).path("results");
    boolean found = false;
    for (JsonNode r : results) {
      for (JsonNode loc : r.path("codeFlows").path(0).path("threadFlows").path(0)
          .path("locations")) {
        String m = loc.path("location").path("message").path("text").asText();
        found |= m.contains("(kernel 6.12 summary: regulator_enable at drivers/regulator/core.c:");
      }
    }
    assertTrue(found, results.toString());
    String text = Cli.check(Cli.CORPUS, List.of("--fail-on", "none"), FILE).expectCode(0).out();
    assertTrue(text.contains(": note: device_register(&d->dev) may sleep (kernel 6.12 summary: "),
        text);
  }

  /** A cache filled with one choice of summaries never answers a scan with another. */
  @Test
  void theCacheKeepsChoicesApart(@org.junit.jupiter.api.io.TempDir Path tmp) {
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
}
