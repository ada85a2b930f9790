package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A project's .kmodcheck.json through the command line: found, applied, and rejected clearly. */
class ConfigE2ETest {

  @TempDir Path tmp;

  private Path config(String json) throws IOException {
    return Files.writeString(tmp.resolve(".kmodcheck.json"), json);
  }

  private Path costly() {
    return CFiles.write(
        tmp,
        "drv/costly.c",
        "#include <linux/slab.h>",
        "",
        "void *ring_alloc(void)",
        "{",
        "\treturn kmalloc(SZ_64K, GFP_KERNEL);",
        "}");
  }

  @Test
  void isFoundAboveTheSourceRootAndTurnsRulesOffOrChangesTheirSeverity() throws Exception {
    Path c = costly();
    config("{\"rules\": {\"kmalloc-costly-order\": \"off\"}}");
    // The scan's source root is drv/: the file is found in the directory above it.
    Cli.Run off = Cli.check(tmp.resolve("drv"), List.of(), c).expectCode(0);
    assertEquals("", off.out());

    config("{\"rules\": {\"kmalloc-costly-order\": \"note\"}, \"failOn\": \"warning\"}");
    Cli.Run note = Cli.check(tmp, List.of(), c).expectCode(0);
    assertTrue(note.out().contains(": note: kmalloc of 65536 bytes"), note.out());
    // A flag wins over the file.
    Cli.check(tmp, List.of("--fail-on", "note"), c).expectCode(1);
    // --no-config ignores it, --config picks another.
    Cli.check(tmp, List.of("--no-config"), c).expectCode(1);
    Path other = Files.writeString(tmp.resolve("other.json"), "{}");
    Cli.check(tmp, List.of("--config", other.toString()), c).expectCode(1);
  }

  /** A generated file with an error finding, for the configuration to exclude. */
  private Path generated() {
    return CFiles.write(
        tmp,
        "drv/gen/tables.c",
        "#include <linux/slab.h>",
        "void *t(void)",
        "{",
        "\treturn kmalloc(SZ_8M, GFP_KERNEL);",
        "}");
  }

  @Test
  void targetAndExcludeComeFromTheFile() throws Exception {
    Path c = costly();
    Path gen = generated();
    // 64 KiB is not costly with 64 KiB pages; generated code is not scanned.
    config("{\"target\": \"arm64-64k\", \"exclude\": [\"drv/gen\"]}");
    Cli.Run r = Cli.check(tmp, List.of(), tmp.resolve("drv")).expectCode(0);
    assertTrue(r.err().contains("1 file,"), r.err());
    Cli.check(tmp, List.of("--target", "x86_64"), c).expectCode(1);
    assertTrue(Files.exists(gen));
  }

  /** Pre-commit hooks and changed-files jobs pass file lists that may include excluded files. */
  @Test
  void anExcludedFileNamedOnTheCommandLineIsSkippedWithANote() throws Exception {
    Path c = costly();
    Path gen = generated();
    config("{\"exclude\": [\"drv/gen\"]}");
    Cli.Run only = Cli.check(tmp, List.of(), gen).expectCode(0);
    assertEquals("", only.out());
    assertTrue(
        only.err().contains("kmodcheck: note: drv/gen/tables.c: not scanned: excluded by"),
        only.err());
    assertTrue(only.err().contains("0 files,"), only.err());
    Cli.Run both = Cli.check(tmp, List.of("-f", "json"), gen, c).expectCode(1);
    JsonNode json = both.json();
    assertEquals(1, json.path("findings").size(), both.out());
    JsonNode note = json.path("notifications").get(0);
    assertEquals("file-excluded", note.path("kind").asText(), both.out());
    assertEquals("note", note.path("level").asText(), both.out());
    assertEquals("drv/gen/tables.c", note.path("location").path("file").asText(), both.out());
  }

