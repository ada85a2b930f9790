package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmodcheck.check.RuleRegistry;
import dev.kmodcheck.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --target}, {@code --page-size}/{@code --max-order}, and the rules/explain commands. */
class TargetE2ETest {

  @TempDir Path tmp;
  private Path file;

  @BeforeEach
  void writeSource() {
    file =
        CFiles.write(
            tmp,
            "fw.c",
            "#include <linux/slab.h>",
            "",
            "#define FW_BUF_SIZE\t(200 * 1024)",
            "",
            "void *fw_buf_alloc(void)",
            "{",
            "\treturn kmalloc(FW_BUF_SIZE, GFP_KERNEL);",
            "}");
  }

  /** The one finding of the scan, as JSON. */
  private JsonNode onlyFinding(String... options) {
    List<String> args = new ArrayList<>(List.of("-f", "json"));
    args.addAll(List.of(options));
    JsonNode json = Cli.check(tmp, args, file).expectCode(1).json();
    JsonNode findings = json.path("findings");
    assertEquals(1, findings.size(), findings::toString);
    assertEquals(CFiles.lineOf(file, "kmalloc("), findings.get(0).path("line").asInt());
    return findings.get(0);
  }

  @Test
  void x86_64WarnsThatTheRequestIsCostly() {
    JsonNode f = onlyFinding();
    assertEquals("kmalloc-costly-order", f.path("ruleId").asText());
    assertEquals("warning", f.path("severity").asText());
    assertTrue(f.path("message").asText().contains("32 KiB"), f::toString); // 4 KiB << 3
  }

  @Test
  void legacy128kMakesItAnError() {
    JsonNode f = onlyFinding("--target", "legacy-128k");
    assertEquals("kmalloc-size-limit", f.path("ruleId").asText());
    assertEquals("error", f.path("severity").asText());
    assertTrue(f.path("message").asText().contains("128 KiB"), f::toString);
  }

  @Test
  void pageSizeAndMaxOrderOverridesChangeTheLimits() {
    JsonNode json =
        Cli.check(tmp, List.of("-f", "json", "--page-size", "16384", "--max-order", "11"), file)
            .json();
    JsonNode target = json.path("target");
    assertEquals(16384, target.path("pageSize").asLong());
    assertEquals(11, target.path("maxOrder").asInt());
    assertEquals(16384L << 11, target.path("kmallocMaxSize").asLong());
    // 200 KiB is above the costly limit of 16 KiB << 3 = 128 KiB, far below the 32 MiB maximum.
    JsonNode f = onlyFinding("--page-size", "16384", "--max-order", "11");
    assertEquals("kmalloc-costly-order", f.path("ruleId").asText());
    String message = f.path("message").asText();
    assertTrue(message.contains("128 KiB") && !message.contains("32 KiB"), message);

    // The same overrides move a 8 MiB request from "always fails" to "costly".
    Path big =
        CFiles.write(
            tmp,
            "big.c",
            "void *big_alloc(void)",
            "{",
            "\treturn kmalloc(SZ_8M, GFP_KERNEL);",
            "}");
    Cli.Run x86 = Cli.check(tmp, List.of(), big).expectCode(1);
    assertTrue(
        x86.out().contains("[kmalloc-size-limit]") && x86.out().contains("4 MiB"), x86.out());
    Cli.Run large =
        Cli.check(tmp, List.of("--page-size", "16384", "--max-order", "11"), big).expectCode(1);
    assertTrue(large.out().contains("[kmalloc-costly-order]"), large.out());
    assertFalse(large.out().contains("[kmalloc-size-limit]"), large.out());
  }

  @Test
  void rulesListsTheRegisteredRulesAndTheSuppressionMetaRules() {
    Cli.Run r = Cli.run("rules").expectCode(0);
    List<String> listed = r.outLines().stream().map(l -> l.split("\\s+", 2)[0]).toList();
    List<String> expected =
        new ArrayList<>(RuleRegistry.load().stream().map(x -> x.info().id()).toList());
    assertFalse(expected.isEmpty());
    // The ids explain and .kmodcheck.json accept, each explained.
    expected.addAll(List.of("invalid-suppression", "unused-suppression"));
    assertEquals(expected, listed);
    for (String id : listed) Cli.run("explain", id).expectCode(0);
    // The configuration schema offers editors exactly these ids.
    try (var in = Main.class.getResourceAsStream("/dev/kmodcheck/config/kmodcheck.schema.json")) {
      JsonNode rules =
          Cli.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .path("properties")
              .path("rules")
              .path("properties");
      List<String> offered = new ArrayList<>();
      rules.fieldNames().forEachRemaining(offered::add);
      assertEquals(new TreeSet<>(expected), new TreeSet<>(offered));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void explainPrintsTheRuleDocumentation() throws Exception {
    Cli.Run r = Cli.run("explain", "kmalloc-size-limit").expectCode(0);
    assertTrue(r.out().startsWith("# kmalloc-size-limit\n"), r.out());
    String doc =
        Files.readString(
            Cli.REPO.resolve("docs/rules/kmalloc-size-limit.md"), StandardCharsets.UTF_8);
    assertEquals(doc.strip(), r.out().strip());
  }
}
