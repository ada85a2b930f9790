package dev.kmodcheck.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel API catalogue (allocation APIs for now), loaded from the data table {@code
 * alloc-apis.tsv} shipped next to this class. Knowledge is data so users can extend it.
 */
public final class KernelApis {

  private static final String NOPROF = "_noprof";

  private final Map<String, List<Row>> byName;

  private record Row(int arity, AllocApi api) {}

  private KernelApis(Map<String, List<Row>> byName) {
    this.byName = byName;
  }

  /** Loaded on first use; the holder idiom makes that lazy and thread-safe. */
  private static final class Builtin {
    static final KernelApis INSTANCE =
        DataTable.load(KernelApis.class, "alloc-apis.tsv", in -> parse(in, "alloc-apis.tsv"));
  }

  /** The shipped catalogue. */
  public static KernelApis builtin() {
    return Builtin.INSTANCE;
  }

  /** Parses a table in the alloc-apis.tsv format; errors name the source and line. */
  public static KernelApis parse(InputStream in, String sourceName) throws IOException {
    Map<String, List<Row>> map = new HashMap<>();
    DataTable.read(
        in,
        sourceName,
        9,
        c -> {
          int arity = c[1].equals("*") ? -1 : Integer.parseInt(c[1]);
          AllocApi api =
              new AllocApi(
                  c[0],
                  AllocApi.Family.valueOf(c[2]),
                  indices(c[3]),
                  index(c[4]),
                  index(c[5]),
                  AllocApi.Sleeps.valueOf(c[6]),
                  Integer.parseInt(c[7]),
                  c[8]);
          map.computeIfAbsent(c[0], k -> new ArrayList<>()).add(new Row(arity, api));
        });
    return new KernelApis(map);
  }

  private static int index(String s) {
    return s.equals("-") ? -1 : Integer.parseInt(s);
  }

  private static List<Integer> indices(String s) {
    if (s.equals("-")) return List.of();
    List<Integer> out = new ArrayList<>();
    for (String p : s.split("\\*")) out.add(Integer.parseInt(p));
    return Collections.unmodifiableList(out);
  }

  /**
   * The allocation API called as {@code name} with {@code argc} arguments, or null. The 6.12 {@code
   * _noprof} spelling resolves to the same entry.
   */
  public AllocApi alloc(String name, int argc) {
    if (name == null) return null;
    List<Row> rows = byName.get(name);
    if (rows == null && name.endsWith(NOPROF)) {
      rows = byName.get(name.substring(0, name.length() - NOPROF.length()));
    }
    if (rows == null) return null;
    for (Row row : rows) {
      if (row.arity == -1 || row.arity == argc) return row.api;
    }
    return null;
  }
}
