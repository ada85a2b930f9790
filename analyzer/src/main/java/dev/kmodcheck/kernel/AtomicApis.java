package dev.kmodcheck.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of APIs that enter or leave atomic context, loaded from {@code atomic-apis.tsv} next to
 * this class (docs/kernel-facts.md §4.3). Calls and guard classes use separate names: {@code
 * guard(spinlock)} names a lock class, not a function.
 */
public final class AtomicApis {

  private final Map<String, AtomicApi> calls;
  private final Map<String, AtomicApi> guards;

  private AtomicApis(Map<String, AtomicApi> calls, Map<String, AtomicApi> guards) {
    this.calls = calls;
    this.guards = guards;
  }

  private static final class Builtin {
    static final AtomicApis INSTANCE =
        DataTable.load(
            AtomicApis.class,
            "/dev/kmodcheck/kernel/atomic-apis.tsv",
            in -> parse(in, "atomic-apis.tsv"));
  }

  /** The shipped table, loaded on first use. */
  public static AtomicApis builtin() {
    return Builtin.INSTANCE;
  }

  /** Parses a table in the atomic-apis.tsv format; errors name the source and line. */
  public static AtomicApis parse(InputStream in, String sourceName) throws IOException {
    Map<String, AtomicApi> calls = new HashMap<>();
    Map<String, AtomicApi> guards = new HashMap<>();
    DataTable.read(
        in,
        sourceName,
        5,
        c -> {
          List<AtomicKind> kinds = new ArrayList<>();
          for (String k : c[2].split("\\+")) kinds.add(AtomicKind.valueOf(k.trim()));
          AtomicApi api =
              new AtomicApi(
                  c[0],
                  AtomicApi.Effect.valueOf(c[1]),
                  List.copyOf(kinds),
                  c[3].equals("-") ? -1 : Integer.parseInt(c[3]),
                  c[4]);
          Map<String, AtomicApi> target = api.effect() == AtomicApi.Effect.GUARD ? guards : calls;
          if (target.put(api.name(), api) != null) {
            throw new IllegalArgumentException("duplicate row for " + api.name());
          }
        });
    return new AtomicApis(Map.copyOf(calls), Map.copyOf(guards));
  }

  /** The API called (or expanded as a macro) as {@code name}, or null. */
  public AtomicApi call(String name) {
    return name == null ? null : calls.get(name);
  }

  /** The guard lock class {@code name} of guard(name) / scoped_guard(name, ...), or null. */
  public AtomicApi guard(String name) {
    return name == null ? null : guards.get(name);
  }

  /** All rows, sorted by name, for documentation and tests. */
  public List<AtomicApi> all() {
    List<AtomicApi> out = new ArrayList<>(calls.values());
    out.addAll(guards.values());
    out.sort(Comparator.comparing(AtomicApi::name).thenComparing(AtomicApi::effect));
    return out;
  }
}
