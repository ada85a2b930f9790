package dev.kmodcheck.facts.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramTest {
  private static final Frontend FRONTEND = new Frontend(Target.defaultTarget());

  @TempDir Path dir;

  private TranslationUnit parse(String rel, String code) throws IOException {
    Path file = dir.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.writeString(file, code);
    return FRONTEND.parse(new SourceInput(file, rel, null));
  }

  private void write(String rel, String code) throws IOException {
    Path file = dir.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.writeString(file, code);
  }

  private static FunctionRef fn(Program p, String file, String name) {
    return p.functions().stream()
        .filter(f -> f.name().equals(name) && f.file().equals(file))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + file));
  }

  private static List<String> names(List<CallSite> sites) {
    return sites.stream().map(CallSite::name).toList();
  }

  @Test
  void staticFunctionsResolveWithinTheirUnitOnly() throws IOException {
    TranslationUnit a =
        parse(
            "drv/a.c",
            "static int helper(int x) { return x + 1; }\n"
                + "int shared(int x) { return helper(x); }\n"
                + "int use_a(void) { return helper(1) + other(2); }\n");
    TranslationUnit b =
        parse(
            "drv/b.c",
            "static int helper(int x) { return x * 2; }\n"
                + "int other(int x) { return shared(x) + helper(x); }\n"
                + "int use_b(void) { return helper(3); }\n");
    Program p = new Program(List.of(b, a));

    assertEquals(List.of("drv/a.c", "drv/b.c"), p.units().stream().map(u -> u.file()).toList());
    FunctionRef useA = fn(p, "drv/a.c", "use_a");
    FunctionRef useB = fn(p, "drv/b.c", "use_b");
    assertSame(fn(p, "drv/a.c", "helper"), p.resolve(useA, "helper"));
    assertSame(fn(p, "drv/b.c", "helper"), p.resolve(useB, "helper"));
    assertSame(fn(p, "drv/b.c", "other"), p.resolve(useA, "other"));
    assertSame(fn(p, "drv/a.c", "shared"), p.resolve(useB, "shared"));
    assertNull(p.resolve(useA, "kmalloc"));
    assertEquals(List.of(fn(p, "drv/b.c", "other")), p.byName("other"));
    assertEquals(List.of(), p.byName("helper"));

    List<String> callers =
        p.callersOf(fn(p, "drv/a.c", "helper")).stream().map(s -> s.caller().name()).toList();
    assertEquals(List.of("shared", "use_a"), callers);
    assertEquals(
        List.of("other"),
        p.callersOf(fn(p, "drv/a.c", "shared")).stream().map(s -> s.caller().name()).toList());
  }

  @Test
  void callSitesInSourceOrderIncludingNestedCalls() throws IOException {
    TranslationUnit a =
        parse(
            "n.c",
            "struct dev { int (*op)(int); };\n"
                + "static int g(int x) { return x; }\n"
                + "int f(struct dev *d, int (*cb)(int)) {\n"
                + "  int local = g(h(1));\n"
                + "  if (check(local)) { local += ({ int t = inner(2); t; }); }\n"
                + "  while (more(local)) local--;\n"
                + "  for (init(); cond(); step()) body();\n"
                + "  local += cb(3) + d->op(4);\n"
                + "  local += sizeof(unevaluated(5));\n"
                + "  return outer(g(local), last());\n"
                + "}\n");
    Program p = new Program(List.of(a));
    FunctionRef f = fn(p, "n.c", "f");
    assertEquals(
        List.of(
            "g", "h", "check", "inner", "more", "init", "cond", "step", "body", "outer", "g",
            "last"),
        names(p.callSites(f)));
    assertSame(p.callSites(f), p.callSites(f));
    assertEquals(
        List.of("f", "f"),
        p.callersOf(fn(p, "n.c", "g")).stream().map(s -> s.caller().name()).toList());
  }

  @Test
  void macroProducedCallsUseTheCalleeOrMacroName() throws IOException {
    TranslationUnit a =
        parse(
            "m.c",
            "#define DO_LOCK(l) real_lock(l)\n"
                + "#define SAFE(x) ({ int __v = compute(x); __v; })\n"
                + "int f(int *l) { DO_LOCK(l); return SAFE(1); }\n");
    Program p = new Program(List.of(a));
    List<CallSite> sites = p.callSites(fn(p, "m.c", "f"));
    assertEquals(List.of("real_lock", "compute"), names(sites));
    assertEquals("DO_LOCK", sites.get(0).call().macro());
  }

  @Test
  void moduleHeaderFunctionsAreListedOnceAndResolveToTheCallersCopy() throws IOException {
    write(
        "m/common.h",
        "static inline int hdr_helper(int x) { return x + 7; }\n" + "int hdr_api(int x);\n");
    TranslationUnit a =
        parse("m/a.c", "#include \"common.h\"\nint fa(void) { return hdr_helper(1); }\n");
    TranslationUnit b =
        parse("m/b.c", "#include \"common.h\"\nint fb(void) { return hdr_helper(2); }\n");
    Program p = new Program(List.of(b, a));

    List<FunctionRef> helpers =
        p.functions().stream().filter(f -> f.name().equals("hdr_helper")).toList();
    assertEquals(1, helpers.size());
    FunctionRef listed = helpers.get(0);
    assertEquals("m/common.h", listed.file());
    assertSame(a, listed.unit());

    FunctionRef fromB = p.resolve(fn(p, "m/b.c", "fb"), "hdr_helper");
    assertNotNull(fromB);
    assertSame(b, fromB.unit());
    assertSame(listed, p.canonical(fromB));
    assertSame(listed, p.resolve(fn(p, "m/a.c", "fa"), "hdr_helper"));
    assertEquals(
        List.of("fa", "fb"), p.callersOf(fromB).stream().map(s -> s.caller().name()).toList());
  }

  @Test
  void sameNamedGlobalsPreferTheNearestDirectory() throws IOException {
    TranslationUnit x1 = parse("drivers/x/core.c", "int setup(void) { return 1; }\n");
    TranslationUnit x2 = parse("drivers/x/main.c", "int go(void) { return setup(); }\n");
    TranslationUnit y1 = parse("drivers/y/core.c", "int setup(void) { return 2; }\n");
    TranslationUnit y2 = parse("drivers/y/main.c", "int go2(void) { return setup(); }\n");
    Program p = new Program(List.of(y2, x1, y1, x2));
    assertEquals(2, p.byName("setup").size());
    assertSame(
        fn(p, "drivers/x/core.c", "setup"), p.resolve(fn(p, "drivers/x/main.c", "go"), "setup"));
    assertSame(
        fn(p, "drivers/y/core.c", "setup"), p.resolve(fn(p, "drivers/y/main.c", "go2"), "setup"));
  }

  @Test
  void functionsAreSortedByFileThenLineAndOnlyDefinitions() throws IOException {
    TranslationUnit b =
        parse("b.c", "int z(void);\nint y(void) { return 0; }\nint x(void) { return z(); }\n");
    TranslationUnit a = parse("a.c", "int w(void) { return 0; }\n");
    Program p = new Program(List.of(b, a));
    List<String> got = new ArrayList<>();
    for (FunctionRef f : p.functions()) got.add(f.file() + ":" + f.name());
    assertEquals(List.of("a.c:w", "b.c:y", "b.c:x"), got);
    assertNull(p.resolve(fn(p, "b.c", "x"), "z"));
  }
}
