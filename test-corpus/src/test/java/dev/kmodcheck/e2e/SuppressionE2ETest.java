package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmodcheck.report.SarifValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmodcheck-ignore[rule]: reason} comments, through the command line. */
class SuppressionE2ETest {

  @TempDir Path tmp;

  private Path file(String... body) {
    List<String> lines = new ArrayList<>(List.of("#include <linux/slab.h>", ""));
    lines.addAll(List.of(body));
    return CFiles.write(tmp, "drv.c", lines.toArray(String[]::new));
  }

  @Test
  void aCommentWithAReasonSuppressesOnItsLineAndTheNext() {
    Path c =
        file(
            "void *a(void)",
            "{",
            "\treturn kmalloc(SZ_64K, GFP_KERNEL); /* kmodcheck-ignore[kmalloc-costly-order]: probe only */",
            "}",
            "void *b(void)",
            "{",
            "\t// kmodcheck-ignore[kmalloc-costly-order]: probe only, retried",
            "\treturn kmalloc(SZ_128K, GFP_KERNEL);",
            "}");
    Cli.Run r = Cli.check(tmp, List.of(), c).expectCode(0);
    assertEquals("", r.out());
    assertTrue(r.err().contains("no findings; 2 suppressed;"), r.err());
  }

  @Test
  void aCommentWithoutAReasonDoesNotSuppressAndIsReported() {
    Path c =
        file(
            "void *a(void)",
            "{",
            "\t/* kmodcheck-ignore[kmalloc-costly-order] */",
            "\treturn kmalloc(SZ_64K, GFP_KERNEL);",
            "}");
    Cli.Run r = Cli.check(tmp, List.of(), c).expectCode(1);
    int comment = CFiles.lineOf(c, "kmodcheck-ignore");
    assertTrue(
        r.out().contains("drv.c:" + comment + ":5: warning: suppression without a reason"),
        r.out());
    assertTrue(r.out().contains("[invalid-suppression]"), r.out());
    assertTrue(
        r.out().contains("drv.c:" + (comment + 1) + ":"), "finding still reported: " + r.out());
  }

  @Test
  void unusedAndUnknownSuppressionsAreReported() {
    Path c =
        file(
            "void *a(void)",
            "{",
            "\t/* kmodcheck-ignore[page-order-limit]: nothing to suppress here */",
            "\treturn kmalloc(64, GFP_KERNEL);",
            "}",
            "void *b(void)",
            "{",
            "\t/* kmodcheck-ignore[kmalloc-too-big]: misspelled */",
            "\treturn kmalloc(64, GFP_KERNEL);",
            "}");
    Cli.Run r = Cli.check(tmp, List.of(), c).expectCode(1);
    assertEquals(2, r.outLines().size(), r.out());
    assertTrue(
        r.out()
            .contains(
                "drv.c:"
                    + CFiles.lineOf(c, "page-order-limit")
                    + ":5: warning: unused suppression"),
        r.out());
    assertTrue(r.out().contains("unknown rule 'kmalloc-too-big'"), r.out());
  }

  @Test
  void theFunctionFormCoversTheWholeFunctionBelow() {
    Path c =
        file(
            "/* kmodcheck-ignore-function[kmalloc-costly-order]: legacy path, never on fast path */",
            "static void *",
            "legacy_alloc(int big)",
            "{",
            "\tif (big)",
            "\t\treturn kmalloc(SZ_128K, GFP_KERNEL);",
            "\treturn kmalloc(SZ_64K, GFP_KERNEL);",
            "}",
            "void *other(void)",
            "{",
            "\treturn kzalloc(SZ_64K, GFP_KERNEL);",
            "}");
    Cli.Run r = Cli.check(tmp, List.of(), c).expectCode(1);
    assertEquals(1, r.outLines().size(), "only the function below is covered: " + r.out());
    assertTrue(r.out().startsWith("drv.c:" + CFiles.lineOf(c, "kzalloc") + ":"), r.out());
  }

  @Test
  void sarifLeavesSuppressedFindingsOutUnlessAskedAndStaysValid() {
    Path c =
        file(
            "void *a(void)",
            "{",
            "\treturn kmalloc(SZ_64K, GFP_KERNEL); /* kmodcheck-ignore[kmalloc-costly-order]: probe only */",
            "}",
            "void *b(void)",
            "{",
            "\treturn kmalloc(SZ_16M, GFP_KERNEL);",
            "}");
    Cli.Run plain = Cli.check(tmp, List.of("-f", "sarif"), c).expectCode(1);
    JsonNode results = plain.json().path("runs").path(0).path("results");
    assertEquals(1, results.size(), results.toString());
    assertEquals("kmalloc-size-limit", results.path(0).path("ruleId").asText());

    Cli.Run all = Cli.check(tmp, List.of("-f", "sarif", "--include-suppressed"), c).expectCode(1);
    SarifValidator.assertValid(all.out());
    SarifValidator.assertGitHubCompatible(all.out());
    JsonNode both = all.json().path("runs").path(0).path("results");
    assertEquals(2, both.size(), both.toString());
    JsonNode suppressed = both.path(1).path("suppressions").path(0);
    assertEquals("inSource", suppressed.path("kind").asText(), both.toString());
    assertEquals("probe only", suppressed.path("justification").asText());
    assertFalse(both.path(0).has("suppressions"));
  }
}
