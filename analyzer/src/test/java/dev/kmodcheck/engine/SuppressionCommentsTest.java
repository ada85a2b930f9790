package dev.kmodcheck.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.engine.SuppressionComments.Comment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading kmodcheck-ignore comments from source text. */
class SuppressionCommentsTest {

  @Test
  void lineFormsInBothCommentStyles() {
    List<Comment> cs =
        SuppressionComments.parse(
            "a.c",
            List.of(
                "\tp = vzalloc(n); /* kmodcheck-ignore[vmalloc-in-atomic, sleep-in-atomic]: probe */",
                "\t// kmodcheck-ignore[kmalloc-size-limit]:   needs 8 MiB, checked at build  ",
                "\tx = 1;"));
    assertEquals(2, cs.size());
    assertEquals(List.of("vmalloc-in-atomic", "sleep-in-atomic"), cs.get(0).ruleIds());
    assertEquals("probe", cs.get(0).reason());
    assertEquals("needs 8 MiB, checked at build", cs.get(1).reason());
    assertTrue(cs.get(1).covers("a.c", 2, "f") && cs.get(1).covers("a.c", 3, "f"));
    assertFalse(cs.get(1).covers("a.c", 4, "f") || cs.get(1).covers("b.c", 3, "f"));
  }

  @Test
  void missingReasonOrIdsAndNotInAComment() {
    List<Comment> cs =
        SuppressionComments.parse(
            "a.c",
            List.of(
                "/* kmodcheck-ignore[vmalloc-in-atomic] */",
                "/* kmodcheck-ignore: no ids */",
                "printk(\"kmodcheck-ignore[x]: in a string, not a comment\");"));
    assertEquals(2, cs.size());
    assertEquals("", cs.get(0).reason());
    assertFalse(cs.get(1).wellFormed());
  }

  @Test
  void functionFormFindsTheFunctionBelowAcrossLinesAndBlockComments() {
    List<Comment> cs =
        SuppressionComments.parse(
            "a.c",
            List.of(
                "/*",
                " * kmodcheck-ignore-function[sleep-in-atomic]: called before request_irq()",
                " */",
                "static int __init",
                "foo_hw_init(struct foo *f)",
                "{"));
    assertEquals(1, cs.size());
    assertEquals("foo_hw_init", cs.get(0).function());
    assertTrue(cs.get(0).covers("a.c", 99, "foo_hw_init"));
    assertFalse(cs.get(0).covers("a.c", 2, "other"));
  }
}
