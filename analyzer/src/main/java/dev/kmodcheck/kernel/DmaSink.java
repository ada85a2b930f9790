package dev.kmodcheck.kernel;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row of dma-sinks.tsv: an API or a struct field through which a CPU virtual address reaches a
 * device (docs/kernel-facts.md §5.2).
 *
 * @param name the function or macro name, or "struct.field" for a {@link Kind#FIELD} row
 * @param arity arguments this row applies to, or -1 for any
 * @param kind how the buffer is passed
 * @param args 0-based buffer argument indices (calls only)
 * @param lengthArgs for a buffer argument, the index of its byte count: a transfer of provably zero
 *     bytes maps nothing (usb_hcd_map_urb_for_dma skips it, 6.1 drivers/usb/core/hcd.c:1455)
 * @param tolerates origin kinds the API itself handles correctly (the SPI core maps vmalloc buffers
 *     page by page), so they are not reported there
 * @param source the docs/kernel-facts.md section and kernel file:line the row comes from
 */
public record DmaSink(
    String name,
    int arity,
    Kind kind,
    List<Integer> args,
    Map<Integer, Integer> lengthArgs,
    Set<OriginKind> tolerates,
    String source) {

  public enum Kind {
    /** The argument is the buffer's virtual address (dma_map_single, usb_bulk_msg). */
    ARG,
    /** The argument is virt_to_page(buffer): the page of a linear-map address (dma_map_page). */
    PAGE_OF,
    /** Storing the buffer into this struct field hands it to the device (urb->transfer_buffer). */
    FIELD,
    /** Documented as taking any memory because it copies: listed so that it is never a sink. */
    EXEMPT
  }

  public DmaSink {
    args = List.copyOf(args);
    lengthArgs = Map.copyOf(lengthArgs);
    tolerates = Set.copyOf(tolerates);
  }

  /** The struct tag of a FIELD row ("urb" of "urb.transfer_buffer"). */
  public String structTag() {
    int dot = name.indexOf('.');
    return dot < 0 ? null : name.substring(0, dot);
  }

  /** The field of a FIELD row ("transfer_buffer" of "urb.transfer_buffer"). */
  public String field() {
    int dot = name.indexOf('.');
    return dot < 0 ? null : name.substring(dot + 1);
  }
}
