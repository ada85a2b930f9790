package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cache DIR}: a re-scan takes unchanged files from the cache, parses what changed (a file,
 * or a header it includes), and always reports exactly what a scan without the cache reports.
 */
class CacheE2ETest {

  @TempDir Path tmp;
  private Path module;
  private Path cache;

  @BeforeEach
  void copyExample() throws IOException {
    module = Files.createDirectories(tmp.resolve("ringbuf"));
    cache = tmp.resolve("cache");
    try (Stream<Path> files = Files.list(Cli.CORPUS.resolve("examples/ringbuf"))) {
      for (Path f : files.toList()) Files.copy(f, module.resolve(f.getFileName()));
    }
  }

  private Cli.Run scan(String... extra) {
    String[] args = new String[extra.length + 4];
    args[0] = "check";
    args[1] = module.toString();
    args[2] = "-f";
    args[3] = "json";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return Cli.run(args);
  }

  /** The JSON report without its one timing field. */
  private static JsonNode results(Cli.Run r) {
    JsonNode json = r.json();
    ((ObjectNode) json.get("stats")).remove("millis");
    return json;
  }

  /** Scans with the cache and checks the report against a scan without it. */
  private Cli.Run cachedScanMatchesFreshScan(String... extra) {
    String[] withCache = new String[extra.length + 2];
    System.arraycopy(extra, 0, withCache, 0, extra.length);
    withCache[extra.length] = "--cache";
    withCache[extra.length + 1] = cache.toString();
    Cli.Run cached = scan(withCache);
    Cli.Run fresh = scan(extra);
    assertEquals(fresh.code(), cached.code(), cached.err());
    assertEquals(results(fresh), results(cached));
    return cached;
  }

