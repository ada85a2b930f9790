package dev.kmodcheck.facts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

  private static volatile KernelApis builtin;

  /** The shipped catalogue (loaded once). */
  public static KernelApis builtin() {
    KernelApis b = builtin;
    if (b == null) {
      synchronized (KernelApis.class) {
        b = builtin;
        if (b == null) {
          try (InputStream in = KernelApis.class.getResourceAsStream("alloc-apis.tsv")) {
            if (in == null) throw new IllegalStateException("alloc-apis.tsv missing from the jar");
            b = builtin = parse(in, "alloc-apis.tsv");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    return b;
  }

  /** Parses a table in the alloc-apis.tsv format; errors name the source and line. */
  public static KernelApis parse(InputStream in, String sourceName) throws IOException {
    Map<String, List<Row>> map = new HashMap<>();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] c = line.split("\t", -1);
      if (c.length < 9) {
        throw new IllegalArgumentException(
            sourceName + ":" + lineNo + ": expected 9 tab-separated columns, got " + c.length);
      }
      try {
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
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(sourceName + ":" + lineNo + ": " + e.getMessage(), e);
      }
    }
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
   * The allocation API called as {@code name} with {@code argc} arguments, or null. The 6.12
   * {@code _noprof} spelling resolves to the same entry.
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

  /** All catalogue entries, for documentation and tests. */
  public List<AllocApi> allAllocApis() {
    List<AllocApi> all = new ArrayList<>();
    byName.values().forEach(rows -> rows.forEach(r -> all.add(r.api)));
    all.sort(java.util.Comparator.comparing(AllocApi::name));
    return all;
  }
}
