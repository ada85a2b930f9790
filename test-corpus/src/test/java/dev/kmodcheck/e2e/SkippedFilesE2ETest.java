package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmodcheck.engine.PathologicalInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file over its time budget is skipped and said so in every output: a warning on stderr, the
 * summary, SARIF toolExecutionNotifications, JSON notifications and stats. --strict makes it exit
 * code 2 (after the reports are written).
 */
class SkippedFilesE2ETest {

  @TempDir Path dir;

  @BeforeEach
  void files() throws IOException {
    Files.writeString(dir.resolve("macro.c"), PathologicalInputs.deepMacroFile());
    Files.writeString(
        dir.resolve("real.c"), "void *grab(void)\n{\n\treturn kmalloc(1 << 30, GFP_KERNEL);\n}\n");
  }

  private Cli.Run scan(String... options) {
    List<String> all = new ArrayList<>(List.of("--no-config", "--file-timeout", "1"));
    all.addAll(List.of(options));
    return Cli.check(dir, all, dir);
  }

  private static void assertNamesTheSkippedFile(Cli.Run r) {
    assertTrue(
        r.err()
            .contains("kmodcheck: warning: macro.c: file skipped: exceeded the time budget of 1 s"),
        r.err());
    assertTrue(r.err().contains("; 1 file skipped;"), r.err());
  }

  @Test
  void textRunFindsTheOtherFilesBugAndNamesTheSkippedFile() {
    Cli.Run r = scan("-f", "text").expectCode(1);
    assertNamesTheSkippedFile(r);
    assertTrue(r.out().startsWith("real.c:3:"), r.out());
  }

  @Test
  void strictTurnsTheSkippedFileIntoExitCodeTwoAfterWritingTheReport() throws IOException {
    Path sarif = dir.resolve("out.sarif");
    Cli.Run r = scan("--strict", "-f", "sarif", "-o", sarif.toString()).expectCode(2);
    assertNamesTheSkippedFile(r);
    JsonNode invocation = Cli.parse(Files.readString(sarif)).at("/runs/0/invocations/0");
    assertFalse(invocation.path("executionSuccessful").asBoolean(true));
    JsonNode note = invocation.at("/toolExecutionNotifications/0");
    assertEquals("error", note.path("level").asText());
    assertEquals("file-skipped", note.at("/descriptor/id").asText());
    assertEquals("macro.c", note.at("/locations/0/physicalLocation/artifactLocation/uri").asText());
    assertEquals(1, Cli.parse(Files.readString(sarif)).at("/runs/0/results").size());
  }

  @Test
  void withoutStrictSarifSaysTheRunSucceededButIsIncomplete() {
    JsonNode invocation = scan("-f", "sarif").expectCode(1).json().at("/runs/0/invocations/0");
    assertTrue(invocation.path("executionSuccessful").asBoolean(false));
    assertEquals("error", invocation.at("/toolExecutionNotifications/0/level").asText());
  }

  @Test
  void jsonCountsAndNamesTheSkippedFile() {
    JsonNode json = scan("-f", "json").expectCode(1).json();
    assertEquals(1, json.at("/stats/filesSkipped").asInt());
    assertEquals(2, json.at("/stats/files").asInt());
    List<JsonNode> skipped = new ArrayList<>();
    json.path("notifications")
        .forEach(
            n -> {
              if (n.path("kind").asText().equals("file-skipped")) skipped.add(n);
            });
    assertEquals(1, skipped.size(), json.path("notifications").toString());
    assertEquals("macro.c", skipped.get(0).at("/location/file").asText());
  }

  @Test
  void aSkippedFileIsNotRememberedInTheCache() throws IOException {
    String cache = dir.resolve(".cache").toString();
    assertNamesTheSkippedFile(scan("--cache", cache, "-f", "text").expectCode(1));
    Cli.Run again = scan("--cache", cache, "-f", "text").expectCode(1);
    // Tried again (a time or memory limit may not be hit next time), not replayed from the cache;
    // its program is checked again with it, the other file's unit taken from the cache.
    assertNamesTheSkippedFile(again);
    assertTrue(again.err().contains("1 file skipped; 1 file from cache"), again.err());
  }

  @Test
  void aCompleteScanSaysNoFileWasSkipped() throws IOException {
    Files.delete(dir.resolve("macro.c"));
    Cli.Run r = scan("--strict", "-f", "text").expectCode(1);
    assertTrue(r.err().contains("; 0 files skipped;"), r.err());
  }
}
