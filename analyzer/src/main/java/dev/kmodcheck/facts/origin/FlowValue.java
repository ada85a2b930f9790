package dev.kmodcheck.facts.origin;

import java.util.ArrayList;
import java.util.List;

/**
 * What a pointer expression may hold, as seen inside one function: concrete origins, and references
 * to values that cross function boundaries (a parameter, a struct field, a pointer global, a
 * callee's return value), which the whole-program pass resolves. Each source carries the steps it
 * took inside this function. Small and immutable; at most {@link #MAX} sources.
 */
final class FlowValue {
  static final int MAX = 8;

  /** Longest trace kept; a longer history adds nothing a reader would follow. */
  static final int MAX_STEPS = 24;

  static final FlowValue NONE = new FlowValue(List.of());

  /** Exactly one of {@code origin} and {@code node} is set. */
  record Source(Origin origin, String node, List<OriginStep> after) {
    Source then(OriginStep step) {
      if (origin != null) {
        return origin.steps().size() >= MAX_STEPS
            ? this
            : new Source(origin.then(List.of(step)), null, after);
      }
      if (after.size() >= MAX_STEPS) return this;
      List<OriginStep> more = new ArrayList<>(after);
      more.add(step);
      return new Source(null, node, List.copyOf(more));
    }

    /** Two sources are the same alternative when they name the same node or kind. */
    boolean sameAs(Source o) {
      if (node != null) return node.equals(o.node);
      return o.origin != null && origin.kind() == o.origin.kind();
    }
  }

  final List<Source> sources;

  private FlowValue(List<Source> sources) {
    this.sources = sources;
  }

  static FlowValue of(Origin origin) {
    return new FlowValue(List.of(new Source(origin, null, List.of())));
  }

  static FlowValue node(String node) {
    return new FlowValue(List.of(new Source(null, node, List.of())));
  }

  boolean isEmpty() {
    return sources.isEmpty();
  }

  FlowValue then(OriginStep step) {
    if (sources.isEmpty()) return this;
    List<Source> out = new ArrayList<>(sources.size());
    for (Source s : sources) out.add(s.then(step));
    return new FlowValue(List.copyOf(out));
  }

  /** Both alternatives (a conditional, the two arms of an if); the first source of a kind wins. */
  FlowValue or(FlowValue other) {
    if (other.sources.isEmpty() || other == this) return this;
    if (sources.isEmpty()) return other;
    List<Source> out = new ArrayList<>(sources);
    for (Source s : other.sources) {
      if (out.size() >= MAX) break;
      if (out.stream().noneMatch(s::sameAs)) out.add(s);
    }
    return out.size() == sources.size() ? this : new FlowValue(List.copyOf(out));
  }
}
