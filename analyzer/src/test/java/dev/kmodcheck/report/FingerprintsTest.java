package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.ir.SrcRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {

  @TempDir Path root;

  private static Finding at(String file, int line, String function) {
    return new Finding(
        "kmalloc-size-limit",
        Severity.ERROR,
        "too big",
        new SrcRange(file, line, 2, line, 20),
        function,
        List.of());
  }

  @Test
  void stableWhenLinesShiftAndIndentationChanges() throws IOException {
    SampleResults.write(root, "a.c", "void f(void)\n{\n\tp = kmalloc(BIG, GFP_KERNEL);\n}\n");
    String before = Fingerprints.compute(List.of(at("a.c", 3, "f")), new SourceLines(root)).get(0);
    SampleResults.write(
        root,
        "a.c",
        "/* new header */\n\n\nvoid f(void)\n{\n    p =  kmalloc(BIG,   GFP_KERNEL);\n}\n");
    String after = Fingerprints.compute(List.of(at("a.c", 6, "f")), new SourceLines(root)).get(0);
    assertEquals(before, after);
    assertTrue(before.matches("[0-9a-f]{16}:1"), before);
  }

  @Test
  void changesWhenTheLineOrRuleOrFunctionChanges() throws IOException {
    SampleResults.write(root, "a.c", "x = kmalloc(A);\ny = kmalloc(A);\n");
    SourceLines src = new SourceLines(root);
    Finding base = at("a.c", 1, "f");
    Finding otherLine = at("a.c", 2, "f");
    Finding otherFunction = at("a.c", 1, "g");
    Finding otherRule =
        new Finding("page-order-limit", Severity.ERROR, "too big", base.range(), "f", List.of());
    List<String> prints =
        Fingerprints.compute(List.of(base, otherLine, otherFunction, otherRule), src);
    assertEquals(4, new HashSet<>(prints).size(), prints.toString());
  }

  @Test
  void identicalLinesGetOccurrenceCountersInSortedOrder() throws IOException {
    SampleResults.write(root, "a.c", "\tkfree(p);\n\tkfree(p);\n\tkfree(p);\n");
    SourceLines src = new SourceLines(root);
    // Given out of order on purpose: the counters follow Finding.ORDER, not input order.
    List<String> prints =
        Fingerprints.compute(List.of(at("a.c", 3, "f"), at("a.c", 1, "f"), at("a.c", 2, "f")), src);
    String hash = prints.get(0).substring(0, 16);
    assertEquals(List.of(hash + ":3", hash + ":1", hash + ":2"), prints);
  }

  @Test
  void unreadableFileFallsBackToTheMessage() {
    SourceLines src = new SourceLines(root); // no files at all
    Finding a = at("gone.c", 3, "f");
    Finding movedA = at("gone.c", 30, "f");
    Finding otherMessage =
        new Finding(a.ruleId(), a.severity(), "different", a.range(), "f", List.of());
    List<String> prints = Fingerprints.compute(List.of(a, movedA, otherMessage), src);
    assertEquals(prints.get(0).substring(0, 16), prints.get(1).substring(0, 16));
    assertNotEquals(prints.get(0).substring(0, 16), prints.get(2).substring(0, 16));
  }

  @Test
  void lineBeyondTheFileFallsBackToo() throws IOException {
    SampleResults.write(root, "a.c", "one line\n");
    SourceLines src = new SourceLines(root);
    assertEquals(
        Fingerprints.baseHash(at("a.c", 9, "f"), src),
        Fingerprints.baseHash(at("a.c", 9, "f"), new SourceLines(null)));
  }

  @Test
  void whitespaceNormalisation() {
    assertEquals("a = b ;", Fingerprints.normalizeWhitespace(" \ta  =\tb ;\r "));
  }

  @Test
  void sampleFingerprintsAreDistinct() throws IOException {
    List<String> prints = Fingerprints.compute(SampleResults.sample(root));
    assertEquals(prints.size(), new HashSet<>(prints).size(), prints.toString());
  }
}
