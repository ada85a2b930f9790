package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildAwareTest {

  @TempDir Path dir;

  private void tree() throws Exception {
    Files.createDirectories(dir.resolve("include/linux"));
    Files.createDirectories(dir.resolve("drivers/foo"));
    Files.writeString(
        dir.resolve("include/linux/fake.h"),
        """
        #ifndef FAKE_H
        #define FAKE_H
        #define my_lock(l, f) do { f = raw_lock_save(l); } while (0)
        struct fake { int a; long b[BUF_LEN]; };
        static inline int fake_helper(int x) { return x + 1; }
        #endif
        """);
    Files.writeString(dir.resolve("drivers/foo/forced.h"), "#define FORCED_VALUE 42\n");
    Files.writeString(
        dir.resolve("drivers/foo/foo.c"),
        """
        #include <linux/fake.h>
        #include <linux/missing.h>
        int use(int *l)
        {
        	unsigned long f;
        	my_lock(l, f);
        	return sizeof(struct fake) + FORCED_VALUE + GFP_KERNEL_IS_UNDEFINED_HERE;
        }
        """);
  }

  @Test
  void compileCommandsBothFormsAndRelativePaths() throws Exception {
    tree();
    Path json = dir.resolve("compile_commands.json");
    Files.writeString(
        json,
        """
        [
          {"directory": "%1$s", "file": "drivers/foo/foo.c",
           "arguments": ["gcc", "-Iinclude", "-D", "BUF_LEN=4", "-UOLD", "-include",
                         "drivers/foo/forced.h", "-isystem", "/usr/inc", "-iquote", "q",
                         "-c", "drivers/foo/foo.c"]},
          {"directory": "%1$s", "file": "drivers/foo/foo.c",
           "command": "gcc -I include -DBUF_LEN=4 -DNAME='\\"x y\\"' -includedrivers/foo/forced.h -c drivers/foo/foo.c"}
        ]
        """
            .formatted(dir));
    List<CompileCommand> cmds = CompileCommands.read(json);
    assertEquals(2, cmds.size());
    for (CompileCommand c : cmds) {
      assertEquals(dir.resolve("drivers/foo/foo.c"), c.file());
      assertEquals(List.of(dir.resolve("include")), c.includes());
      assertEquals("4", c.defines().get("BUF_LEN"));
      assertEquals(List.of(dir.resolve("drivers/foo/forced.h")), c.forcedIncludes());
    }
    assertTrue(cmds.get(0).defines().containsKey("OLD"));
    assertNull(cmds.get(0).defines().get("OLD"));
    assertEquals(List.of(Path.of("/usr/inc")), cmds.get(0).systemIncludes());
    assertEquals(List.of(dir.resolve("q")), cmds.get(0).quoteIncludes());
    assertEquals("\"x y\"", cmds.get(1).defines().get("NAME"));
  }

  @Test
  void malformedDatabasesAreBadInput() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[ {\"directory\": \"/x\", \"file\": ");
    BadInputException e = assertThrows(BadInputException.class, () -> CompileCommands.read(bad));
    assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    Files.writeString(bad, "[{\"file\": \"a.c\", \"command\": \"gcc\"}, {\"command\": \"gcc\"}]");
    e = assertThrows(BadInputException.class, () -> CompileCommands.read(bad));
    assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
    Files.writeString(bad, "[{\"file\": \"a.c\", \"command\": \"gcc '-Iunclosed\"}]");
    e = assertThrows(BadInputException.class, () -> CompileCommands.read(bad));
    assertTrue(e.getMessage().contains("entry 0"), e.getMessage());
  }

  @Test
  void parsesWithRealHeadersDefinesAndForcedIncludes() throws Exception {
    tree();
    CompileCommand cmd =
        CompileCommands.fromArgs(
            dir.resolve("drivers/foo/foo.c"),
            dir,
            List.of("gcc", "-Iinclude", "-DBUF_LEN=4", "-include", "drivers/foo/forced.h"));
    Frontend fe = new Frontend(Target.defaultTarget());
    TranslationUnit tu =
        fe.parse(new SourceInput(dir.resolve("drivers/foo/foo.c"), "drivers/foo/foo.c", cmd));
    // The one missing header is reported (it would silently drop macros and types otherwise).
    assertEquals(1, tu.problems().size(), tu.problems().toString());
    assertEquals("include not found: linux/missing.h", tu.problems().get(0).message());
    assertEquals(2, tu.problems().get(0).range().line());
    StructDef fake =
        tu.structs().stream().filter(s -> s.tag().equals("fake")).findFirst().orElseThrow();
    assertEquals("include/linux/fake.h", fake.range().file());
    Expr.IntLit len =
        assertInstanceOf(Expr.IntLit.class, ((CType.Array) fake.fields().get(1).type()).length());
    assertEquals(BigInteger.valueOf(4), len.value());
    assertEquals("BUF_LEN", len.macro());
    FunctionDef helper =
        tu.functions().stream()
            .filter(f -> f.name().equals("fake_helper"))
            .findFirst()
            .orElseThrow();
    assertEquals("include/linux/fake.h", helper.range().file());
    FunctionDef use =
        tu.functions().stream().filter(f -> f.name().equals("use")).findFirst().orElseThrow();
    Expr.Call lock = FrontendTestSupport.calls(use).get(0);
    assertEquals("raw_lock_save", lock.calleeName());
    assertEquals("my_lock", lock.macro());
    assertEquals(6, lock.range().line());
    // The shim is not used in this mode: GFP_KERNEL-like names stay unresolved identifiers.
    boolean[] forced = new boolean[1];
    FrontendTestSupport.walk(
        use.body(),
        e -> {
          if (e instanceof Expr.IntLit i && "FORCED_VALUE".equals(i.macro())) {
            forced[0] = i.value().intValue() == 42;
          }
        },
        s -> {});
    assertTrue(forced[0], "forced include macro expanded");

    // A second unit reuses the cached header and still sees it.
    TranslationUnit again =
        fe.parse(
            new SourceInput(
                dir.resolve("drivers/foo/foo.c"),
                "drivers/foo/foo.c",
                new CompileCommand(
                    cmd.file(),
                    cmd.directory(),
                    List.of(),
                    cmd.includes(),
                    List.of(),
                    Map.of("BUF_LEN", "8"),
                    cmd.forcedIncludes())));
    StructDef fake2 =
        again.structs().stream().filter(s -> s.tag().equals("fake")).findFirst().orElseThrow();
    assertEquals(
        BigInteger.valueOf(8),
        ((Expr.IntLit) ((CType.Array) fake2.fields().get(1).type()).length()).value());
  }
}
