package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.Program;
import java.util.List;

/**
 * Finds atomic entry points at their registration: calls such as request_irq(irq, handler, ...),
 * timer_setup(t, fn, 0), tasklet_setup(t, fn), and initialisers of ops structures such as {@code
 * struct net_device_ops .ndo_start_xmit = fn} (also when the struct is initialised in another
 * file), from the data table callback-apis.tsv.
 */
public final class EntryPoints {
  private EntryPoints() {}

  /** Sorted by function then registration site; a function may appear several times. */
  public static List<EntryPoint> find(Program program) {
    throw new UnsupportedOperationException("TODO");
  }
}
