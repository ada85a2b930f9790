package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adopting kmodcheck on an existing tree: record today's findings, then fail only on new ones. */
class BaselineE2ETest {

  @TempDir Path tmp;
  private Path source;
  private Path baseline;

  @BeforeEach
  void writeDriver() {
    source = driver(List.of());
    baseline = tmp.resolve("kmodcheck-baseline.json");
  }

  /** A driver with two old findings (one error, one warning) and optional extra functions. */
  private Path driver(List<String> extra) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "#include <linux/slab.h>",
                "",
                "void *ring_alloc(void)",
                "{",
                "\treturn kmalloc(SZ_64K, GFP_KERNEL);",
                "}",
                "",
                "void *table_alloc(void)",
                "{",
                "\treturn kcalloc(65536, 256, GFP_KERNEL);",
                "}"));
    lines.addAll(extra);
    return CFiles.write(tmp, "drv/old.c", lines.toArray(String[]::new));
  }

  private Cli.Run adopt() {
    return Cli.run(
        "baseline", "--source-root", tmp.toString(), "-o", baseline.toString(), source.toString());
  }

  private Cli.Run checkWithBaseline(String... more) {
    List<String> options = new ArrayList<>(List.of("--baseline", baseline.toString()));
    options.addAll(List.of(more));
    return Cli.check(tmp, options, source);
  }

  @Test
  void adoptionPassesThenANewFindingFails() throws Exception {
    Cli.check(tmp, List.of(), source).expectCode(1);
    Cli.Run made = adopt().expectCode(0);
    assertTrue(made.err().contains("2 findings recorded"), made.err());
    JsonNode file = Cli.parse(Files.readString(baseline));
    assertEquals("kmodcheck-baseline", file.path("kind").asText());
    assertEquals(2, file.path("findings").size(), file.toString());

    Cli.Run clean = checkWithBaseline().expectCode(0);
    assertEquals("", clean.out(), "baselined findings are not reported");
    assertTrue(clean.err().contains("2 in baseline"), clean.err());
    JsonNode stats = checkWithBaseline("-f", "json").expectCode(0).json().path("stats");
    assertEquals(2, stats.path("baselined").asInt(), stats::toString);
    assertEquals(0, stats.path("suppressed").asInt(), stats::toString);

    source =
        driver(
            List.of(
                "", "void *more_alloc(void)", "{", "\treturn kmalloc(SZ_128K, GFP_KERNEL);", "}"));
    Cli.Run fresh = checkWithBaseline().expectCode(1);
    assertEquals(1, fresh.outLines().size(), fresh.out());
    assertTrue(
        fresh.out().startsWith("drv/old.c:" + CFiles.lineOf(source, "SZ_128K") + ":"), fresh.out());
  }

  @Test
  void movedCodeStillMatchesButChangedCodeIsNewAndItsEntryStale() throws Exception {
    adopt().expectCode(0);
    String text = Files.readString(source);
    // Lines inserted above and re-indentation: same fingerprints.
    Files.writeString(
        source, "/* header */\n\n\n" + text.replace("\treturn kmalloc", "    return kmalloc"));
    Cli.Run moved = checkWithBaseline("--list-stale").expectCode(0);
    assertFalse(moved.err().contains("stale"), moved.err());

    // The call changed: a new finding, and its old entry no longer matches anything.
    Files.writeString(source, Files.readString(source).replace("SZ_64K", "SZ_64K * 2"));
    Cli.Run changed = checkWithBaseline("--list-stale").expectCode(1);
    assertEquals(1, changed.outLines().size(), changed.out());
    assertTrue(changed.out().contains("[kmalloc-costly-order]"), changed.out());
    assertTrue(
        changed
            .err()
            .contains("stale baseline entry: drv/old.c: kmalloc-costly-order in ring_alloc"),
        changed.err());
    assertTrue(changed.err().contains("1 baseline entry stale"), changed.err());
  }

  /** A pre-commit or changed-files job scans a few files: the others' entries are not stale. */
  @Test
  void staleIsJudgedOnlyForScannedFiles() throws Exception {
    Path other =
        CFiles.write(
            tmp,
            "drv/other.c",
            "#include <linux/slab.h>",
            "",
            "void *big(void)",
            "{",
            "\treturn kmalloc(SZ_128K, GFP_KERNEL);",
            "}");
    Cli.run(
            "baseline",
            "--source-root",
            tmp.toString(),
            "-o",
            baseline.toString(),
            source.toString(),
            other.toString())
        .expectCode(0);
    Cli.Run one = checkWithBaseline("--list-stale").expectCode(0);
    assertFalse(one.err().contains("stale"), one.err());
    assertTrue(one.err().contains("2 in baseline"), one.err());
    Files.writeString(source, Files.readString(source).replace("SZ_64K", "SZ_64K * 2"));
    Cli.Run changed = checkWithBaseline("--list-stale").expectCode(1);
    assertTrue(changed.err().contains("1 baseline entry stale"), changed.err());
    assertFalse(changed.err().contains("drv/other.c"), changed.err());
  }

  @Test
  void aSecondIdenticalFindingIsNew() throws Exception {
    adopt().expectCode(0);
    // Same rule, file, function and line text as a baselined finding: counted, so it is new.
    Files.writeString(
        source,
        Files.readString(source)
            .replace(
                "\treturn kmalloc(SZ_64K, GFP_KERNEL);",
                "\tif (!ring)\n\t\treturn kmalloc(SZ_64K, GFP_KERNEL);\n\treturn kmalloc(SZ_64K, GFP_KERNEL);"));
    Cli.Run r = checkWithBaseline().expectCode(1);
    assertEquals(1, r.outLines().size(), r.out());
  }

  @Test
  void aMissingOrForeignBaselineIsBadInput() throws Exception {
    Cli.Run missing = checkWithBaseline().expectCode(2);
    assertTrue(missing.err().contains(baseline + ": no such baseline file"), missing.err());
    Files.writeString(baseline, "{\"findings\": []}");
    Cli.Run foreign = checkWithBaseline().expectCode(2);
    assertTrue(foreign.err().contains("not a kmodcheck baseline"), foreign.err());
    Cli.Run listWithout = Cli.check(tmp, List.of("--list-stale"), source).expectCode(2);
    assertTrue(listWithout.err().contains("--list-stale needs --baseline"), listWithout.err());
  }

  @Test
  void theBaselineFileIsDeterministic() throws Exception {
    adopt().expectCode(0);
    String first = Files.readString(baseline);
    adopt().expectCode(0);
    assertEquals(first, Files.readString(baseline));
  }
}
