package dev.kmodcheck.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kmodcheck.kernel.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The published schema says what the loader accepts: the same keys, columns and values. */
class ConfigSchemaTest {

  private final JsonNode schema = ConfigSchema.get().tree();

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  @Test
  void targetsAreTheProfiles() {
    assertEquals(
        List.copyOf(Target.profiles().keySet()),
        texts(schema.path("properties").path("target").path("enum")));
  }

  @Test
  void knowledgeTablesColumnsAndValuesAreTheLoaders() {
    JsonNode tables = schema.path("properties").path("knowledge").path("properties");
    assertEquals(
        new TreeSet<>(KnowledgeRows.specs().keySet()), new TreeSet<>(texts(iterableNames(tables))));
    for (Map.Entry<String, KnowledgeRows.Spec> e : KnowledgeRows.specs().entrySet()) {
      JsonNode row = tables.path(e.getKey()).path("items");
      List<String> required = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (KnowledgeRows.Column c : e.getValue().columns()) {
        names.add(c.name());
        if (c.required()) required.add(c.name());
        if (c.known() == null) continue;
        JsonNode col = row.path("properties").path(c.name());
        JsonNode values =
            c.joiner() == null
                ? col.path("enum")
                : col.path("oneOf").get(1).path("items").path("enum");
        assertEquals(c.known(), texts(values), e.getKey() + "." + c.name());
      }
      assertEquals(
          new TreeSet<>(names),
          new TreeSet<>(texts(iterableNames(row.path("properties")))),
          e.getKey());
      assertEquals(new TreeSet<>(required), new TreeSet<>(texts(row.path("required"))), e.getKey());
    }
  }

  private static JsonNode iterableNames(JsonNode object) {
    var out = JsonNodeFactory.instance.arrayNode();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static String error(String json) throws Exception {
    try {
      ConfigSchema.get().check(new ObjectMapper().readTree(json));
      return "valid";
    } catch (ConfigError e) {
      return e.key() + ": " + e.getMessage();
    }
  }

  /** Each kind of violation reads as the hand-written checks did: the key, then what is wrong. */
  @Test
  void violationsNameTheKeyAndWhatIsWrong() throws Exception {
    assertEquals("valid", error("{\"$schema\": \"x\", \"rules\": {\"stack-dma\": \"off\"}}"));
    assertEquals(
        "knowledge.atomicApis[0].kinds: must be a string or an array",
        error(
            "{\"knowledge\": {\"atomicApis\": [{\"name\": \"x\", \"effect\": \"ENTER\","
                + " \"kinds\": 5}]}}"));
    assertEquals(
        "knowledge.atomicApis[0].kinds[1]: unknown value 'SPIN' (known: SPINLOCK, RAW_SPINLOCK,"
            + " RWLOCK, SEQLOCK, BIT_SPINLOCK, LOCAL_LOCK, IRQS_OFF, BH_OFF, PREEMPT_OFF, RCU_READ,"
            + " HARDIRQ, SOFTIRQ, ATOMIC_CALLBACK, XMIT, SHUTDOWN_HANDLER, CALLER_HELD)",
        error(
            "{\"knowledge\": {\"atomicApis\": [{\"name\": \"x\", \"effect\": \"ENTER\","
                + " \"kinds\": [\"SPINLOCK\", \"SPIN\"]}]}}"));
    assertEquals(
        "failOn: unknown value 1 (known: error, warning, note, none)", error("{\"failOn\": 1}"));
    assertEquals("(top level): must be an object", error("[]"));
    assertEquals("exclude: must be an array", error("{\"exclude\": \"gen\"}"));
    assertEquals(
        "unknown: unknown key (known: version, target, pageSize, maxOrder, failOn,"
            + " exclude, rules, knowledge, parse)",
        error("{\"unknown\": 1}"));
  }
}
