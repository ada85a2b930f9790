package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Report paths and the project's files: scanning a module outside the current directory reports its
 * findings (paths relative to the module), and a source root that does not contain a scanned file
 * is bad input, not a silent loss of its findings.
 */
class SourceRootE2ETest {

  @TempDir Path tmp;

  private Path module() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("mydrv"));
    CFiles.write(
        dir,
        "mydrv_main.c",
        "#include <linux/slab.h>",
        "",
        "void *mydrv_ring_alloc(void)",
        "{",
        "\treturn kmalloc(SZ_64K, GFP_KERNEL);",
        "}");
    return dir;
  }

  @Test
  void aModuleOutsideTheCurrentDirectoryIsReportedRelativeToItself() throws Exception {
    Path dir = module();
    Cli.Run r = Cli.run("check", dir.toString()).expectCode(1);
    assertTrue(
        r.out().startsWith("mydrv_main.c:5:"),
        () -> "the finding, relative to the module directory:\n" + r.out());
    Cli.Run file = Cli.run("check", dir.resolve("mydrv_main.c").toString()).expectCode(1);
    assertTrue(file.out().contains("kmalloc-costly-order"), file::out);
  }

  @Test
  void aSourceRootThatDoesNotContainTheInputIsBadInput() throws Exception {
    Path dir = module();
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Cli.Run r = Cli.check(elsewhere, List.of(), dir).expectCode(2);
    assertTrue(r.err().contains("outside the source root"), r::err);
    assertFalse(r.err().contains("\tat "), r::err);
  }
}
