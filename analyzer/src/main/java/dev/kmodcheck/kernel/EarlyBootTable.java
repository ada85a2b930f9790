package dev.kmodcheck.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of early-boot.tsv (docs/kernel-facts.md §4.7): the functions start_kernel() calls before
 * rest_init(), the function-pointer variables it calls through, and the struct fields early-boot
 * code calls through. A scan's {@link KernelKnowledge} carries one, extended with a project's own
 * rows.
 */
public final class EarlyBootTable {

  public enum Form {
    FUNCTION,
    VARIABLE,
    FIELD
  }

  /**
   * One early-boot fact.
   *
   * @param name the function (FUNCTION), the variable (VARIABLE) or the struct tag (FIELD)
   * @param field FIELD: the field path within the struct ("irqs.intr_mode_init"); FUNCTION: the
   *     early-boot function that calls it, null for start_kernel(); else null
   * @param citation where the kernel shows it
   */
  public record Row(Form form, String name, String field, String citation) {}

  private static final String RESOURCE = "/dev/kmodcheck/kernel/early-boot.tsv";
  private static final EarlyBootTable DEFAULT =
      DataTable.load(EarlyBootTable.class, RESOURCE, in -> parse(in, "early-boot.tsv"));

  private final Map<String, Row> functions = new HashMap<>();
  private final Map<String, Row> variables = new HashMap<>();
  private final Map<String, List<Row>> fields = new HashMap<>();

  /** The shipped table. */
  public static EarlyBootTable builtin() {
    return DEFAULT;
  }

  /** Parses a table in the early-boot.tsv format; errors name the source and line. */
  public static EarlyBootTable parse(InputStream in, String sourceName) throws IOException {
    EarlyBootTable t = new EarlyBootTable();
    DataTable.read(in, sourceName, 4, c -> t.add(row(c)));
    return t;
  }

  private static Row row(String[] c) {
    Form form;
    try {
      form = Form.valueOf(c[0].strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown form '" + c[0] + "' (expected function, variable or field)");
    }
    String name = c[1].strip();
    if (!name.matches("[A-Za-z_]\\w*")) {
      throw new IllegalArgumentException("not a C name: '" + c[1] + "'");
    }
    String where = c[2].strip();
    if (form == Form.FIELD) {
      if (!where.matches("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*)*")) {
        throw new IllegalArgumentException("not a field path: '" + c[2] + "'");
      }
      return new Row(form, name, where, c[3].strip());
    }
    if (form == Form.FUNCTION && where.matches("[A-Za-z_]\\w*")) {
      return new Row(form, name, where, c[3].strip());
    }
    if (!where.equals("-")) {
      throw new IllegalArgumentException(
          "a "
              + c[0]
              + " row has '-' in its third column"
              + (form == Form.FUNCTION ? " or the function that calls it" : ""));
    }
    return new Row(form, name, null, c[3].strip());
  }

  private void add(Row row) {
    Map<String, Row> by = row.form() == Form.FUNCTION ? functions : variables;
    switch (row.form()) {
      case FUNCTION, VARIABLE -> {
        if (by.putIfAbsent(row.name(), row) != null) {
          throw new IllegalArgumentException(
              "duplicate " + row.form().name().toLowerCase(Locale.ROOT) + " " + row.name());
        }
      }
      case FIELD -> fields.computeIfAbsent(row.name(), k -> new ArrayList<>()).add(row);
    }
  }

  /** Whether a row names {@code name}: a function, a boot hook variable or a struct tag. */
  public boolean names(String name) {
    return functions.containsKey(name) || variables.containsKey(name) || fields.containsKey(name);
  }

  /** The row of a function start_kernel() calls, or null. */
  public Row function(String name) {
    return functions.get(name);
  }

  /** The row of a boot hook variable, or null. */
  public Row variable(String name) {
    return variables.get(name);
  }

  /** The row of field path {@code path} of {@code struct tag}, or null. */
  public Row field(String tag, String path) {
    for (Row r : fields.getOrDefault(tag, List.of())) {
      if (r.field().equals(path)) return r;
    }
    return null;
  }
}
