package dev.kmodcheck.facts.cfg;

import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.kernel.DataTable;
import java.util.HashSet;
import java.util.Set;

/** Kernel functions and macros that never return (noreturn-apis.tsv). */
final class NoReturnApis {
  private NoReturnApis() {}

  private static final Set<String> NAMES =
      DataTable.load(
          NoReturnApis.class,
          "/dev/kmodcheck/kernel/noreturn-apis.tsv",
          in -> {
            Set<String> names = new HashSet<>();
            DataTable.read(in, "noreturn-apis.tsv", 2, c -> names.add(c[0]));
            return Set.copyOf(names);
          });

  /** Whether {@code call} names a function or macro that never returns. */
  static boolean contains(Expr.Call call) {
    String callee = call.calleeName();
    return (callee != null && NAMES.contains(callee))
        || (call.macro() != null && NAMES.contains(call.macro()));
  }
}
