package dev.kmodcheck.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmodcheck.kernel.AllocApi;
import dev.kmodcheck.kernel.AtomicApi;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.DmaSink;
import dev.kmodcheck.kernel.KernelKnowledge.Table;
import dev.kmodcheck.kernel.OriginKind;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.SleepCategory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code knowledge} section of {@code .kmodcheck.json}: each entry is one row of a shipped
 * table, written as a JSON object whose keys are that table's column names (see the header of each
 * .tsv and docs/config.md). This class turns an entry into the table's tab-separated row so the
 * table's own parser reads it; it checks each cell's notation first, so errors name the key.
 */
final class KnowledgeRows {

  private KnowledgeRows() {}

  /** How one column is written in JSON and what it may hold. */
  record Column(String name, String defaultValue, String joiner, List<String> known) {
    boolean required() {
      return defaultValue == null;
    }
  }

  /** One table: its config key, its columns in file order, and its citation column. */
  record Spec(String key, Table table, List<Column> columns, String sourceColumn) {}

  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern ARITY = Pattern.compile("\\*|[0-9]{1,2}");
  private static final Pattern INDEX_OR_DASH = Pattern.compile("-|[0-9]{1,2}");

  private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

  static {
    add(
        new Spec(
            "allocApis",
            Table.ALLOC,
            List.of(
                col("name", null),
                col("arity", "*"),
                col("family", "KMALLOC", names(AllocApi.Family.values())),
                new Column("size", "-", "*", null),
                col("order", "-"),
                col("gfp", "-"),
                col("sleeps", "GFP", names(AllocApi.Sleeps.values())),
                col("overhead", "0")),
            "source"));
    add(
        new Spec(
            "sleepApis",
            Table.SLEEP,
            List.of(
                col("name", null),
                col("arity", "*"),
                col("category", "SLEEP", names(SleepCategory.values())),
                col("condition", "ALWAYS", names(SleepApis.Condition.values()))),
            "source"));
    add(
        new Spec(
            "atomicApis",
            Table.ATOMIC,
            List.of(
                col("name", null),
                col("effect", null, names(AtomicApi.Effect.values())),
                new Column("kinds", null, "+", names(AtomicKind.values())),
                col("lock", "-")),
            "source"));
    add(
        new Spec(
            "callbackApis",
            Table.CALLBACK,
            List.of(
                col("form", "call", List.of("call", "init", "assign")),
                col("name", null),
                col("where", null),
                col("kind", null, names(AtomicKind.values())),
                col("how", "{fn} is registered as an atomic callback by {api}")),
            "citation"));
    add(
        new Spec(
            "earlyBoot",
            Table.EARLY_BOOT,
            List.of(
                col("form", "function", List.of("function", "variable", "field")),
                col("name", null),
                col("where", "-")),
            "citation"));
    add(
        new Spec(
            "dmaSinks",
            Table.DMA_SINK,
            List.of(
                col("name", null),
                col("arity", "*"),
                col("kind", "ARG", names(DmaSink.Kind.values())),
                new Column("args", "-", ",", null),
                new Column("tolerates", "-", ",", names(OriginKind.values()))),
            "source"));
  }

  /** The tables a configuration may extend, by key, for the schema's tests. */
  static Map<String, Spec> specs() {
    return Collections.unmodifiableMap(SPECS);
  }

  private static void add(Spec spec) {
    SPECS.put(spec.key(), spec);
  }

  private static Column col(String name, String defaultValue) {
    return new Column(name, defaultValue, null, null);
  }

  private static Column col(String name, String defaultValue, List<String> known) {
    return new Column(name, defaultValue, null, known);
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }

