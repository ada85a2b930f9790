package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Out-of-tree modules as they are written: kernel version checks, include paths, coverage. */
class OutOfTreeE2ETest {

  @TempDir Path tmp;

  private Path versioned() {
    return CFiles.write(
        tmp,
        "ver.c",
        "#include <linux/version.h>",
        "#include <linux/slab.h>",
        "",
        "void *ver_alloc(spinlock_t *lock)",
        "{",
        "\tvoid *p;",
        "",
        "\tspin_lock(lock);",
        "#if KERNEL_VERSION(5, 0, 0) <= LINUX_VERSION_CODE",
        "\tp = kmalloc(64, GFP_KERNEL);",
        "#else",
        "\tp = kmalloc(64, GFP_ATOMIC);",
        "#endif",
        "\tspin_unlock(lock);",
        "\treturn p;",
        "}");
  }

  @Test
  void kernelVersionSelectsTheBranchOfThatRelease() {
    Path f = versioned();
    Cli.Run now = Cli.check(tmp, List.of("--no-config", "-f", "json"), f).expectCode(1);
    assertEquals(10, now.json().get("findings").get(0).get("line").asInt());
    Cli.check(tmp, List.of("--no-config", "--kernel-version", "4.19.10"), f).expectCode(0);
    Cli.check(tmp, List.of("--no-config", "--kernel-version", "5.0"), f).expectCode(1);
  }

  @Test
  void aBadKernelVersionIsOneLineAndExitTwo() {
    Cli.Run r =
        Cli.check(tmp, List.of("--no-config", "--kernel-version", "6.x"), versioned())
            .expectCode(2);
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("--kernel-version"), r.err());
  }
}
