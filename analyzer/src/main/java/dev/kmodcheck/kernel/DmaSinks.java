package dev.kmodcheck.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The DMA sink catalogue, loaded from {@code dma-sinks.tsv} (docs/kernel-facts.md §5.2). */
public final class DmaSinks {

  private static final String TABLE = "dma-sinks.tsv";

  private final Map<String, List<DmaSink>> calls;
  private final Map<String, DmaSink> fields;

  private DmaSinks(Map<String, List<DmaSink>> calls, Map<String, DmaSink> fields) {
    this.calls = calls;
    this.fields = fields;
  }

  private static final class Builtin {
    static final DmaSinks INSTANCE =
        DataTable.load(KernelApis.class, TABLE, in -> parse(in, TABLE));
  }

  /** The shipped catalogue. */
  public static DmaSinks builtin() {
    return Builtin.INSTANCE;
  }

  /** Parses a table in the dma-sinks.tsv format; errors name the source and line. */
  public static DmaSinks parse(InputStream in, String sourceName) throws IOException {
    Map<String, List<DmaSink>> calls = new HashMap<>();
    Map<String, DmaSink> fields = new HashMap<>();
    DataTable.read(
        in,
        sourceName,
        6,
        c -> {
          DmaSink.Kind kind = DmaSink.Kind.valueOf(c[2]);
          int arity = c[1].equals("*") || c[1].equals("-") ? -1 : Integer.parseInt(c[1]);
          List<Integer> args = new ArrayList<>();
          Map<Integer, Integer> lengths = new HashMap<>();
          if (!c[3].equals("-")) {
            for (String a : c[3].split(",")) {
              String[] bufAndLen = a.strip().split("/");
              int buf = Integer.parseInt(bufAndLen[0]);
              args.add(buf);
              if (bufAndLen.length > 1) lengths.put(buf, Integer.parseInt(bufAndLen[1]));
            }
          }
          Set<OriginKind> tolerates = EnumSet.noneOf(OriginKind.class);
          if (!c[4].equals("-")) {
            for (String k : c[4].split(",")) tolerates.add(OriginKind.valueOf(k.strip()));
          }
          DmaSink sink = new DmaSink(c[0], arity, kind, args, lengths, tolerates, c[5]);
          if (kind == DmaSink.Kind.FIELD) {
            if (sink.structTag() == null) {
              throw new IllegalArgumentException("a FIELD row names struct.field: " + c[0]);
            }
            fields.put(c[0], sink);
          } else {
            if (args.isEmpty()) throw new IllegalArgumentException("no buffer argument: " + c[0]);
            calls.computeIfAbsent(c[0], k -> new ArrayList<>()).add(sink);
          }
        });
    return new DmaSinks(calls, fields);
  }

  /**
   * The sink row for a call of {@code name} with {@code argc} arguments (exempt rows included, so
   * callers can tell "copies" from "unknown"), or null.
   */
  public DmaSink call(String name, int argc) {
    if (name == null) return null;
    List<DmaSink> rows = calls.get(name);
    if (rows == null) return null;
    for (DmaSink row : rows) {
      if (row.arity() == -1 || row.arity() == argc) return row;
    }
    return null;
  }

  /**
   * The FIELD row for {@code tag.field}, or null. A null {@code tag} is a struct whose type the
   * parse could not resolve (a kernel struct first named in a parameter list, header-less): only
   * rows written {@code ?.field}, whose field name is distinctive enough, match it.
   */
  public DmaSink field(String tag, String field) {
    if (field == null) return null;
    return fields.get((tag == null ? UNKNOWN_STRUCT : tag) + "." + field);
  }

  /** The struct tag of a {@code ?.field} row. */
  public static final String UNKNOWN_STRUCT = "?";

  /** Every row, sorted by name, for documentation and tests. */
  public List<DmaSink> all() {
    List<DmaSink> out = new ArrayList<>(fields.values());
    calls.values().forEach(out::addAll);
    out.sort(Comparator.comparing(DmaSink::name).thenComparingInt(DmaSink::arity));
    return out;
  }
}
