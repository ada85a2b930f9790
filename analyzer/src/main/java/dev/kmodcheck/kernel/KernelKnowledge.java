package dev.kmodcheck.kernel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel tables one scan is analysed against: the shipped ones, optionally extended with a
 * project's own rows (its allocation wrappers, lock wrappers, sleeping functions, registration
 * functions, DMA sinks) from {@code .kmodcheck.json}. Immutable and handed down through the scan
 * request, so scans with different configurations can run side by side in one JVM.
 *
 * <p>A project row has exactly the shape of a row of the shipped table, and is parsed by the same
 * loader after the shipped rows: it adds a name, it never silently changes a shipped one.
 */
public final class KernelKnowledge {

  /** The extensible tables, by their file name under {@code dev/kmodcheck/kernel/}. */
  public enum Table {
    ALLOC("alloc-apis.tsv"),
    SLEEP("sleep-apis.tsv"),
    ATOMIC("atomic-apis.tsv"),
    CALLBACK("callback-apis.tsv"),
    DMA_SINK("dma-sinks.tsv"),
    EARLY_BOOT("early-boot.tsv");

    private final String file;

    Table(String file) {
      this.file = file;
    }

    public String file() {
      return file;
    }
  }

  private static final KernelKnowledge BUILTIN =
      new KernelKnowledge(null, null, null, null, null, null, Map.of(), null);

  private final KernelApis allocApis;
  private final SleepApis sleepApis;
  private final AtomicApis atomicApis;
  private final RegistrationTable callbackApis;
  private final DmaSinks dmaSinks;
  private final EarlyBootTable earlyBoot;
  private final Map<Table, List<String>> extraRows;

  /** Null: the newest shipped summaries (loaded on first use). */
  private final KernelSummaries kernelSummaries;

  private KernelKnowledge(
      KernelApis allocApis,
      SleepApis sleepApis,
      AtomicApis atomicApis,
      RegistrationTable callbackApis,
      DmaSinks dmaSinks,
      EarlyBootTable earlyBoot,
      Map<Table, List<String>> extraRows,
      KernelSummaries kernelSummaries) {
    this.kernelSummaries = kernelSummaries;
    this.allocApis = allocApis;
    this.sleepApis = sleepApis;
    this.atomicApis = atomicApis;
    this.callbackApis = callbackApis;
    this.dmaSinks = dmaSinks;
    this.earlyBoot = earlyBoot;
    this.extraRows = extraRows;
  }

  /** The shipped tables only (each loaded on first use). */
  public static KernelKnowledge builtin() {
    return BUILTIN;
  }

  /**
   * The shipped tables plus {@code rows} (tab-separated lines in each table's own format).
   *
   * @param source names the rows' origin in errors, e.g. the configuration file
   * @throws IllegalArgumentException naming the source when a row is malformed or clashes with a
   *     shipped row the table does not allow twice
   */
  public static KernelKnowledge withRows(Map<Table, List<String>> rows, String source) {
    Map<Table, List<String>> extra = new EnumMap<>(Table.class);
    rows.forEach(
        (t, r) -> {
          if (!r.isEmpty()) extra.put(t, List.copyOf(r));
        });
    if (extra.isEmpty()) return BUILTIN;
    try {
      KernelApis allocs =
          extra.containsKey(Table.ALLOC)
              ? KernelApis.parse(merged(Table.ALLOC, extra, source), source)
              : KernelApis.builtin();
      SleepApis sleeps =
          extra.containsKey(Table.SLEEP) || extra.containsKey(Table.ALLOC)
              ? SleepApis.parse(merged(Table.SLEEP, extra, source), source, allocs)
              : SleepApis.builtin();
      AtomicApis atomics =
          extra.containsKey(Table.ATOMIC)
              ? AtomicApis.parse(merged(Table.ATOMIC, extra, source), source)
              : AtomicApis.builtin();
      RegistrationTable callbacks =
          extra.containsKey(Table.CALLBACK)
              ? RegistrationTable.parse(merged(Table.CALLBACK, extra, source), source)
              : RegistrationTable.builtin();
      DmaSinks sinks =
          extra.containsKey(Table.DMA_SINK)
              ? DmaSinks.parse(merged(Table.DMA_SINK, extra, source), source)
              : DmaSinks.builtin();
      EarlyBootTable boot =
          extra.containsKey(Table.EARLY_BOOT)
              ? EarlyBootTable.parse(merged(Table.EARLY_BOOT, extra, source), source)
              : EarlyBootTable.builtin();
      return new KernelKnowledge(
          allocs, sleeps, atomics, callbacks, sinks, boot, Map.copyOf(extra), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * These tables with {@code summaries} answering for kernel functions the scan has no body and the
   * tables no row for ({@code --kernel-summaries}).
   */
  public KernelKnowledge withKernelSummaries(KernelSummaries summaries) {
    return new KernelKnowledge(
        allocApis, sleepApis, atomicApis, callbackApis, dmaSinks, earlyBoot, extraRows, summaries);
  }

  /** The kernel summaries of this scan: the chosen ones, by default the newest shipped. */
  public KernelSummaries kernelSummaries() {
    return kernelSummaries != null ? kernelSummaries : KernelSummaries.newest();
  }

  /** {@link KernelSummaries#identity} of this scan's summaries, without loading the default. */
  public String kernelSummariesIdentity() {
    return kernelSummaries != null
        ? kernelSummaries.identity()
        : KernelSummaries.shippedIdentity(
            KernelSummaries.SHIPPED.get(KernelSummaries.SHIPPED.size() - 1));
  }

  /** The rows a project added to {@code table}, as given (empty for the shipped knowledge). */
  public List<String> extraRows(Table table) {
    return extraRows.getOrDefault(table, List.of());
  }

  public KernelApis allocApis() {
    return allocApis != null ? allocApis : KernelApis.builtin();
  }

  public SleepApis sleepApis() {
    return sleepApis != null ? sleepApis : SleepApis.builtin();
  }

  public AtomicApis atomicApis() {
    return atomicApis != null ? atomicApis : AtomicApis.builtin();
  }

  public RegistrationTable callbackApis() {
    return callbackApis != null ? callbackApis : RegistrationTable.builtin();
  }

  /** The early-boot entry points and boot hooks (early-boot.tsv plus the project's rows). */
  public EarlyBootTable earlyBoot() {
    return earlyBoot != null ? earlyBoot : EarlyBootTable.builtin();
  }

  public DmaSinks dmaSinks() {
    return dmaSinks != null ? dmaSinks : DmaSinks.builtin();
  }

  /** The shipped table's text followed by the project's rows, so one parser reads both. */
  private static InputStream merged(Table table, Map<Table, List<String>> extra, String source)
      throws IOException {
    String shipped;
    try (InputStream in = KernelKnowledge.class.getResourceAsStream(table.file())) {
      if (in == null) throw new IllegalStateException(table.file() + " is missing from the jar");
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder text = new StringBuilder(shipped);
    if (!shipped.endsWith("\n")) text.append('\n');
    text.append("# rows from ").append(source).append('\n');
    for (String row : extra.getOrDefault(table, List.of())) text.append(row).append('\n');
    return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
