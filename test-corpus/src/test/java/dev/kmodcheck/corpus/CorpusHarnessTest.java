package dev.kmodcheck.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.corpus.Expectations.Key;
import dev.kmodcheck.ir.SrcRange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness must be able to fail: its parser and comparison on synthetic input. */
class CorpusHarnessTest {

  private static final String FILE = "c/x/sample.c";

  private static final List<String> SOURCE =
      List.of(
          "// kmodcheck-target: arm64-16k",
          "// kmodcheck-page-size: 65536",
          "#include <linux/slab.h>",
          "void *big_bad(void)",
          "{",
          "\treturn kmalloc(SZ_64M, GFP_KERNEL); // expect: kmalloc-size-limit",
          "}",
          "static void two_bad(void) { f(); } // expect: rule-a, rule-b, rule-a",
          "void *param_ok(size_t n)",
          "{",
          "\treturn kmalloc(n, GFP_KERNEL); // limitation: kmalloc-size-limit: unknown n",
          "}",
          "\tp = f(); // expect: rule-c // limitation: rule-d: both markers on one line");

  @Test
  void parsesSettingsExpectationsLimitationsAndOkFunctions() {
    Expectations e = Expectations.parse(FILE, SOURCE);
    assertEquals("arm64-16k", e.target());
    assertEquals(65536L, e.pageSize());
    assertEquals(null, e.maxOrder());
    assertEquals(
        Map.of(
            new Key(6, "kmalloc-size-limit"), 1,
            new Key(8, "rule-a"), 2,
            new Key(8, "rule-b"), 1,
            new Key(13, "rule-c"), 1),
        e.expected());
    assertEquals(
        List.of(new Key(11, "kmalloc-size-limit"), new Key(13, "rule-d")), e.limitations());
    assertEquals(List.of("param_ok"), e.okFunctions());
  }

  @Test
  void agreementGivesAnEmptyDiff() {
    Expectations e = Expectations.parse(FILE, SOURCE);
    List<Finding> findings =
        List.of(
            finding(6, "kmalloc-size-limit"),
            finding(8, "rule-a"),
            finding(8, "rule-b"),
            finding(8, "rule-a"),
            finding(13, "rule-c"));
    assertEquals(List.of(), CorpusDiff.compare(FILE, e, findings));
  }

  @Test
  void mismatchListsUnexpectedMissingAndFixedLimitations() {
    Expectations e = Expectations.parse(FILE, SOURCE);
    List<Finding> findings =
        List.of(
            finding(5, "kmalloc-costly-order"),
            finding(8, "rule-a"),
            finding(8, "rule-b"),
            finding(8, "rule-b"),
            finding(11, "kmalloc-size-limit"),
            // Another file's finding is not this file's business.
            new Finding(
                "rule-a",
                Severity.ERROR,
                "m",
                new SrcRange("c/x/other.c", 8, 1, 8, 2),
                "f",
                List.of()));
    assertEquals(
        List.of(
            "+ c/x/sample.c:5 kmalloc-costly-order (msg 5)",
            "- c/x/sample.c:6 kmalloc-size-limit",
            "+ c/x/sample.c:8 rule-b (msg 8)",
            "- c/x/sample.c:8 rule-a",
            "! c/x/sample.c:11 kmalloc-size-limit (msg 11) [limitation fixed: make it an expect]",
            "- c/x/sample.c:13 rule-c"),
        CorpusDiff.compare(FILE, e, findings));
  }

  @Test
  void malformedMarkersAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Expectations.parse(FILE, List.of("f(); // expect: Not A Rule")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Expectations.parse(FILE, List.of("f(); // limitation: no reason given")));
  }

  @Test
  void settingsBelowTheHeaderAreRejected() {
    List<String> late = new ArrayList<>(Collections.nCopies(25, ""));
    late.add("// kmodcheck-target: arm64-64k");
    assertThrows(IllegalArgumentException.class, () -> Expectations.parse(FILE, late));
  }

  @Test
  void filesInAModuleDirectoryBelongToItsOutermostModule() {
    Path root = Path.of("/corpus/c");
    assertNull(CorpusTest.enclosingModule(root, root.resolve("atomic/spin.c")));
    assertEquals(
        root.resolve("atomic/net.mod"),
        CorpusTest.enclosingModule(root, root.resolve("atomic/net.mod/tx.c")));
    assertEquals(
        root.resolve("atomic/net.mod"),
        CorpusTest.enclosingModule(root, root.resolve("atomic/net.mod/inner.mod/ops.c")));
    // A ".mod" directory above the corpus root is not a module of the corpus.
    assertNull(CorpusTest.enclosingModule(root, Path.of("/x.mod/corpus/c/atomic/spin.c")));
  }

  private static Finding finding(int line, String rule) {
    return new Finding(
        rule, Severity.ERROR, "msg " + line, new SrcRange(FILE, line, 1, line, 2), "f", List.of());
  }
}
