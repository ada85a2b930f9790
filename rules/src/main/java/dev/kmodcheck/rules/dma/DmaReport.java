package dev.kmodcheck.rules.dma;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.facts.origin.DmaUse;
import dev.kmodcheck.facts.origin.Origin;
import dev.kmodcheck.facts.origin.OriginStep;
import dev.kmodcheck.kernel.DmaSink;
import dev.kmodcheck.kernel.DmaSinks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns DMA uses into findings: "'buf' points to vmalloc memory (vzalloc() at foo.c:12) but is
 * passed to dma_map_single() for DMA: ...", with the trace from the allocation or declaration
 * through every assignment, store and call to the sink.
 */
final class DmaReport {
  private DmaReport() {}

  /**
   * Reports each use for which {@code pick} finds an origin; {@code why} completes the message
   * after "for DMA".
   */
  static void report(
      ProgramContext ctx, RuleInfo info, Function<DmaUse, Origin> pick, String memory, String why) {
    Set<String> seen = new HashSet<>();
    for (DmaUse use : DmaFindings.uses(ctx)) {
      Origin origin = pick.apply(use);
      if (origin == null || use.sink().tolerates().contains(origin.kind())) continue;
      // One macro expansion can yield the same sink twice; report each buffer once.
      if (!seen.add(use.range() + "\0" + use.argIndex() + "\0" + use.sink().name())) continue;
      String message =
          "'"
              + use.buffer()
              + "' "
              + memory
              + " ("
              + origin.what()
              + at(origin)
              + ") but "
              + sinkText(use)
              + " for DMA: "
              + why;
      List<TraceStep> trace = new ArrayList<>();
      for (OriginStep s : origin.steps()) trace.add(new TraceStep(s.range(), s.message()));
      trace.add(new TraceStep(use.range(), sinkStep(use)));
      ctx.report(
          new Finding(
              info.id(), info.severity(), message, use.range(), use.function().name(), trace));
    }
  }

  private static String at(Origin origin) {
    if (origin.steps().isEmpty()) return "";
    return " at " + origin.steps().get(0).range().shortText();
  }

  /** "is passed to dma_map_single()", "is stored in urb.transfer_buffer". */
  private static String sinkText(DmaUse use) {
    DmaSink sink = use.sink();
    return switch (sink.kind()) {
      case FIELD -> "is stored in " + fieldText(sink);
      case PAGE_OF -> "its virt_to_page() is passed to " + sink.name() + "()";
      default -> "is passed to " + sink.name() + "()";
    };
  }

  /** "urb.transfer_buffer", or "->transfer_buffer" for a struct the parse did not resolve. */
  private static String fieldText(DmaSink sink) {
    return DmaSinks.UNKNOWN_STRUCT.equals(sink.structTag()) ? "->" + sink.field() : sink.name();
  }

  private static String sinkStep(DmaUse use) {
    DmaSink sink = use.sink();
    if (sink.kind() == DmaSink.Kind.FIELD) {
      return "stored in " + fieldText(sink) + ", which the device reaches by DMA";
    }
    String arg = use.argIndex() >= 0 ? " as argument " + (use.argIndex() + 1) : "";
    return "passed to " + sink.name() + "()" + arg + ", which hands it to the device";
  }
}
