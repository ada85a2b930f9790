package dev.kmodcheck.facts.origin;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.DmaSink;
import dev.kmodcheck.kernel.OriginKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole-program part of pointer-origin tracking: nodes are the values that cross function
 * boundaries (parameters, return values, struct fields keyed by struct type and field name, pointer
 * globals); edges say which function-local values flow into them. {@link #solve} pushes concrete
 * origins along the edges with a worklist, keeping one witness per origin kind and node, so it ends
 * after at most (nodes x kinds) updates.
 */
final class FlowGraph {

  /** A function-local value flowing into {@code to}; {@code step} says how (store, call). */
  record Edge(FlowValue.Source from, String to, OriginStep step) {}

  /** Prefix of the node keys of struct fields. */
  static final String FIELD = "F\0";

  /** A buffer reaching a sink, with its function-local value. */
  record PendingUse(
      FunctionRef function,
      DmaSink sink,
      int argIndex,
      SrcRange range,
      String buffer,
      FlowValue value,
      boolean checksVmalloc,
      boolean checksStack) {}

  private final List<Edge> edges = new ArrayList<>();
  private final List<PendingUse> uses = new ArrayList<>();
  private final long pageSize;
  private final Map<String, EnumMap<OriginKind, Origin>> state = new HashMap<>();
  private Set<String> mixedFields = Set.of();

  FlowGraph(long pageSize) {
    this.pageSize = pageSize;
  }

  void edge(FlowValue value, String to, OriginStep step) {
    for (FlowValue.Source s : value.sources) edges.add(new Edge(s, to, step));
  }

  void use(PendingUse use) {
    uses.add(use);
  }

  List<PendingUse> uses() {
    return uses;
  }

  /**
   * Resolves the nodes. A struct field that receives linear-map memory as well as another kind is a
   * generic buffer slot (irdma's mem.va is vzalloc'ed for one queue and kzalloc'ed for another):
   * which instance reaches a sink is unknown, so such a field passes on only its linear-map
   * witness. Finding those fields needs one round first; the second round applies it.
   */
  void solve() {
    propagate();
    Set<String> mixed = new HashSet<>();
    state.forEach(
        (node, kinds) -> {
          if (node.startsWith(FIELD) && kinds.containsKey(OriginKind.LINEAR) && kinds.size() > 1) {
            mixed.add(node);
          }
        });
    if (mixed.isEmpty()) return;
    mixedFields = mixed;
    state.clear();
    propagate();
  }

  private void propagate() {
    Map<String, List<Edge>> fromNode = new HashMap<>();
    ArrayList<String> work = new ArrayList<>();
    for (Edge e : edges) {
      if (e.from().node() != null) {
        fromNode.computeIfAbsent(e.from().node(), n -> new ArrayList<>()).add(e);
      } else if (add(e.to(), e.from().origin().then(e.from().after()).then(List.of(e.step())))) {
        work.add(e.to());
      }
    }
    while (!work.isEmpty()) {
      WorkBudget.checkpoint();
      String node = work.remove(work.size() - 1);
      List<Edge> out = fromNode.get(node);
      if (out == null || !state.containsKey(node)) continue;
      for (Edge e : out) {
        for (Origin o : known(node)) {
          Origin moved =
              o.steps().size() >= FlowValue.MAX_STEPS
                  ? o
                  : o.then(e.from().after()).then(List.of(e.step()));
          if (add(e.to(), moved)) work.add(e.to());
        }
      }
    }
  }

  /** What a node passes on: its witnesses, only the linear-map one for a mixed field. */
  private List<Origin> known(String node) {
    EnumMap<OriginKind, Origin> kinds = state.get(node);
    if (kinds == null) return List.of();
    if (mixedFields.contains(node) && kinds.containsKey(OriginKind.LINEAR)) {
      return List.of(kinds.get(OriginKind.LINEAR));
    }
    return List.copyOf(kinds.values());
  }

  /** The concrete origins a function-local value resolves to, one per kind, in kind order. */
  List<Origin> resolve(FlowValue value) {
    EnumMap<OriginKind, Origin> out = new EnumMap<>(OriginKind.class);
    for (FlowValue.Source s : value.sources) {
      if (s.origin() != null) {
        merge(out, s.origin());
        continue;
      }
      for (Origin o : known(s.node())) merge(out, o.then(s.after()));
    }
    return List.copyOf(out.values());
  }

  private boolean add(String node, Origin origin) {
    return merge(state.computeIfAbsent(node, n -> new EnumMap<>(OriginKind.class)), origin);
  }

  /**
   * Keeps the first witness of a kind; a kvmalloc witness that may be vmalloc replaces one that may
   * not (once, so the worklist still ends).
   */
  private boolean merge(EnumMap<OriginKind, Origin> known, Origin origin) {
    Origin prev = known.get(origin.kind());
    if (prev == null || (!prev.mayBeVmalloc(pageSize) && origin.mayBeVmalloc(pageSize))) {
      known.put(origin.kind(), origin);
      return true;
    }
    return false;
  }
}
