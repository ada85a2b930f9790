package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
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

  /** A module whose ring size needs its own header (through -I) and a -D. */
  private Path ringModule() {
    CFiles.write(tmp, "inc/ring/desc.h", "struct ring_desc { unsigned long long a[16]; };");
    return CFiles.write(
        tmp,
        "src/ring.c",
        "#include <linux/slab.h>",
        "#include <ring/desc.h>",
        "",
        "void *ring_alloc(void)",
        "{",
        "\treturn kmalloc(RING_ENTRIES * sizeof(struct ring_desc), GFP_KERNEL);",
        "}");
  }

  private static int costly(Cli.Run r) {
    int n = 0;
    for (var f : r.json().get("findings")) {
      if (f.get("ruleId").asText().equals("kmalloc-costly-order")) n++;
    }
    return n;
  }

  @Test
  void commandLineIncludePathsAndDefinesReachTheParse() {
    Path f = ringModule();
    List<String> json = List.of("--no-config", "-f", "json", "--fail-on", "none");
    assertEquals(0, costly(Cli.check(tmp, json, f)));
    List<String> flags = new ArrayList<>(json);
    flags.addAll(List.of("-I", tmp.resolve("inc").toString(), "-DRING_ENTRIES=512"));
    // 512 * 128 bytes: 64 KiB, an order-4 block.
    assertEquals(1, costly(Cli.check(tmp, flags, f)));
    flags.addAll(List.of("-U", "RING_ENTRIES"));
    assertEquals(0, costly(Cli.check(tmp, flags, f)));
  }

  @Test
  void theModuleMakefileGivesItsFlagsAndTheCommandLineWins() {
    Path f = ringModule();
    CFiles.write(
        tmp,
        "Makefile",
        "obj-m += ring.o",
        "ring-y := src/ring.o",
        "ccflags-y += -I$(src)/inc -DRING_ENTRIES=512 -I$(KSRC)/include/foo");
    List<String> json = List.of("--no-config", "-f", "json", "--fail-on", "none");
    Cli.Run r = Cli.check(tmp, json, f);
    assertEquals(1, costly(r));
    assertTrue(
        r.out().contains("\"kind\": \"kbuild\"") || r.out().contains("\"kind\":\"kbuild\""),
        r.out());
    List<String> small = new ArrayList<>(json);
    small.add("-DRING_ENTRIES=4");
    assertEquals(0, costly(Cli.check(tmp, small, f)));
    List<String> off = new ArrayList<>(json);
    off.add("--no-kbuild");
    assertEquals(0, costly(Cli.check(tmp, off, f)));
  }

  @Test
  void badParseFlagsAreOneLineAndExitTwo() {
    Path f = versioned();
    for (List<String> bad :
        List.of(
            List.of("-I", tmp.resolve("missing").toString()),
            List.of("-include", tmp.resolve("missing.h").toString()),
            List.of("-D", "1BAD=2"),
            List.of("-U", "a-b"))) {
      List<String> args = new ArrayList<>(List.of("--no-config"));
      args.addAll(bad);
      Cli.Run r = Cli.check(tmp, args, f).expectCode(2);
      assertEquals(1, r.errLines().size(), r.err());
    }
  }

  /** One analysed function and two that a file-scope parse problem swallows. */
  private Path lossy() {
    return CFiles.write(
        tmp,
        "lossy.c",
        "int kept(void) { return 0; }",
        "UNKNOWN_DECL(a, b) static int gone_1(void) { return 1; }",
        "static int gone_2(int x) { return x; }");
  }

  @Test
  void lostFunctionsAreCountedWarnedAboutAndGated() {
    Path f = lossy();
    Cli.Run r = Cli.check(tmp, List.of("--no-config", "-f", "json"), f).expectCode(0);
    var stats = r.json().get("stats");
    int lost = stats.get("functionsLost").asInt();
    assertTrue(lost >= 1, stats.toString());
    double pct = stats.get("coveragePercent").asDouble();
    assertTrue(pct < 95, stats.toString());
    assertTrue(r.err().contains("kmodcheck: warning: only "), r.err());
    assertTrue(r.err().contains("lossy.c"), r.err());
    Cli.check(tmp, List.of("--no-config", "--strict"), f).expectCode(2);
    Cli.check(tmp, List.of("--no-config", "--min-coverage", "10"), f).expectCode(0);
    Cli.Run gated = Cli.check(tmp, List.of("--no-config", "--min-coverage", "99.5"), f);
    gated.expectCode(2);
    assertTrue(gated.err().contains("--min-coverage 99.5"), gated.err());
    Cli.check(tmp, List.of("--no-config", "--min-coverage", "101"), f).expectCode(2);
    Cli.Run sarif = Cli.check(tmp, List.of("--no-config", "-f", "sarif"), f);
    var cov = sarif.json().get("runs").get(0).get("properties").get("coverage");
    assertEquals(lost, cov.get("functionsLost").asInt());
  }

  @Test
  void aCleanScanSaysNothingAboutCoverage() {
    Cli.Run r = Cli.check(tmp, List.of("--no-config", "--strict"), versioned()).expectCode(1);
    assertTrue(!r.err().contains("warning: only"), r.err());
  }

  @Test
  void explainKnowsTheNotificationKinds() {
    Cli.Run r = Cli.run("explain", "parse-problems").expectCode(0);
    assertTrue(r.out().startsWith("# parse-problems"), r.out());
    Cli.run("explain", "kbuild").expectCode(0);
  }

  @Test
  void theConfigurationGivesParseFlagsInsideItsDirectoryOnly() {
    Path f = ringModule();
    CFiles.write(
        tmp,
        ".kmodcheck.json",
        "{\"parse\": {\"includes\": [\"inc\"], \"defines\": [\"RING_ENTRIES=512\"],",
        " \"kernelVersion\": \"5.15\", \"kbuild\": false}}");
    List<String> json = List.of("-f", "json", "--fail-on", "none");
    assertEquals(1, costly(Cli.check(tmp, json, f)));
    List<String> small = new ArrayList<>(json);
    small.add("-DRING_ENTRIES=4");
    assertEquals(0, costly(Cli.check(tmp, small, f)));
    CFiles.write(tmp, ".kmodcheck.json", "{\"parse\": {\"includes\": [\"../\"]}}");
    Cli.Run r = Cli.check(tmp, json, f).expectCode(2);
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("parse.includes"), r.err());
  }

  @Test
  void aMakefileEditReachesACachedScan() throws Exception {
    Path f = ringModule();
    Path cache = tmp.resolve("cache");
    List<String> args =
        List.of("--no-config", "-f", "json", "--fail-on", "none", "--cache", cache.toString());
    CFiles.write(tmp, "Makefile", "ccflags-y += -I$(src)/inc -DRING_ENTRIES=512");
    assertEquals(1, costly(Cli.check(tmp, args, f)));
    CFiles.write(tmp, "Makefile", "ccflags-y += -I$(src)/inc -DRING_ENTRIES=8");
    Cli.Run again = Cli.check(tmp, args, f);
    assertEquals(0, costly(again));
    assertTrue(!again.err().contains("from cache"), again.err());
  }
}
