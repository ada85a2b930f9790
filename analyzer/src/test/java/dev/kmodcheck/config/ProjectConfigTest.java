package dev.kmodcheck.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.SleepApis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading .kmodcheck.json into rules settings, excludes and extended kernel tables. */
class ProjectConfigTest {

  @TempDir Path tmp;

  private ProjectConfig load(String json) throws Exception {
    Path f = Files.writeString(tmp.resolve(".kmodcheck.json"), json);
    return ProjectConfig.load(f, List.of("kmalloc-size-limit", "sleep-in-atomic"));
  }

  @Test
  void knowledgeRowsExtendEveryTableWithoutChangingTheShippedOnes() throws Exception {
    ProjectConfig c =
        load(
            """
            {"knowledge": {
              "allocApis": [{"name": "fw_buf_alloc", "size": 1, "gfp": 2, "family": "VMALLOC"}],
              "sleepApis": [{"name": "fw_wait_idle", "arity": 1}],
              "dmaSinks": [{"name": "fw_post_buffer", "args": [1]}],
              "earlyBoot": [{"name": "board_early_setup"},
                            {"form": "field", "name": "board_ops", "where": "irq.init"}]
            }}
            """);
    KernelKnowledge k = c.knowledge();
    AllocApi alloc = k.allocApis().alloc("fw_buf_alloc", 3);
    assertEquals(AllocApi.Family.VMALLOC, alloc.family());
    assertEquals(List.of(1), alloc.sizeArgs());
    assertEquals(2, alloc.gfpArg());
    assertNotNull(k.allocApis().alloc("kmalloc", 2), "shipped rows stay");
    SleepApis.Api sleep = k.sleepApis().lookup("fw_wait_idle", 1);
    assertEquals(SleepApis.Condition.ALWAYS, sleep.condition());
    assertNull(k.sleepApis().lookup("fw_wait_idle", 2), "arity is honoured");
    assertNotNull(k.sleepApis().lookup("fw_buf_alloc", 3), "a vmalloc wrapper sleeps");
    assertEquals(List.of(1), k.dmaSinks().call("fw_post_buffer", 2).args());
    assertTrue(
        k.extraRows(KernelKnowledge.Table.SLEEP)
            .get(0)
            .endsWith(".kmodcheck.json knowledge.sleepApis[0]"));
    assertTrue(k.earlyBoot().names("board_early_setup") && k.earlyBoot().names("board_ops"));
    assertTrue(k.earlyBoot().names("setup_arch"), "shipped rows stay");
    assertNull(KernelKnowledge.builtin().allocApis().alloc("fw_buf_alloc", 3), "no global state");
    assertTrue(!KernelKnowledge.builtin().earlyBoot().names("board_early_setup"));
  }

  @Test
  void noKnowledgeKeepsTheShippedInstances() throws Exception {
    assertSame(KernelKnowledge.builtin(), load("{\"knowledge\": {}}").knowledge());
  }

  @Test
  void excludeGlobsAreRelativeToTheFileAndCoverDirectories() throws Exception {
    ProjectConfig c = load("{\"exclude\": [\"gen\", \"**/*_test.c\"]}");
    assertTrue(c.excluded().test(tmp.resolve("gen/a/b.c")));
    assertTrue(c.excluded().test(tmp.resolve("drv/x_test.c")));
    assertTrue(!c.excluded().test(tmp.resolve("drv/x.c")));
    assertTrue(!c.excluded().test(tmp.getParent().resolve("gen/b.c")), "outside the project");
  }

  @Test
  void ruleSettings() throws Exception {
    ProjectConfig c =
        load("{\"rules\": {\"kmalloc-size-limit\": \"off\", \"sleep-in-atomic\": \"warning\"}}");
    assertTrue(!c.enabled("kmalloc-size-limit"));
    assertEquals("WARNING", c.severity("sleep-in-atomic").orElseThrow().name());
    assertTrue(c.severity("kmalloc-size-limit").isEmpty());
  }

  @Test
  void errorsNameFileAndKey() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                load(
                    "{\"knowledge\": {\"sleepApis\": [{\"name\": \"x\", \"condition\": \"SOMETIMES\"}]}}"));
    assertTrue(
        e.getMessage()
            .endsWith(
                ".kmodcheck.json: knowledge.sleepApis[0].condition: unknown value 'SOMETIMES' (known:"
                    + " ALWAYS, UNLESS_IN_INTERRUPT, IRQS_OFF_OR_IN_INTERRUPT, BESIDES_RCU, BESIDES_IRQS_OFF, UNLESS_SHUTTING_DOWN, UNCERTAIN,"
                    + " NEVER)"),
        e.getMessage());
    BadInputException arity =
        assertThrows(
            BadInputException.class,
            () -> load("{\"knowledge\": {\"allocApis\": [{\"name\": \"x\", \"gfp\": \"two\"}]}}"));
    assertTrue(
        arity.getMessage().contains("knowledge.allocApis[0].gfp: 'two' is not a 0-based"),
        arity.getMessage());
    BadInputException path =
        assertThrows(
            BadInputException.class,
            () ->
                load("{\"knowledge\": {\"earlyBoot\": [{\"name\": \"x\", \"where\": \"a..b\"}]}}"));
    assertTrue(
        path.getMessage()
            .contains("knowledge.earlyBoot[0].where: 'a..b' is not \"-\" or a field path"),
        path.getMessage());
    BadInputException field =
        assertThrows(
            BadInputException.class,
            () ->
                load(
                    "{\"knowledge\": {\"earlyBoot\": [{\"form\": \"field\", \"name\": \"ops\"}]}}"));
    assertTrue(
        field
            .getMessage()
            .contains("knowledge.earlyBoot[0].where: a field row needs the field path"),
        field.getMessage());
  }
}