  @Test
  void projectAllocationWrappersLockWrappersAndRegistrationsAreKnown() throws Exception {
    Path c =
        CFiles.write(
            tmp,
            "drv/wrappers.c",
            "#include <linux/slab.h>",
            "#include <linux/interrupt.h>",
            "",
            "static DEFINE_SPINLOCK(state_lock);",
            "",
            "void *rx_alloc(void)",
            "{",
            "\treturn mydrv_alloc(SZ_64K, 2, GFP_KERNEL);",
            "}",
            "",
            "void reset(void)",
            "{",
            "\tmydrv_lock(&state_lock);",
            "\tkfree(kmalloc(64, GFP_KERNEL));",
            "\tmydrv_unlock(&state_lock);",
            "}",
            "",
            "static irqreturn_t rx_irq(int irq, void *data)",
            "{",
            "\tkfree(kmalloc(64, GFP_KERNEL));",
            "\treturn IRQ_HANDLED;",
            "}",
            "",
            "int rx_probe(void *dev)",
            "{",
            "\treturn mydrv_request_irq(dev, rx_irq);",
            "}");
    Cli.Run without = Cli.check(tmp, List.of(), c).expectCode(0);
    assertEquals("", without.out(), "the builtin tables know none of these names");
    config(
        """
        {"knowledge": {
          "allocApis": [{"name": "mydrv_alloc", "size": "0*1", "gfp": 2}],
          "atomicApis": [
            {"name": "mydrv_lock", "effect": "ENTER", "kinds": "SPINLOCK", "lock": 0},
            {"name": "mydrv_unlock", "effect": "EXIT", "kinds": ["SPINLOCK"], "lock": 0}],
          "callbackApis": [{"name": "mydrv_request_irq", "where": 1, "kind": "HARDIRQ",
                            "how": "{fn} is registered as a hard IRQ handler by {api}"}]
        }}
        """);
    Cli.Run with = Cli.check(tmp, List.of(), c).expectCode(1);
    assertTrue(
        with.out()
            .contains(
                "wrappers.c:" + CFiles.lineOf(c, "mydrv_alloc(") + ":9: warning: mydrv_alloc of"),
        with.out());
    assertTrue(
        with.out()
            .contains("wrappers.c:" + CFiles.lineOf(c, "mydrv_lock(") + ":2: note: mydrv_lock"),
        with.out());
    assertTrue(
        with.out().contains("rx_irq is registered as a hard IRQ handler by mydrv_request_irq"),
        with.out());
    assertEquals(
        3,
        with.out().lines().filter(l -> l.matches(".*: (error|warning): .*")).count(),
        with.out());
  }

