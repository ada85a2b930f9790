package dev.kmodcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.summarize.BuildArchesTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmodcheck summarize} on the test tree (resources archtree/): of the two exported {@code
 * map_io()} definitions, x86's answers, not the one of lib/indirect_map.c that only arch/um
 * selects; and the architecture is recorded so that another architecture's caller gets neither.
 */
class SummarizeArchTest {

  @TempDir Path tmp;

  private KernelSummaries summarize() throws Exception {
    Path out = tmp.resolve("archtree.tsv");
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new String[] {
              "summarize",
              BuildArchesTest.tree().toString(),
              "--label",
              "9.0",
              "-j",
              "1",
              "-o",
              out.toString()
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            List.of());
    assertEquals(0, code, err::toString);
    return KernelSummaries.choose(out.toString());
  }

  private static String chainText(KernelSummaries.Chain c) {
    StringBuilder sb = new StringBuilder();
    for (KernelSummaries.Call call : c.calls()) {
      sb.append(call.callee())
          .append('@')
          .append(call.file())
          .append(':')
          .append(call.line())
          .append(' ');
    }
    return sb.append(c.api())
        .append('@')
        .append(c.file())
        .append(':')
        .append(c.line())
        .append(" arch=")
        .append(c.arch())
        .toString();
  }

  @Test
  void theTargetArchitecturesDefinitionAnswers() throws Exception {
    KernelSummaries s = summarize();
    assertEquals("x86", s.header().get("arch"));
    KernelSummaries.Function mapIo = s.lookup("map_io", 2);
    assertNotNull(mapIo);
    assertEquals("arch/x86/mm/map.c", mapIo.file());
    assertEquals("x86", mapIo.arch());
    assertEquals(
        List.of("map_area_get@arch/x86/mm/map.c:18 kzalloc@arch/x86/mm/map.c:7 arch=x86"),
        mapIo.chains().stream().map(SummarizeArchTest::chainText).toList());
    // lib/'s own caller is linked with x86's map_io(), not with its directory's UML one.
    KernelSummaries.Function regionMap = s.lookup("region_map", 2);
    assertEquals(
        List.of(
            "map_io@lib/map_helpers.c:10 map_area_get@arch/x86/mm/map.c:18"
                + " kzalloc@arch/x86/mm/map.c:7 arch=x86"),
        regionMap.chains().stream().map(SummarizeArchTest::chainText).toList());
    assertEquals(null, regionMap.arch());
    KernelSummaries.Function table = s.lookup("region_table", 1);
    assertEquals(
        List.of("kmalloc_array@lib/map_helpers.c:17 arch=null"),
        table.chains().stream().map(SummarizeArchTest::chainText).toList());
  }

  @Test
  void anotherArchitecturesCallerGetsGenericChainsOnly() throws Exception {
    KernelSummaries s = summarize();
    String mips = "arch/mips/kernel/setup.c";
    assertNull(s.lookup("map_io", 2, mips), "x86's own definition is not mips's");
    assertEquals(
        List.of(),
        s.lookup("region_map", 2, mips).chains(),
        "a generic function's chain through x86's map_io() is not mips's");
    assertEquals(1, s.lookup("region_table", 1, mips).chains().size());
    // x86 callers, generic callers and callers outside a kernel layout keep everything.
    for (String file : List.of("arch/x86/kernel/a.c", "drivers/demo/demo.c", "mydrv.c")) {
      assertNotNull(s.lookup("map_io", 2, file), file);
      assertEquals(1, s.lookup("region_map", 2, file).chains().size(), file);
    }
    assertTrue(s.lookup("map_io", 2, "arch/x86/um/x.c") == null, "UML on an x86 host is um");
  }
}
