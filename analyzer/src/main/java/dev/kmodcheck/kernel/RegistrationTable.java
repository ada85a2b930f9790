package dev.kmodcheck.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of callback-apis.tsv (docs/kernel-facts.md §4.6), indexed by how the context analysis
 * matches them; a scan's {@link KernelKnowledge} carries one, extended with a project's own rows.
 */
public final class RegistrationTable {

  public enum Form {
    CALL,
    INIT,
    ASSIGN
  }

  /**
   * One way to register an atomic callback.
   *
   * @param name the API (CALL), struct tag (INIT) or assigned field (ASSIGN)
   * @param index callback argument index (CALL), else -1
   * @param field CALL: field of the struct argument holding the callback, or null; INIT: the
   *     initialised field; ASSIGN: the struct tag the callback's first parameter points to
   * @param how trace template with {fn}, {api}, {var}
   */
  public record Row(
      Form form,
      String name,
      int index,
      String field,
      AtomicKind kind,
      String how,
      String citation) {}

  private static final String RESOURCE = "/dev/kmodcheck/kernel/callback-apis.tsv";
  private static final RegistrationTable DEFAULT = load();

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Row> calls = new HashMap<>();
  private final Map<String, List<Row>> inits = new HashMap<>();
  private final Map<String, List<Row>> assigns = new HashMap<>();

  /** All rows in file order. */
  public List<Row> rows() {
    return rows;
  }

  /** Whether a call of {@code api} registers a callback by a row of this table. */
  public boolean coversCall(String api) {
    return call(api) != null;
  }

  public Row call(String api) {
    return api == null ? null : calls.get(api);
  }

  /** Rows for designated initializers of {@code struct tag}. */
  public List<Row> inits(String tag) {
    return inits.getOrDefault(tag, List.of());
  }

  /** Rows for assignments to {@code field}. */
  public List<Row> assigns(String field) {
    return assigns.getOrDefault(field, List.of());
  }

  private static RegistrationTable load() {
    return DataTable.load(RegistrationTable.class, RESOURCE, in -> parse(in, "callback-apis.tsv"));
  }

  /** The shipped table. */
  public static RegistrationTable builtin() {
    return DEFAULT;
  }

  /** Parses a table in the callback-apis.tsv format; errors name the source and line. */
  public static RegistrationTable parse(InputStream in, String sourceName) throws IOException {
    RegistrationTable t = new RegistrationTable();
    DataTable.read(in, sourceName, 6, c -> t.add(parse(c)));
    return t;
  }

  private static Row parse(String[] c) {
    Form form = Form.valueOf(c[0].toUpperCase(Locale.ROOT));
    AtomicKind kind = AtomicKind.valueOf(c[3]);
    int index = -1;
    String field = c[2];
    if (form == Form.CALL) {
      int dot = c[2].indexOf('.');
      index = Integer.parseInt(dot < 0 ? c[2] : c[2].substring(0, dot));
      field = dot < 0 ? null : c[2].substring(dot + 1);
    }
    return new Row(form, c[1], index, field, kind, c[4], c[5]);
  }

  private void add(Row row) {
    rows.add(row);
    switch (row.form()) {
      case CALL -> {
        if (calls.put(row.name(), row) != null) {
          throw new IllegalArgumentException("duplicate API " + row.name());
        }
      }
      case INIT -> inits.computeIfAbsent(row.name(), k -> new ArrayList<>()).add(row);
      case ASSIGN -> assigns.computeIfAbsent(row.name(), k -> new ArrayList<>()).add(row);
    }
  }
}
