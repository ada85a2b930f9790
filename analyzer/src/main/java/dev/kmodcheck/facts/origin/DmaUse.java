package dev.kmodcheck.facts.origin;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.DmaSink;
import dev.kmodcheck.kernel.OriginKind;
import java.util.List;

/**
 * A buffer handed to a DMA sink, with every concrete origin it may have (one witness per kind, each
 * with its steps from the allocation or declaration to the sink).
 *
 * @param argIndex the 0-based buffer argument, or -1 for a store into a sink field
 * @param buffer the buffer expression as written
 * @param checksVmalloc the function asks is_vmalloc_addr() or resolves pages with
 *     vmalloc_to_page(), so it handles vmalloc memory on a path of its own
 * @param checksStack the function asks object_is_on_stack()
 */
public record DmaUse(
    FunctionRef function,
    DmaSink sink,
    int argIndex,
    SrcRange range,
    String buffer,
    List<Origin> origins,
    boolean checksVmalloc,
    boolean checksStack) {

  public DmaUse {
    origins = List.copyOf(origins);
  }

  /** The origin of {@code kind}, or null. */
  public Origin origin(OriginKind kind) {
    for (Origin o : origins) {
      if (o.kind() == kind) return o;
    }
    return null;
  }
}