  @Test
  void projectSleepingFunctionsAndAllocationWrappersSleepInAtomicContext() throws Exception {
    Path c =
        CFiles.write(
            tmp,
            "drv/fw.c",
            "#include <linux/slab.h>",
            "#include <linux/spinlock.h>",
            "",
            "static DEFINE_SPINLOCK(fw_lock);",
            "",
            "void fw_kick(void *fw)",
            "{",
            "\tspin_lock(&fw_lock);",
            "\tmydrv_fw_wait(fw, 100);",
            "\tkfree(mydrv_alloc(16, 4, GFP_KERNEL));",
            "\tkfree(mydrv_alloc(16, 4, GFP_ATOMIC));",
            "\tspin_unlock(&fw_lock);",
            "}");
    Cli.Run without = Cli.check(tmp, List.of(), c).expectCode(0);
    assertEquals("", without.out(), "the builtin tables know none of these names");
    config(
        """
        {"knowledge": {
          "allocApis": [{"name": "mydrv_alloc", "size": "0*1", "gfp": 2}],
          "sleepApis": [{"name": "mydrv_fw_wait", "arity": 2}]
        }}
        """);
    Cli.Run with = Cli.check(tmp, List.of(), c).expectCode(1);
    assertTrue(
        with.out()
            .contains(
                "fw.c:"
                    + CFiles.lineOf(c, "mydrv_fw_wait(")
                    + ":2: error: mydrv_fw_wait()"
                    + " may sleep but is called with spinlock 'fw_lock' held"),
        with.out());
    assertTrue(
        with.out()
            .contains(
                "fw.c:"
                    + CFiles.lineOf(c, "GFP_KERNEL));")
                    + ":8: error: mydrv_alloc()"
                    + " with GFP_KERNEL may sleep"),
        with.out());
    assertEquals(
        2,
        with.out().lines().filter(l -> l.matches(".*: (error|warning): .*")).count(),
        with.out());
    assertFalse(with.err().contains("not used yet"), with.err());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"rule\": {}}|rule: unknown key",
        "{\"rules\": {\"kmalloc-too-big\": \"off\"}}|rules.kmalloc-too-big: unknown rule",
        "{\"rules\": {\"kmalloc-size-limit\": \"fatal\"}}|rules.kmalloc-size-limit: unknown value 'fatal' (known: off, error,",
        "{\"target\": \"sparc\"}|target: unknown value 'sparc' (known: x86_64,",
        "{\"pageSize\": 5000}|pageSize: unknown value 5000 (known: 4096, 8192," + " 16384",
        "{\"maxOrder\": 21}|maxOrder: must be from 0 to 20",
        "{\"version\": 2}|version: must be 1",
        "{\"exclude\": [\" \"]}|exclude[0]: must not be empty or blank",
        "{\"knowledge\": {\"atomicApis\": [{\"name\": \"x\", \"effect\": \"ENTER\","
            + " \"kinds\": []}]}}|knowledge.atomicApis[0].kinds: must not be an empty array",
        "{\"exclude\": \"gen\"}|exclude: must be an array",
        "{\"knowledge\": {\"allocs\": []}}|knowledge.allocs: unknown key",
        "{\"knowledge\": {\"allocApis\": [{\"size\": 0}]}}|knowledge.allocApis[0].name: is required",
        "{\"knowledge\": {\"allocApis\": [{\"name\": \"a\", \"family\": \"SLAB\"}]}}"
            + "|knowledge.allocApis[0].family: unknown value 'SLAB'",
        "{\"knowledge\": {\"atomicApis\": [{\"name\": \"spin_lock\", \"effect\": \"ENTER\","
            + " \"kinds\": \"SPINLOCK\"}]}}|knowledge: duplicate row for spin_lock",
        "{\"knowledge\": {\"atomicApis\": [{\"name\": \"x\", \"effect\": \"ENTER\","
            + " \"kinds\": \"SPINLOCK\", \"lok\": 0}]}}|knowledge.atomicApis[0].lok: unknown key",
        "{\"version\": 1,|not valid JSON at line 1",
      })
  void aBadConfigExitsTwoNamingTheFileAndKey(String json, String message) throws Exception {
    Path file = config(json);
    Cli.Run r = Cli.check(tmp, List.of(), costly()).expectCode(2);
    assertTrue(r.err().startsWith("kmodcheck: " + file + ": "), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  /** The docs' example, with the "$schema" key editors use, is a valid configuration. */
  @Test
  void theDocumentedExampleWithSchemaKeyIsAccepted() throws Exception {
    String doc = Files.readString(Cli.REPO.resolve("docs/config.md"));
    String example = doc.split("## Example\n\n```json\n", 2)[1].split("```", 2)[0];
    assertTrue(example.contains("\"$schema\""), example);
    config(example);
    Cli.Run r = Cli.check(tmp, List.of(), costly());
    assertEquals(
        "",
        r.err().lines().filter(l -> !l.startsWith("kmodcheck: 1 file")).reduce("", String::concat));
  }

  @Test
  void aMissingConfigFileIsBadInput() {
    Cli.Run r =
        Cli.check(tmp, List.of("--config", tmp.resolve("nope.json").toString()), costly())
            .expectCode(2);
    assertTrue(r.err().contains("nope.json: no such configuration file"), r.err());
  }
}
