package dev.kmodcheck.facts.program;

import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole scanned program: every function definition of every unit, linked as the linker would (a
 * static function is visible in its own unit only; a non-static one is found by name across units),
 * with the call graph over direct calls. Deterministic iteration order (file, line).
 *
 * <p>The same module header may be parsed with several units; its functions then appear once per
 * unit, and {@link #resolve} prefers the definition in the caller's own unit. {@link #functions}
 * lists such a function once (the copy of the first unit in file order, see {@link #canonical}).
 *
 * <p>Indexing is one pass over the definitions; call sites are collected per function on first use,
 * and the reverse index on the first {@link #callersOf}. Safe for concurrent readers.
 */
public final class Program {
  private static final Comparator<FunctionRef> BY_POSITION =
      Comparator.comparing((FunctionRef f) -> f.def().nameRange())
          .thenComparing(f -> f.unit().file());

  private final List<TranslationUnit> units;
  private final List<FunctionRef> functions;
  private final Map<TranslationUnit, Map<String, FunctionRef>> localByUnit =
      new IdentityHashMap<>();
  private final Map<FunctionRef, FunctionRef> canonicalOf = new IdentityHashMap<>();
  private final Map<String, List<FunctionRef>> globalByName = new HashMap<>();
  private final Map<TranslationUnit, Map<String, FunctionRef>> headerDeclaredByUnit =
      new IdentityHashMap<>();
  private final Map<FunctionRef, List<CallSite>> callSites = new IdentityHashMap<>();
  private Map<FunctionRef, List<CallSite>> callers;
  private Map<String, List<FunctionRef>> byFile;
  private final KernelKnowledge knowledge;

  public Program(List<TranslationUnit> units) {
    this(units, KernelKnowledge.builtin());
  }

  /**
   * @param knowledge the kernel tables this program is analysed against: the shipped ones plus a
   *     project's own rows (lock wrappers, registration functions) from its configuration
   */
  public Program(List<TranslationUnit> units, KernelKnowledge knowledge) {
    this.knowledge = knowledge;
    List<TranslationUnit> sorted = new ArrayList<>(units);
    sorted.sort(Comparator.comparing(TranslationUnit::file));
    this.units = List.copyOf(sorted);
    Map<SrcRange, FunctionRef> firstAt = new HashMap<>();
    List<FunctionRef> all = new ArrayList<>();
    for (TranslationUnit unit : this.units) {
      Map<String, FunctionRef> local = new HashMap<>();
      localByUnit.put(unit, local);
      for (FunctionDef def : unit.functions()) {
        if (def.body() == null) continue;
        FunctionRef ref = new FunctionRef(unit, def);
        local.putIfAbsent(def.name(), ref);
        FunctionRef first = firstAt.putIfAbsent(def.nameRange(), ref);
        canonicalOf.put(ref, first == null ? ref : first);
        if (first != null) continue;
        all.add(ref);
        if (!def.isStatic()) {
          globalByName.computeIfAbsent(def.name(), n -> new ArrayList<>()).add(ref);
        }
      }
    }
    // A unit that got a module header without function bodies (the frontend parses them with one
    // owner unit only) still declares them there: link those declarations to the owner's copy.
    Map<String, FunctionRef> headerDefs = new HashMap<>();
    for (FunctionRef ref : all) {
      String file = ref.def().nameRange().file();
      if (!file.equals(ref.unit().file())) headerDefs.putIfAbsent(file + "\0" + ref.name(), ref);
    }
    for (TranslationUnit unit : this.units) {
      Map<String, FunctionRef> declared = new HashMap<>();
      for (TranslationUnit.FunctionDecl d : unit.declarations()) {
        String file = d.range().file();
        if (file.equals(unit.file())) continue;
        FunctionRef def = headerDefs.get(file + "\0" + d.name());
        if (def != null) declared.putIfAbsent(d.name(), def);
      }
      if (!declared.isEmpty()) headerDeclaredByUnit.put(unit, declared);
    }
    all.sort(BY_POSITION);
    this.functions = List.copyOf(all);
    for (List<FunctionRef> refs : globalByName.values()) refs.sort(BY_POSITION);
  }

  /** The kernel tables of this scan (shipped rows plus the project's configuration). */
  public KernelKnowledge knowledge() {
    return knowledge;
  }

  /** The units, sorted by file. */
  public List<TranslationUnit> units() {
    return units;
  }

  /** All function definitions, sorted by file then line; a header's function is listed once. */
  public List<FunctionRef> functions() {
    return functions;
  }

  /**
   * The listed copy of a function ({@link #functions}) for a copy that {@link #resolve} returned
   * from another unit parsing the same header; the function itself otherwise.
   */
  public FunctionRef canonical(FunctionRef fn) {
    FunctionRef c = canonicalOf.get(fn);
    return c != null ? c : fn;
  }

  /** The definition a call to {@code name} from {@code caller} reaches, or null (an API). */
  public FunctionRef resolve(FunctionRef caller, String name) {
    return resolveIn(caller.unit(), name);
  }

  /**
   * The definition {@code name} denotes in {@code unit}: the unit's own definition (static or not,
   * including its copy of a header function), else the definition of a module-header function the
   * unit declares through that header (parsed with another unit), else a non-static one of another
   * unit. When several units define it, the one nearest in the directory tree wins (a driver's own
   * helper rather than a same-named one of an unrelated driver), then the first in file order.
   */
  public FunctionRef resolveIn(TranslationUnit unit, String name) {
    if (name == null) return null;
    Map<String, FunctionRef> local = localByUnit.get(unit);
    if (local != null) {
      FunctionRef own = local.get(name);
      if (own != null) return own;
    }
    Map<String, FunctionRef> declared = headerDeclaredByUnit.get(unit);
    if (declared != null) {
      FunctionRef viaHeader = declared.get(name);
      if (viaHeader != null) return viaHeader;
    }
    List<FunctionRef> candidates = globalByName.get(name);
    if (candidates == null) return null;
    String arch = Target.kernelArchOf(unit.file());
    if (arch != null) {
      // A caller under arch/B/ is linked with B's definitions or generic ones, never with
      // arch/C/'s: a scan of arch/ia64 and arch/mips together is two kernels.
      candidates =
          candidates.stream()
              .filter(
                  c -> {
                    String other = Target.kernelArchOf(c.file());
                    return other == null || other.equals(arch);
                  })
              .toList();
      if (candidates.isEmpty()) return null;
    }
    if (candidates.size() == 1) return candidates.get(0);
    FunctionRef best = null;
    int bestShared = -1;
    for (FunctionRef c : candidates) {
      int shared = sharedDirectoryLength(unit.file(), c.file());
      if (shared > bestShared) {
        best = c;
        bestShared = shared;
      }
    }
    return best;
  }

  /** Every direct call in the body, in source order, including nested calls in arguments. */
  public List<CallSite> callSites(FunctionRef fn) {
    synchronized (callSites) {
      List<CallSite> sites = callSites.get(fn);
      if (sites == null) {
        sites = CallCollector.collect(fn);
        callSites.put(fn, sites);
      }
      return sites;
    }
  }

  /**
   * Call sites (in any unit) that resolve to {@code fn} or to another unit's copy of it, ordered by
   * caller (as in {@link #functions}) then source order. Only listed callers are searched.
   */
  public List<CallSite> callersOf(FunctionRef fn) {
    List<CallSite> sites = reverseIndex().get(canonical(fn));
    return sites != null ? sites : List.of();
  }

  /**
   * A CONFIG option that keeps two functions out of one build, or null: one's unit is built only
   * with it ({@code obj-$(CONFIG_FOO) += foo.o}) while the other's body was read without it (its
   * {@code #ifdef CONFIG_FOO} branch left out). A header-less scan leaves every option undefined
   * but reads every file, so a call between the two joins code of two configurations.
   */
  public String configConflict(FunctionRef a, FunctionRef b) {
    String x = firstCommon(a.unit().buildConfigs(), b.def().configsOff());
    return x != null ? x : firstCommon(b.unit().buildConfigs(), a.def().configsOff());
  }

  private static String firstCommon(List<String> sortedA, List<String> sortedB) {
    if (sortedA.isEmpty() || sortedB.isEmpty()) return null;
    for (String x : sortedA) if (sortedB.contains(x)) return x;
    return null;
  }

  /** The listed function whose body holds {@code at}, or null (kernel code, a global). */
  public FunctionRef enclosing(SrcRange at) {
    Map<String, List<FunctionRef>> index;
    synchronized (this) {
      if (byFile == null) {
        Map<String, List<FunctionRef>> m = new HashMap<>();
        for (FunctionRef f : functions) {
          m.computeIfAbsent(f.def().range().file(), k -> new ArrayList<>()).add(f);
        }
        byFile = m;
      }
      index = byFile;
    }
    for (FunctionRef f : index.getOrDefault(at.file(), List.of())) {
      SrcRange r = f.def().range();
      if (r.line() <= at.line() && at.endLine() <= r.endLine()) return f;
    }
    return null;
  }

  /** Non-static definitions by name; several when module and test code both define one. */
  public List<FunctionRef> byName(String name) {
    List<FunctionRef> refs = globalByName.get(name);
    return refs != null ? Collections.unmodifiableList(refs) : List.of();
  }

  private synchronized Map<FunctionRef, List<CallSite>> reverseIndex() {
    if (callers == null) {
      Map<FunctionRef, List<CallSite>> index = new IdentityHashMap<>();
      for (FunctionRef caller : functions) {
        for (CallSite site : callSites(caller)) {
          FunctionRef target = resolve(caller, site.name());
          if (target == null) continue;
          index.computeIfAbsent(canonical(target), t -> new ArrayList<>()).add(site);
        }
      }
      index.replaceAll((k, v) -> List.copyOf(v));
      callers = index;
    }
    return callers;
  }

  private static int sharedDirectoryLength(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int lastSlash = 0;
    for (int i = 0; i < n; i++) {
      if (a.charAt(i) != b.charAt(i)) break;
      if (a.charAt(i) == '/') lastSlash = i + 1;
    }
    return lastSlash;
  }
}