  /**
   * The rows of the {@code knowledge} object, by table.
   *
   * @param where names the file in errors and in each row's citation
   */
  static Map<Table, List<String>> read(JsonNode knowledge, String where) throws ConfigError {
    // The schema (ConfigSchema) has checked the shape: known tables, arrays of objects, known
    // columns, value types and sets. What is left is each cell's notation.
    Map<Table, List<String>> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = knowledge.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      Spec spec = SPECS.get(e.getKey());
      String key = "knowledge." + e.getKey();
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < e.getValue().size(); i++) {
        rows.add(row(spec, e.getValue().get(i), key + "[" + i + "]", where));
      }
      out.put(spec.table(), rows);
    }
    return out;
  }

  private static String row(Spec spec, JsonNode entry, String key, String where)
      throws ConfigError {
    List<String> cells = new ArrayList<>();
    for (Column c : spec.columns()) {
      JsonNode v = entry.get(c.name());
      String ck = key + "." + c.name();
      String cell = v == null || v.isNull() ? c.defaultValue() : cell(c, v, ck);
      if (cell == null) throw new ConfigError(ck, "is required");
      check(spec, c, cell, ck);
      cells.add(cell);
    }
    if (spec.table() == Table.EARLY_BOOT) earlyBootWhere(cells, key);
    cells.add(where + " " + key);
    return String.join("\t", cells);
  }

  /** The third column of an early-boot row, by its form. */
  private static void earlyBootWhere(List<String> cells, String key) throws ConfigError {
    String form = cells.get(0);
    String where = cells.get(2);
    if (form.equals("field") && where.equals("-")) {
      throw new ConfigError(
          key + ".where", "a field row needs the field path, such as \"irqs.intr_mode_init\"");
    }
    if (form.equals("variable") && !where.equals("-")) {
      throw new ConfigError(key + ".where", "is \"-\" for a variable row");
    }
    if (form.equals("function") && where.contains(".")) {
      throw new ConfigError(
          key + ".where", "is \"-\" (start_kernel) or the early-boot function that calls it");
    }
  }

  /** A JSON value as the table writes it: numbers and strings as text, arrays joined. */
  private static String cell(Column c, JsonNode v, String key) throws ConfigError {
    if (v.isArray()) {
      if (c.joiner() == null) throw new ConfigError(key, "must be a string or a number");
      List<String> parts = new ArrayList<>();
      for (JsonNode p : v) parts.add(scalar(p, key));
      if (parts.isEmpty()) throw new ConfigError(key, "must not be empty");
      return String.join(c.joiner(), parts);
    }
    return scalar(v, key);
  }

  private static String scalar(JsonNode v, String key) throws ConfigError {
    if (v.isIntegralNumber()) return v.asText();
    if (!v.isTextual()) throw new ConfigError(key, "must be a string or a number");
    String s = v.asText().strip();
    if (s.isEmpty()) throw new ConfigError(key, "must not be empty");
    if (s.chars().anyMatch(ch -> ch == '\t' || ch == '\n' || ch == '\r')) {
      throw new ConfigError(key, "must not contain tabs or line breaks");
    }
    return s;
  }

  /** Checks what the table parsers would reject with a less helpful message. */
  private static void check(Spec spec, Column c, String cell, String key) throws ConfigError {
    if (c.known() != null) {
      if (cell.equals("-") && c.joiner() != null && !c.required()) return; // tolerates nothing
      String[] parts =
          c.joiner() == null ? new String[] {cell} : cell.split(Pattern.quote(c.joiner()));
      for (String p : parts) {
        if (!c.known().contains(p.strip())) {
          throw new ConfigError(
              key,
              "unknown value '" + p.strip() + "' (known: " + String.join(", ", c.known()) + ")");
        }
      }
      return;
    }
    switch (c.name()) {
      case "name" -> {
        boolean field = spec.table() == Table.DMA_SINK && cell.contains(".");
        String[] parts = field ? cell.split("\\.", -1) : new String[] {cell};
        for (String p : parts) {
          if (!IDENT.matcher(p).matches()) {
            throw new ConfigError(key, "'" + cell + "' is not a C identifier");
          }
        }
      }
      case "arity" -> expect(ARITY, cell, key, "a number of arguments or \"*\"");
      case "order", "gfp", "lock" ->
          expect(INDEX_OR_DASH, cell, key, "a 0-based argument index or \"-\"");
      case "overhead" -> expect(Pattern.compile("[0-9]{1,6}"), cell, key, "a number of bytes");
      case "size" ->
          expect(
              Pattern.compile("-|[0-9]{1,2}(\\*[0-9]{1,2})*"),
              cell,
              key,
              "an argument index, indices joined by \"*\" (n x size), or \"-\"");
      case "args" ->
          expect(
              Pattern.compile("-|[0-9]{1,2}(,[0-9]{1,2})*"),
              cell,
              key,
              "an argument index or a list of them");
      case "where" -> {
        if (spec.table() == Table.EARLY_BOOT) {
          expect(
              Pattern.compile("-|[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*"),
              cell,
              key,
              "\"-\" or a field path such as \"irqs.intr_mode_init\"");
          return;
        }
        expect(
            Pattern.compile("[0-9]{1,2}(\\.[A-Za-z_][A-Za-z0-9_]*)?|[A-Za-z_][A-Za-z0-9_]*"),
            cell,
            key,
            "an argument index, \"index.field\", a field or a struct tag");
      }
      default -> {
        // Free text (how): anything on one line.
      }
    }
  }

  private static void expect(Pattern p, String cell, String key, String what) throws ConfigError {
    if (!p.matcher(cell).matches()) {
      throw new ConfigError(key, "'" + cell + "' is not " + what);
    }
  }
}
