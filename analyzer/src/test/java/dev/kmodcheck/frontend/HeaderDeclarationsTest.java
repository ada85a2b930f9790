package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kmodcheck.facts.Target;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A module header's declarations are translated once, yet each unit sees its own meaning. */
class HeaderDeclarationsTest {

  @TempDir Path dir;

  private static final String HEADER =
      """
      #ifndef FOO_H
      #define FOO_H
      struct foo_regs {
      \tu32 ctrl;
      #ifdef FOO_DEBUG
      \tu32 debug[16];
      #endif
      };
      struct foo_ring {
      \tu8 slots[FOO_RING_LEN];
      };
      struct foo_plain {
      \tu64 a, b;
      };
      int foo_start(struct foo_ring *ring);
      #endif
      """;

  private TranslationUnit parse(Frontend fe, String name, String code) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, code);
    return fe.parse(new SourceInput(file, name, null));
  }

  private static StructDef struct(TranslationUnit tu, String tag) {
    return tu.structs().stream().filter(s -> s.tag().equals(tag)).findFirst().orElseThrow();
  }

  private static BigInteger ringLength(TranslationUnit tu) {
    CType.Array slots = (CType.Array) struct(tu, "foo_ring").fields().get(0).type();
    return ((Expr.IntLit) slots.length()).value();
  }

  @Test
  void eachUnitSeesTheMembersAndSizesItsOwnMacrosSelect() throws IOException {
    Files.writeString(dir.resolve("foo.h"), HEADER);
    Frontend fe = new Frontend(Target.defaultTarget());
    TranslationUnit plain =
        parse(fe, "a.c", "#define FOO_RING_LEN 8\n#include \"foo.h\"\nint a;\n");
    TranslationUnit debug =
        parse(
            fe,
            "b.c",
            "#define FOO_DEBUG\n#define FOO_RING_LEN 32\n#include \"foo.h\"\nint b;\n");
    TranslationUnit again =
        parse(fe, "c.c", "#define FOO_RING_LEN 8\n#include \"foo.h\"\nint c;\n");

    assertEquals(1, struct(plain, "foo_regs").fields().size());
    assertEquals(2, struct(debug, "foo_regs").fields().size());
    assertEquals(1, struct(again, "foo_regs").fields().size());
    assertEquals(BigInteger.valueOf(8), ringLength(plain));
    assertEquals(BigInteger.valueOf(32), ringLength(debug));
    assertEquals(BigInteger.valueOf(8), ringLength(again));
    // Reused, not re-translated: the very same objects in both units.
    assertSame(struct(plain, "foo_plain"), struct(again, "foo_plain"));
    assertEquals(1, again.declarations().stream().filter(d -> d.name().equals("foo_start")).count());
  }

  @Test
  void declarationsOfOneMacroExpansionAreNotMistakenForEachOther() throws IOException {
    Files.writeString(
        dir.resolve("regs.h"),
        "#define THREE_REGS extern int reg_a; extern int reg_b; extern int reg_c;\nTHREE_REGS\n");
    Frontend fe = new Frontend(Target.defaultTarget());
    for (String name : new String[] {"a.c", "b.c"}) {
      TranslationUnit tu = parse(fe, name, "#include \"regs.h\"\nint x;\n");
      assertEquals(
          java.util.List.of("reg_a", "reg_b", "reg_c", "x"),
          tu.globals().stream().map(dev.kmodcheck.ir.VarDecl::name).toList(),
          name);
    }
  }
}
