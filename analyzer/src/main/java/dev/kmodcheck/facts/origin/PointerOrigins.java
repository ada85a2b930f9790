package dev.kmodcheck.facts.origin;

import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.DmaSinks;
import dev.kmodcheck.kernel.KernelApis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Pointer origins for the whole program and buffers reaching DMA sinks (docs/kernel-facts.md §5).
 *
 * <p>Each function is walked once ({@link FunctionOrigins}); values crossing functions go through
 * nodes: a function's parameters and return value, struct fields keyed by struct type and field
 * name (so {@code priv->buf = vmalloc()} in probe reaches {@code dma_map_single(priv->buf)} in
 * another function or file, while a same-named field of another struct type does not), and pointer
 * globals. A worklist then resolves the nodes ({@link FlowGraph}). Cost: one pass per function plus
 * at most (nodes x origin kinds) worklist updates.
 *
 * <p>A struct is keyed by its tag and the file that defines it, so two drivers of one directory
 * with a file-local {@code struct priv} do not share fields; fields of kernel structs that the scan
 * does not define (struct usb_request) are linked within one file only.
 */
public final class PointerOrigins {

  private final List<DmaUse> uses;
  private final FlowGraph graph;
  private final ProgramLinker linker;

  private PointerOrigins(List<DmaUse> uses, FlowGraph graph, ProgramLinker linker) {
    this.uses = uses;
    this.graph = graph;
    this.linker = linker;
  }

  /**
   * What {@code fn} may return, as far as the program shows (for kernel summaries: a kernel
   * function returning vmalloc memory).
   */
  public List<Origin> returnOrigins(FunctionRef fn) {
    return graph.resolve(FlowValue.node(linker.returnNode(fn)));
  }

  /** Buffers reaching a DMA sink, in program order (function, then source order). */
  public List<DmaUse> uses() {
    return uses;
  }

  public static PointerOrigins compute(
      Program program,
      KernelApis apis,
      DmaSinks sinks,
      long pageSize,
      BiFunction<TranslationUnit, FunctionDef, ValueEvaluator> evaluators) {
    FlowGraph graph = new FlowGraph(pageSize);
    ProgramLinker linker = new ProgramLinker(program);
    FunctionOrigins.Shared shared =
        new FunctionOrigins.Shared(
            apis, sinks, linker, graph, program.knowledge().kernelSummaries());
    for (FunctionRef fn : program.functions()) {
      if (fn.def().body() == null) continue;
      FunctionOrigins.analyze(fn, evaluators.apply(fn.unit(), fn.def()), shared);
    }
    graph.solve();
    List<DmaUse> out = new ArrayList<>();
    for (FlowGraph.PendingUse u : graph.uses()) {
      List<Origin> origins = graph.resolve(u.value());
      if (origins.isEmpty()) continue;
      out.add(
          new DmaUse(
              u.function(),
              u.sink(),
              u.argIndex(),
              u.range(),
              u.buffer(),
              origins,
              u.checksVmalloc(),
              u.checksStack()));
    }
    return new PointerOrigins(List.copyOf(out), graph, linker);
  }

  /** Node keys and name resolution over the {@link Program}. */
  private static final class ProgramLinker implements FunctionOrigins.Linker {
    private final Program program;
    private final Map<FunctionRef, Integer> ids = new IdentityHashMap<>();
    private final Map<TranslationUnit, Map<String, String>> structFiles = new IdentityHashMap<>();
    private final Map<TranslationUnit, Map<String, VarDecl>> globals = new IdentityHashMap<>();

    ProgramLinker(Program program) {
      this.program = program;
      for (FunctionRef fn : program.functions()) ids.put(fn, ids.size());
    }

    private int id(FunctionRef fn) {
      FunctionRef c = program.canonical(fn);
      Integer id = ids.get(c);
      if (id == null) {
        id = ids.size();
        ids.put(c, id);
      }
      return id;
    }

    @Override
    public FunctionRef resolve(FunctionRef caller, String name) {
      FunctionRef target = program.resolve(caller, name);
      return target == null ? null : program.canonical(target);
    }

    @Override
    public String paramNode(FunctionRef fn, int index) {
      return "P\0" + id(fn) + "\0" + index;
    }

    @Override
    public String returnNode(FunctionRef fn) {
      return "R\0" + id(fn);
    }

    @Override
    public String fieldNode(FunctionRef fn, String tag, String field) {
      // A kernel struct the scan does not define (usb_request, fb_info, mtd_info) has instances
      // in every driver of a directory; their fields are linked within one file only, so that
      // one driver's req->buf does not reach another driver's mapping of its own req->buf.
      String file =
          structFiles
              .computeIfAbsent(fn.unit(), ProgramLinker::structFiles)
              .getOrDefault(tag, "unit:" + fn.unit().file());
      return FlowGraph.FIELD + file + "\0" + tag + "\0" + field;
    }

    private static Map<String, String> structFiles(TranslationUnit unit) {
      Map<String, String> out = new HashMap<>();
      for (StructDef s : unit.structs()) {
        if (s.tag() != null) out.putIfAbsent(s.tag(), s.range().file());
      }
      return out;
    }

    @Override
    public VarDecl global(FunctionRef fn, String name) {
      return globals.computeIfAbsent(fn.unit(), ProgramLinker::globals).get(name);
    }

    private static Map<String, VarDecl> globals(TranslationUnit unit) {
      Map<String, VarDecl> out = new HashMap<>();
      for (VarDecl v : unit.globals()) {
        VarDecl prev = out.get(v.name());
        if (prev == null || prev.isExtern()) out.put(v.name(), v);
      }
      return out;
    }

    @Override
    public String globalNode(FunctionRef fn, String name) {
      VarDecl g = global(fn, name);
      String scope = g != null && g.isStatic() ? fn.unit().file() : "";
      return "G\0" + scope + "\0" + name;
    }
  }
}
