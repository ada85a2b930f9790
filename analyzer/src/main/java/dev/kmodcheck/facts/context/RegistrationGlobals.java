package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Global variables with an initializer, linked like functions: a unit's own variable first, else a
 * non-static one of another unit (a notifier_block defined in one file and registered from
 * another). A module header's variable is listed once, with the first unit that parsed it.
 */
final class RegistrationGlobals {

  /** A global variable definition and the unit whose linkage its initializer uses. */
  record Global(TranslationUnit unit, VarDecl decl) {}

  private final List<Global> all = new ArrayList<>();
  private final Map<TranslationUnit, Map<String, Global>> byUnit = new IdentityHashMap<>();
  private final Map<String, Global> external = new HashMap<>();

  RegistrationGlobals(Program program) {
    Set<SrcRange> seen = new HashSet<>();
    for (TranslationUnit unit : program.units()) {
      Map<String, Global> own = new HashMap<>();
      byUnit.put(unit, own);
      for (VarDecl v : unit.globals()) {
        if (v.init() == null || v.isExtern()) continue;
        Global g = new Global(unit, v);
        own.putIfAbsent(v.name(), g);
        if (!seen.add(v.range())) continue;
        all.add(g);
        if (!v.isStatic()) external.putIfAbsent(v.name(), g);
      }
    }
  }

  /** Every initialised global once, in unit order then declaration order. */
  List<Global> all() {
    return all;
  }

  /** The initialised definition {@code name} denotes in {@code unit}, or null. */
  Global resolve(TranslationUnit unit, String name) {
    Map<String, Global> own = byUnit.get(unit);
    Global g = own == null ? null : own.get(name);
    return g != null ? g : external.get(name);
  }
}
