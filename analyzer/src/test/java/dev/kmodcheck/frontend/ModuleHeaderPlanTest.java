package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleHeaderPlanTest {

  @TempDir Path dir;

  private static String stripped(String code) {
    char[] out = FunctionBodies.strip(code.toCharArray());
    return out == null ? null : new String(out);
  }

  @Test
  void blanksFunctionBodiesKeepingOffsetsAndLines() {
    String code =
        """
        struct s { int a; };
        static inline int get(struct s *p)
        {
        	if (p->a) { return 1; } /* } */
        	return "}"[0];
        }
        #define M(x) { x }
        void (*pick(int k))(void) __attribute__((cold)) { return 0; }
        """;
    String out = stripped(code);
    assertEquals(code.length(), out.length());
    assertEquals(code.lines().count(), out.lines().count());
    assertTrue(out.startsWith("struct s { int a; };\nstatic inline int get(struct s *p)\n;"), out);
    assertTrue(out.contains("#define M(x) { x }"), out);
    assertTrue(out.contains("void (*pick(int k))(void) __attribute__((cold)) ;"), out);
    assertTrue(!out.contains("return"), out);
  }

  @Test
  void leavesRecordsInitializersAndUncertainTextAlone() {
    String records =
        """
        typedef struct __attribute__((packed)) { int a; } packed_t;
        enum e { A, B };
        static const int t[] = { 1, 2 };
        struct s x = { .a = 1 };
        """;
    assertEquals(records, stripped(records));
    // The branches open different numbers of braces: blanking could run past the function.
    assertNull(
        stripped(
            """
        static void f(int a)
        {
        #ifdef X
        	if (a) {
        #else
        	if (!a) {
        #endif
        	}
        }
        """));
    assertNull(stripped("static void f(void) { if (1) {"));
  }

  @Test
  void certainIncludesSkipConditionalOnesButNotTheGuard() {
    String header =
        """
        /* licence */
        #ifndef FOO_H
        #define FOO_H
        #include "a.h"
        #ifdef CONFIG_B
        #include "b.h"
        #endif
        /*
        #include "c.h"
        */
        # include "d.h" // comment
        #include <linux/e.h>
        #endif
        """;
    assertEquals(List.of("a.h", "d.h"), IncludeLines.unconditionalQuoted(header.toCharArray()));
    String notGuard =
        """
        #ifndef CONFIG_X
        #include "x.h"
        #endif
        #include "y.h"
        """;
    assertEquals(List.of("y.h"), IncludeLines.unconditionalQuoted(notGuard.toCharArray()));
    assertTrue(IncludeLines.isGuarded(header.toCharArray()));
    assertTrue(!IncludeLines.isGuarded(notGuard.toCharArray()));
  }

  private Path write(String rel, String code) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, code, StandardCharsets.UTF_8);
    return p;
  }

  private static long count(List<TranslationUnit> units, String fn) {
    return units.stream()
        .flatMap(u -> u.functions().stream())
        .map(FunctionDef::name)
        .filter(fn::equals)
        .count();
  }

  @Test
  void headerFunctionsAreTranslatedOnceByTheFirstCertainIncluder() throws IOException {
    write(
        "m/util.h",
        """
        #ifndef UTIL_H
        #define UTIL_H
        struct ring { int size; };
        static inline int ring_bytes(struct ring *r)
        {
        	return r->size * 64;
        }
        #endif
        """);
    write(
        "m/opt.h",
        """
        #pragma once
        static inline int opt_only(void)
        {
        	return 1;
        }
        """);
    // No guard: a template each includer may instantiate differently, so everyone parses it.
    write(
        "m/tmpl.h",
        """
        static inline int tmpl_fn(void)
        {
        	return 2;
        }
        """);
    String user =
        """
        #include "util.h"
        #ifdef CONFIG_OPT
        #include "opt.h"
        #endif
        #include "opt.h"
        #include "tmpl.h"
        int %s(struct ring *r)
        {
        	return ring_bytes(r) + sizeof(struct ring);
        }
        """;
    List<SourceInput> inputs = new ArrayList<>();
    for (String name : List.of("b", "a", "c")) {
      Path p = write("m/" + name + ".c", user.formatted("use_" + name));
      inputs.add(new SourceInput(p, "m/" + name + ".c", null));
    }
    Frontend fe = new Frontend(Target.defaultTarget());
    assertEquals(2, fe.planModuleHeaders(inputs));
    List<TranslationUnit> units = new ArrayList<>();
    for (SourceInput in : inputs) units.add(fe.parse(in));
    for (TranslationUnit u : units) assertTrue(u.problems().isEmpty(), u.problems().toString());
    assertEquals(1, count(units, "ring_bytes"));
    assertEquals(1, count(units, "opt_only"));
    assertEquals(3, count(units, "tmpl_fn"));
    // The owner is the first by report path, whatever the input order.
    TranslationUnit a = units.get(1);
    assertEquals("m/a.c", a.file());
    assertEquals(1, count(List.of(a), "ring_bytes"));
    // Others keep the prototype and the struct.
    TranslationUnit b = units.get(0);
    assertTrue(b.declarations().stream().anyMatch(d -> d.name().equals("ring_bytes")));
    assertTrue(b.structs().stream().anyMatch(s -> s.tag().equals("ring")));
    // The whole program links b's call through the header declaration to a's copy.
    Program program = new Program(units);
    FunctionRef target = program.resolveIn(b, "ring_bytes");
    assertEquals("m/util.h", target.def().nameRange().file());
    assertEquals(3, program.callersOf(target).size(), "callers in a, b and c");
    // Without a plan every unit parses the header in full, as before.
    Frontend plain = new Frontend(Target.defaultTarget());
    List<TranslationUnit> full = new ArrayList<>();
    for (SourceInput in : inputs) full.add(plain.parse(in));
    assertEquals(3, count(full, "ring_bytes"));
    // The owner, asked by header: the first certain includer only, nobody for a template.
    ModuleHeaderPlan plan = ModuleHeaderPlan.of(inputs, new HeaderCache());
    String util = dir.resolve("m/util.h").toString();
    assertTrue(plan.owns(util, dir.resolve("m/a.c").toString()));
    assertTrue(!plan.owns(util, dir.resolve("m/b.c").toString()));
    assertTrue(!plan.owns(dir.resolve("m/tmpl.h").toString(), dir.resolve("m/a.c").toString()));
  }
}
