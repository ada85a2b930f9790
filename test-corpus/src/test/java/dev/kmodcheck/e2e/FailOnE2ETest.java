package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --fail-on LEVEL} decides the exit code from the severities found. */
class FailOnE2ETest {

  private static final Path EXAMPLE = Cli.CORPUS.resolve("examples/ringbuf");

  @TempDir Path tmp;
  private Path costlyOnly;
  private Path clean;

  @BeforeEach
  void writeSources() {
    costlyOnly =
        CFiles.write(
            tmp,
            "costly.c",
            "#include <linux/slab.h>",
            "",
            "void *rx_ring_alloc(void)",
            "{",
            "\treturn kmalloc(SZ_64K, GFP_KERNEL);",
            "}");
    clean =
        CFiles.write(
            tmp,
            "clean.c",
            "#include <linux/slab.h>",
            "",
            "void *rx_desc_alloc(void)",
            "{",
            "\treturn kzalloc(2 * PAGE_SIZE, GFP_KERNEL);",
            "}");
  }

  private static int exit(Path root, Path file, String... options) {
    return Cli.check(root, List.of(options), file).code();
  }

  @Test
  void theExampleHasErrorsSoFailOnErrorExitsOne() {
    Cli.Run r = Cli.check(Cli.CORPUS, List.of("--fail-on", "error"), EXAMPLE).expectCode(1);
    assertTrue(r.out().contains(": error: "), r.out());
  }

  @Test
  void aCostlyWarningFailsByDefaultButNotWithFailOnError() {
    Cli.Run r = Cli.check(tmp, List.of(), costlyOnly).expectCode(1);
    // Only the warning: otherwise the exit codes below would prove nothing.
    assertEquals(1, r.outLines().size(), r.out());
    assertTrue(
        r.out().startsWith("costly.c:" + CFiles.lineOf(costlyOnly, "kmalloc") + ":")
            && r.out().contains(": warning: ")
            && r.out().contains("[kmalloc-costly-order]"),
        r.out());
    assertEquals(1, exit(tmp, costlyOnly, "--fail-on", "warning"));
    assertEquals(1, exit(tmp, costlyOnly, "--fail-on", "note"));
    assertEquals(0, exit(tmp, costlyOnly, "--fail-on", "error"));
  }

  @Test
  void failOnNoneAlwaysExitsZeroButStillReports() {
    Cli.Run r = Cli.check(Cli.CORPUS, List.of("--fail-on", "none"), EXAMPLE).expectCode(0);
    assertTrue(r.out().contains(": error: "), "findings are still reported: " + r.out());
    assertEquals(0, exit(tmp, costlyOnly, "--fail-on", "none"));
  }

  @Test
  void aCleanFileExitsZeroAtEveryLevel() {
    for (String level : List.of("note", "warning", "error", "none")) {
      Cli.Run r = Cli.check(tmp, List.of("--fail-on", level), clean).expectCode(0);
      assertEquals("", r.out(), level);
      assertTrue(r.err().contains("no findings"), r.err());
    }
    assertEquals(0, exit(tmp, clean));
  }
}
