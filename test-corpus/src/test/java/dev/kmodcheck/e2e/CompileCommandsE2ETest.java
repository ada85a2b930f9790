package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --compile-commands}: the size of the allocation is only knowable through a header found by
 * the entry's {@code -I}, so a finding proves that build-aware parsing resolved it.
 */
class CompileCommandsE2ETest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path tmp;
  private Path drv;
  private int kmallocLine;

  @BeforeEach
  void writeTree() {
    // Build-aware mode has no shim: the header declares what the driver uses, as kernel headers
    // would. 65536 descriptors of 128 bytes are 8 MiB, twice KMALLOC_MAX_SIZE on x86_64.
    CFiles.write(
        tmp,
        "include/mydefs.h",
        "#ifndef _MYDEFS_H",
        "#define _MYDEFS_H",
        "typedef unsigned long size_t;",
        "typedef unsigned int gfp_t;",
        "#define GFP_KERNEL\t((gfp_t)0xcc0u)",
        "void *kmalloc(size_t size, gfp_t flags);",
        "",
        "#define MYDRV_NR_DESC\t65536",
        "",
        "struct mydrv_desc {",
        "\tunsigned long long addr;",
        "\tunsigned int len;",
        "\tunsigned int flags;",
        "\tunsigned char pad[112];",
        "};",
        "#endif");
    drv =
        CFiles.write(
            tmp,
            "drv.c",
            "#include \"mydefs.h\"",
            "",
            "void *mydrv_ring_alloc(void)",
            "{",
            "\treturn kmalloc(MYDRV_NR_DESC * sizeof(struct mydrv_desc), GFP_KERNEL);",
            "}");
    kmallocLine = CFiles.lineOf(drv, "kmalloc(MYDRV");
  }

  private Path database(String name, ObjectNode entry) throws Exception {
    entry.put("directory", tmp.toString());
    entry.put("file", "drv.c");
    ArrayNode db = MAPPER.createArrayNode().add(entry);
    return Files.writeString(
        tmp.resolve(name), MAPPER.writeValueAsString(db), StandardCharsets.UTF_8);
  }

  private void assertSizeLimitFinding(Path db) {
    JsonNode json =
        Cli.check(tmp, List.of("-f", "json", "--compile-commands", db.toString()), tmp)
            .expectCode(1)
            .json();
    JsonNode findings = json.path("findings");
    assertEquals(1, findings.size(), findings::toString);
    JsonNode f = findings.get(0);
    assertEquals("kmalloc-size-limit", f.path("ruleId").asText());
    assertEquals("drv.c", f.path("file").asText());
    assertEquals(kmallocLine, f.path("line").asInt());
    assertTrue(f.path("message").asText().contains("8388608"), f::toString);
    assertEquals(0, json.path("stats").path("parseProblems").asInt(), json::toString);
  }

  @Test
  void argumentsFormWithRelativeIncludePath() throws Exception {
    ObjectNode entry = MAPPER.createObjectNode();
    entry.putArray("arguments").add("gcc").add("-Iinclude").add("-O2").add("-c").add("drv.c");
    assertSizeLimitFinding(database("compile_commands.json", entry));
  }

  @Test
  void commandFormWithSeparateAbsoluteIncludePath() throws Exception {
    ObjectNode entry = MAPPER.createObjectNode();
    String inc = tmp.resolve("include").toString().replace("'", "'\\''");
    entry.put("command", "gcc -I '" + inc + "' -DMODULE -c -o drv.o drv.c");
    assertSizeLimitFinding(database("cc-command.json", entry));
  }

  @Test
  void aNamedFileTheDatabaseDoesNotBuildIsNamed() throws Exception {
    ObjectNode entry = MAPPER.createObjectNode();
    entry.putArray("arguments").add("gcc").add("-Iinclude").add("-c").add("drv.c");
    Path db = database("compile_commands.json", entry);
    Path extra = CFiles.write(tmp, "extra.c", "int extra(void)", "{", "\treturn 0;", "}");
    Cli.Run r =
        Cli.check(tmp, List.of("-f", "json", "--compile-commands", db.toString()), drv, extra)
            .expectCode(1);
    assertEquals(1, r.json().path("findings").size(), r.out());
    JsonNode note = r.json().path("notifications").get(0);
    assertEquals("not-in-compile-commands", note.path("kind").asText(), r.out());
    assertEquals("extra.c", note.path("location").path("file").asText(), r.out());
    assertTrue(
        r.err().contains("warning: extra.c: not scanned: no entry in compile_commands.json"),
        r.err());
    // Only files nobody builds: nothing to scan is no error, and the warning says why.
    Cli.Run none =
        Cli.check(tmp, List.of("--compile-commands", db.toString()), extra).expectCode(0);
    assertTrue(none.err().contains("extra.c: not scanned"), none.err());
  }

  @Test
  void headerlessModeCannotSeeTheHeaderUnderInclude() {
    // Without the database only headers next to the .c file are read; include/ is not searched,
    // so the size is unknown and nothing may be reported (unknown is never guessed).
    Cli.Run r = Cli.check(tmp, List.of("-f", "json"), drv).expectCode(0);
    assertEquals(0, r.json().path("findings").size(), r.out());
  }
}