  /** Translation units the cache holds (one per file of a program with whole-program rules). */
  private long storedUnits() throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(f -> f.getParent().getFileName().toString().equals("units")).count();
    }
  }

  private void append(String file, String... lines) throws IOException {
    Files.writeString(
        module.resolve(file), String.join("\n", lines) + "\n", StandardOpenOption.APPEND);
  }

  @Test
  void aRescanTakesUnchangedFilesFromTheCache() {
    Cli.Run first = cachedScanMatchesFreshScan();
    assertFalse(first.err().contains("from cache"), first.err());
    Cli.Run second = cachedScanMatchesFreshScan();
    assertTrue(second.err().contains("3 files from cache"), second.err());
  }

  @Test
  void anEditedFileIsParsedAgainAndItsProgramCheckedAgainWithStoredUnits() throws IOException {
    // Two programs (each directory its own): only the edited file is parsed; its program's
    // whole-program rules run again over the stored units of its other files; the other program
    // is not touched.
    Path other = Files.createDirectories(module.resolve("other"));
    CFiles.write(
        other, "other.c", "void *other_alloc(void)", "{", "\treturn kmalloc(64, GFP_KERNEL);", "}");
    String[] scope = {"--program-scope", "directory"};
    cachedScanMatchesFreshScan(scope);
    append(
        "ringbuf_irq.c",
        "",
        "static irqreturn_t rb_irq2(int irq, void *data)",
        "{",
        "\tvoid *p = vmalloc(4096);",
        "\treturn p ? IRQ_HANDLED : IRQ_NONE;",
        "}",
        "",
        "int rb_setup2(struct ringbuf *rb)",
        "{",
        "\treturn request_irq(1, rb_irq2, 0, \"rb\", rb);",
        "}");
    Cli.Run edited = cachedScanMatchesFreshScan(scope);
    assertTrue(edited.err().contains("3 files from cache"), edited.err());
    assertTrue(edited.out().contains("rb_irq2"), "the new finding:\n" + edited.out());
  }

  @Test
  void aChainIntoAnUnchangedFileIsFoundThroughItsStoredUnit() throws IOException {
    cachedScanMatchesFreshScan();
    // The new handler is parsed; ringbuf_alloc's body (ringbuf_main.c) comes from the cache.
    append(
        "ringbuf_irq.c",
        "",
        "static irqreturn_t rb_regrow_irq(int irq, void *data)",
        "{",
        "\treturn ringbuf_alloc(data) ? IRQ_NONE : IRQ_HANDLED;",
        "}",
        "",
        "int rb_setup3(struct ringbuf *rb)",
        "{",
        "\treturn request_irq(2, rb_regrow_irq, 0, \"rb\", rb);",
        "}");
    long storedBefore = storedUnits();
    Cli.Run edited = cachedScanMatchesFreshScan();
    assertTrue(edited.err().contains("2 files from cache"), edited.err());
    // The edited file's new unit replaced its old one: stale parses do not pile up.
    assertEquals(storedBefore, storedUnits());
    assertTrue(
        edited.out().contains("ringbuf_alloc") && edited.out().contains("rb_regrow_irq"),
        "the chain through ringbuf_main.c:\n" + edited.out());
  }

  @Test
  void aDamagedStoredUnitIsParsedAgainAndReplaced() throws IOException {
    cachedScanMatchesFreshScan();
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> units =
          files.filter(f -> f.getParent().getFileName().toString().equals("units")).toList();
      for (Path f : units) Files.writeString(f, "not a unit");
    }
    append("ringbuf_irq.c", "/* edited */");
    Cli.Run edited = cachedScanMatchesFreshScan();
    assertFalse(edited.err().contains("from cache"), edited.err());
    append("ringbuf_irq.c", "/* edited again */");
    Cli.Run again = cachedScanMatchesFreshScan();
    assertTrue(again.err().contains("2 files from cache"), again.err());
  }

  @Test
  void suppressionCommentsHoldInFilesTakenFromTheCache() throws IOException {
    // A re-scan reads only the files its cache says may hold a comment: one that does must
    // still suppress, and one added later must be seen (its file changed).
    Path irq = module.resolve("ringbuf_irq.c");
    Files.writeString(
        irq,
        Files.readString(irq)
            .replace(
                "// expect: vmalloc-in-atomic",
                "/* kmodcheck-ignore[vmalloc-in-atomic]: resize runs before the IRQ is requested */"));
    Cli.Run first = cachedScanMatchesFreshScan();
    assertTrue(first.err().contains("1 suppressed"), first.err());
    Cli.Run second = cachedScanMatchesFreshScan();
    assertTrue(second.err().contains("3 files from cache"), second.err());
    assertTrue(second.err().contains("1 suppressed"), second.err());

    Path main = module.resolve("ringbuf_main.c");
    Files.writeString(main, Files.readString(main) + "/* kmodcheck-ignore[no-such-rule]: x */\n");
    Cli.Run third = cachedScanMatchesFreshScan();
    assertTrue(third.out().contains("invalid-suppression"), third.out());
  }

  @Test
  void anEditedHeaderInvalidatesEveryFileThatIncludesIt() throws IOException {
    Cli.Run before = cachedScanMatchesFreshScan();
    Path header = module.resolve("ringbuf.h");
    Files.writeString(
        header,
        Files.readString(header).replace("#define RB_ENTRIES\t65536", "#define RB_ENTRIES\t1024"));
    Cli.Run after = cachedScanMatchesFreshScan();
    assertFalse(after.err().contains("from cache"), after.err());
    assertNotEquals(results(before), results(after));
  }

  @Test
  void otherOptionsDoNotReuseResults() {
    cachedScanMatchesFreshScan();
    Cli.Run other = cachedScanMatchesFreshScan("--target", "legacy-128k");
    assertFalse(other.err().contains("from cache"), other.err());
  }

  @Test
  void aDamagedCacheIsAMissNotAnError() throws IOException {
    cachedScanMatchesFreshScan();
    try (Stream<Path> files = Files.walk(cache)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.writeString(f, "not a cache entry");
      }
    }
    Cli.Run damaged = cachedScanMatchesFreshScan();
    assertFalse(damaged.err().contains("from cache"), damaged.err());
    assertTrue(cachedScanMatchesFreshScan().err().contains("3 files from cache"));
  }

  @Test
  void aCacheThatIsNotADirectoryIsBadInput() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    Cli.Run r = scan("--cache", file.toString()).expectCode(2);
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("cache"), r.err());
  }
}
