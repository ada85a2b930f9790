package dev.kmodcheck.summarize;

import dev.kmodcheck.facts.sleep.ChainSlots;
import dev.kmodcheck.facts.sleep.SleepSummaries;
import dev.kmodcheck.kernel.AtomicKind;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.SleepCategory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The global half of {@code kmodcheck summarize}: the per-directory facts {@link
 * KernelSummaryCollector} keeps for every function of a kernel tree (its sleeping calls, and its
 * calls to other functions with how each gfp argument depends on its own parameters), linked by
 * name across directories and solved in one fixed point, so a directory never needs another's parse
 * trees. A static function is a node of its own directory only (same-name statics of different
 * files never meet); only non-static functions, and inline functions of the kernel's shared
 * headers, are exported.
 *
 * <p>Per function the result is what {@link SleepSummaries} keeps for unconditional and
 * gfp-parameter chains: per category and condition the shortest chain, ties broken by the calls'
 * positions, so the result does not depend on the order the directories were parsed in. Thread safe
 * for {@link #add}; {@link #solve} once, after every directory was added.
 */
public final class KernelSummaryBuilder {

  private static final SleepCategory[] CATEGORIES = SleepCategory.values();
  private static final SleepApis.Condition[] CONDITIONS = SleepApis.Condition.values();
  private static final int SLOTS = CATEGORIES.length * CONDITIONS.length;
  private static final int MAX_CONDITIONS_TEXT = 160;

  /** Argument codes of a call edge: flags that block, or block only outside interrupts. */
  static final long BLOCKS = -1;

  static final long BLOCKS_OUTSIDE_INTERRUPT = -2;

  /** A function definition of the tree. */
  static final class Node {
    final String name;
    final String file;
    final int line;
    final int arity;

    /** Takes more arguments after its {@code arity} parameters (a {@code ...}). */
    boolean varargs;

    /** Non-static .c definition, or a definition in a shared header: visible by name. */
    final boolean exported;

    /** Defined in a shared header: used only where no .c file defines the name. */
    final boolean header;

    /** The architecture the definition is built for (see {@link #arches}), or null: generic. */
    String arch;

    final List<Object> edges = new ArrayList<>(); // CallEdge | SleepEdge
    Value value;

    /** The lock effect, its locks in positional form ($0->lock); empty for most functions. */
    List<KernelSummaries.Acquired> acquired = List.of();

    List<KernelSummaries.Released> released = List.of();

    /** Vmalloc memory the function may return (its own directory's allocations). */
    List<KernelSummaries.Returned> returns = List.of();

    /** Parameters handed to a registration API, and parameters passed on to other calls. */
    List<CallbackDirect> callbackDirect = List.of();

    List<CallbackEdge> callbackEdges = List.of();

    /** Best chain per registered parameter: {@link #callbackKey} -> chain. */
    TreeMap<String, CallbackLink> callbacks;

    Node(String name, String file, int line, int arity, boolean exported, boolean header) {
      this.name = name;
      this.file = file;
      this.line = line;
      this.arity = arity;
      this.exported = exported;
      this.header = header;
    }
  }

  /**
   * When a chain happens (see {@link KernelSummaries.When}): {@code ALWAYS}, or about parameter
   * {@code param} (and {@code value}, a mask or a case).
   */
  record Key(KernelSummaries.When when, int param, long value) implements Comparable<Key> {
    static final Key ALWAYS = new Key(KernelSummaries.When.ALWAYS, -1, 0);

    @Override
    public int compareTo(Key o) {
      int c = when.compareTo(o.when);
      if (c == 0) c = Integer.compare(param, o.param);
      return c != 0 ? c : Long.compare(value, o.value);
    }

    boolean isCondition() {
      return when != KernelSummaries.When.ALWAYS && when != KernelSummaries.When.GFP;
    }
  }

  /**
   * What the caller passes as one argument: {@code gfp} is {@link #BLOCKS}, {@link
   * #BLOCKS_OUTSIDE_INTERRUPT}, a bit set of the caller's parameters the gfp value comes from, or
   * 0; {@code value} its constant value, or null; {@code param} the caller's parameter it is
   * (possibly {@code negated}: {@code !p}), or -1; {@code flags} the blocking flags as written
   * ("GFP_KERNEL") when {@code gfp} is {@link #BLOCKS} or {@link #BLOCKS_OUTSIDE_INTERRUPT}; {@code
   * text} the argument as written when it is run-time state that is neither a constant, a parameter
   * nor a pointer ({@code substream->pcm->nonatomic}), so a callee's test of it reads as the
   * caller's condition; {@code set} and {@code kept} the constant bits a flag expression of the
   * parameter sets and keeps ({@code (param | set) & kept}; 0 and -1 for the parameter itself).
   */
  record Arg(
      long gfp,
      Long value,
      int param,
      boolean negated,
      String flags,
      String text,
      long set,
      long kept) {}

  /**
   * A call to another function: {@code callee} when the directory resolves it, else by {@code name}
   * across the tree; {@code args} null when no argument says anything; {@code guard} the caller's
   * own condition on the call (its parameter tests), or null; {@code conditions} the other branch
   * conditions it is written under that nothing decides (SleepSummaries), joined with " && ", or
   * null.
   */
  record CallEdge(
      Node callee,
      String name,
      String file,
      int line,
      int argc,
      Arg[] args,
      Key guard,
      String conditions) {}

  /**
   * A sleeping call: whatever the arguments ({@code params == 0}; then under {@code guard} when not
   * null), or when one of the caller's parameters in the bit set {@code params} allows direct
   * reclaim.
   */
  record SleepEdge(
      SleepCategory category,
      SleepApis.Condition condition,
      String api,
      long params,
      String file,
      int line,
      String message,
      Key guard,
      String conditions) {}

  /** Parameter {@code param} is the callback argument of table API {@code api} at file:line. */
  record CallbackDirect(
      int param, String field, AtomicKind kind, String api, String how, String file, int line) {}

  /**
   * Parameter {@code param} is passed as argument {@code argIndex} of a call: to {@code callee}
   * when the directory resolves it, else by {@code name} (and {@code argc}) across the tree.
   */
  record CallbackEdge(
      Node callee, String name, int argc, int argIndex, int param, String file, int line) {}

  /** A registration chain: calls down to the registration, sharing its tail with the callee's. */
  private static final class CallbackLink {
    final String callee;
    final String file;
    final int line;
    final CallbackLink next;
    final int length;
    final CallbackDirect end;
    final int param;

    CallbackLink(CallbackDirect end) {
      this.callee = null;
      this.file = end.file();
      this.line = end.line();
      this.next = null;
      this.length = 1;
      this.end = end;
      this.param = end.param();
    }

    CallbackLink(CallbackEdge via, String callee, CallbackLink next) {
      this.callee = callee;
      this.file = via.file();
      this.line = via.line();
      this.next = next;
      this.length = next.length + 1;
      this.end = next.end;
      this.param = via.param();
    }

    String key() {
      return callbackKey(param, end.field(), end.kind());
    }
  }

  private static String callbackKey(int param, String field, AtomicKind kind) {
    return String.format("%03d.%s.%s", param, field == null ? "" : field, kind.name());
  }

  /** A chain as a linked list sharing its callees' tails; {@code callee == null} at the end. */
  private static final class Link {
    final String callee;
    final String file;
    final int line;
    final Link next;
    final int length;
    final SleepEdge end;
    final SleepApis.Condition condition;

    /** The flags a caller passed down where the end's gfp parameter became known, or null. */
    final String flags;

    /** Undecided conditions along the chain, first call's first, joined by " && "; or null. */
    final String conditions;

    /** The chain passes through a definition of the target architecture (not generic code). */
    final boolean arch;

    Link(SleepEdge end, SleepApis.Condition condition, boolean arch) {
      this.arch = arch;
      this.callee = null;
      this.file = end.file();
      this.line = end.line();
      this.next = null;
      this.length = 1;
      this.end = end;
      this.condition = condition;
      this.flags = null;
      this.conditions = end.conditions();
    }

    /**
     * {@code undecided}: a condition on the callee's argument that this call leaves open; {@code
     * arch}: the calling function is the target architecture's own.
     */
    Link(
        CallEdge call,
        String callee,
        Link next,
        SleepApis.Condition condition,
        String flags,
        String undecided,
        boolean arch) {
      this.arch = arch || next.arch;
      this.callee = callee;
      this.file = call.file();
      this.line = call.line();
      this.next = next;
      this.length = next.length + 1;
      this.end = next.end;
      this.condition = condition;
      this.flags = flags;
      this.conditions = join(join(call.conditions(), undecided), next.conditions);
    }

    private static String join(String a, String b) {
      if (a == null) return b;
      if (b == null || a.equals(b)) return a;
      // A few conditions say where the chain leaves the norm; a long list says nothing more.
      return a.length() > MAX_CONDITIONS_TEXT ? a : a + " && " + b;
    }

    int slot() {
      return end.category().ordinal() * CONDITIONS.length + condition.ordinal();
    }
  }

  /** Best chains of a function per {@link Key}. */
  private static final class Value {
    final TreeMap<Key, Link[]> byKey = new TreeMap<>();

    boolean isEmpty() {
      return byKey.isEmpty();
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private String targetArch;
  private UnaryOperator<String> archOf = file -> null;
  private final Map<String, String> interned = new HashMap<>();

  /** Adds one directory's functions (their edges already filled in). */
  public synchronized void add(List<Node> directory) {
    for (Node n : directory) {
      nodes.add(n);
      for (int i = 0; i < n.edges.size(); i++) {
        if (n.edges.get(i) instanceof CallEdge c && c.callee() == null) {
          n.edges.set(
              i,
              new CallEdge(
                  null,
                  intern(c.name()),
                  intern(c.file()),
                  c.line(),
                  c.argc(),
                  c.args(),
                  c.guard(),
                  c.conditions()));
        }
      }
    }
  }

  /**
   * The architecture the summaries are for ({@code target}, "x86") and which one each definition
   * belongs to ({@code archOf}, by kernel-relative file; null for generic code). {@link #solve}
   * then leaves out definitions of other architectures (UML's {@code ioremap()} of
   * lib/logic_iomem.c, built only with a configuration only arch/um selects), answers for a name
   * with the target architecture's own definitions where it has some (they override a {@code
   * __weak} or unselected generic one), and marks chains through them. Without a call, every
   * definition counts, as generic code.
   */
  public synchronized void arches(String target, UnaryOperator<String> archOf) {
    this.targetArch = target;
    this.archOf = archOf;
  }

  private boolean foreign(Node n) {
    return n.arch != null && !n.arch.equals(targetArch);
  }

  /** Paths and names repeat across millions of edges: keep one copy. */
  synchronized String intern(String s) {
    return s == null ? null : interned.computeIfAbsent(s, k -> k);
  }

  public synchronized int functionCount() {
    return nodes.size();
  }

  // ---------------------------------------------------------------- solving

  private Map<String, List<Node>> byName;
  private Map<Node, List<Node>> callers;

  /**
   * Solves the fixed point and returns the summary of every non-static function that may sleep and
   * that {@code written} accepts (by name and {@link KernelSummaries.Kind}), except names {@code
   * tables} covers (their row wins anyway). Names with several definitions (drivers that are never
   * linked together, a __weak default and its override) sleep only where all of them do, with the
   * best of their chains.
   *
   * @param exported the names the tree exports to modules (EXPORT_SYMBOL*)
   */
  public synchronized List<KernelSummaries.Function> solve(
      SleepApis tables, Set<String> exported, Predicate<KernelSummaries.Kind> written) {
    return solve(tables, name -> false, name -> false, exported, written);
  }

  /**
   * As {@link #solve(SleepApis, java.util.Set, java.util.function.Predicate)}, leaving out lock
   * effects of names {@code lockTables} covers (atomic-apis.tsv) and registrations of names {@code
   * callbackTables} covers (callback-apis.tsv): their rows answer anyway.
   */
  public synchronized List<KernelSummaries.Function> solve(
      SleepApis tables,
      Predicate<String> lockTables,
      Predicate<String> callbackTables,
      Set<String> exported,
      Predicate<KernelSummaries.Kind> written) {
    nodes.sort(
        Comparator.comparing((Node n) -> n.file)
            .thenComparingInt(n -> n.line)
            .thenComparing(n -> n.name));
    Map<String, String> fileArch = new HashMap<>();
    for (Node n : nodes) {
      n.arch =
          fileArch.computeIfAbsent(n.file, f -> Objects.requireNonNullElse(archOf.apply(f), ""));
      if (n.arch.isEmpty()) n.arch = null;
    }
    byName = new HashMap<>();
    for (Node n : nodes) {
      // Not built for the target: another architecture's function of the same name.
      if (n.exported && !foreign(n)) {
        byName.computeIfAbsent(n.name, k -> new ArrayList<>()).add(n);
      }
    }
    // A shared header's inline function counts only where no .c file defines the name: header-less
    // parsing takes the !CONFIG_ stub branch of an #ifdef, which is not the real function.
    byName.replaceAll(
        (name, defs) -> {
          List<Node> real = defs.stream().filter(d -> !d.header).toList();
          if (real.isEmpty()) real = defs;
          // The architecture's own definition is the one linked: a generic one of the same name is
          // a
          // __weak default or compiled only where the architecture does not provide its own.
          List<Node> own = real.stream().filter(d -> d.arch != null).toList();
          return own.isEmpty() ? real : own;
        });
    callers = new IdentityHashMap<>();
    for (Node n : nodes) {
      for (Object e : n.edges) {
        if (e instanceof CallEdge c) {
          for (Node t : targets(c)) callers.computeIfAbsent(t, k -> new ArrayList<>()).add(n);
        }
      }
    }
    Deque<Node> work = new ArrayDeque<>(nodes);
    Map<Node, Boolean> queued = new IdentityHashMap<>();
    for (Node n : nodes) queued.put(n, Boolean.TRUE);
    while (!work.isEmpty()) {
      Node n = work.poll();
      queued.remove(n);
      Value next = evaluate(n);
      if (n.value == null ? next.isEmpty() : same(n.value, next)) continue;
      n.value = next;
      for (Node c : callers.getOrDefault(n, List.of())) {
        if (queued.put(c, Boolean.TRUE) == null) work.add(c);
      }
    }
    solveCallbacks();
    List<KernelSummaries.Function> out = new ArrayList<>();
    for (Map.Entry<String, List<Node>> e : new TreeMap<>(byName).entrySet()) {
      List<Node> defs = e.getValue();
      int arity = defs.get(0).arity;
      boolean varargs = defs.get(0).varargs;
      // Not one function:
      if (defs.stream().anyMatch(d -> d.arity != arity || d.varargs != varargs)) continue;
      KernelSummaries.Kind kind =
          exported.contains(e.getKey())
              ? KernelSummaries.Kind.EXPORT
              : defs.stream().allMatch(d -> d.header)
                  ? KernelSummaries.Kind.INLINE
                  : KernelSummaries.Kind.INTERNAL;
      if (!written.test(kind)) continue;
      // A table row answers for its name anyway (the tables win): no rows for it here.
      List<KernelSummaries.Chain> chains = new ArrayList<>();
      Value v = tables.covers(e.getKey(), arity) ? null : merged(defs);
      Node def = defs.get(0);
      if (v != null) {
        Link[] always = v.byKey.getOrDefault(Key.ALWAYS, new Link[SLOTS]);
        v.byKey.forEach((k, slots) -> addChains(chains, k, slots, always, targetArch));
        if (!chains.isEmpty()) def = owner(defs, v);
      }
      boolean lockTable = lockTables.test(e.getKey());
      List<KernelSummaries.Acquired> acquired = lockTable ? List.of() : sharedAcquired(defs);
      List<KernelSummaries.Released> released = lockTable ? List.of() : sharedReleased(defs);
      List<KernelSummaries.Callback> callbacks =
          callbackTables.test(e.getKey()) ? List.of() : sharedCallbacks(defs);
      List<KernelSummaries.Returned> returns = sharedReturns(defs);
      if (chains.isEmpty()
          && acquired.isEmpty()
          && released.isEmpty()
          && callbacks.isEmpty()
          && returns.isEmpty()) {
        continue;
      }
      out.add(
          new KernelSummaries.Function(
              e.getKey(),
              arity,
              kind,
              def.file,
              def.line,
              chains,
              acquired,
              released,
              callbacks,
              returns,
              varargs,
              def.arch));
    }
    return out;
  }

  // ------------------------------------------------ lock effects, callbacks, vmalloc returns

  /**
   * The locks every definition of a name returns holding (by kind and lock text), as the first
   * definition says them; none when the definitions disagree.
   */
  private static List<KernelSummaries.Acquired> sharedAcquired(List<Node> defs) {
    List<KernelSummaries.Acquired> first = defs.get(0).acquired;
    for (Node d : defs) {
      if (d.acquired.size() != first.size()) return List.of();
      for (int i = 0; i < first.size(); i++) {
        if (d.acquired.get(i).kind() != first.get(i).kind()
            || !Objects.equals(d.acquired.get(i).lock(), first.get(i).lock())) {
          return List.of();
        }
      }
    }
    return first;
  }

  private static List<KernelSummaries.Released> sharedReleased(List<Node> defs) {
    List<KernelSummaries.Released> first = defs.get(0).released;
    for (Node d : defs) if (!d.released.equals(first)) return List.of();
    return first;
  }

  private static List<KernelSummaries.Returned> sharedReturns(List<Node> defs) {
    for (Node d : defs) if (d.returns.isEmpty()) return List.of();
    return defs.get(0).returns;
  }

  /** Registered parameters every definition has, each with the best of their chains. */
  private static List<KernelSummaries.Callback> sharedCallbacks(List<Node> defs) {
    if (defs.get(0).callbacks == null) return List.of();
    List<KernelSummaries.Callback> out = new ArrayList<>();
    for (Map.Entry<String, CallbackLink> e : defs.get(0).callbacks.entrySet()) {
      CallbackLink best = bestOfAll(defs, e.getKey());
      if (best == null) continue;
      List<KernelSummaries.Call> calls = new ArrayList<>();
      CallbackLink x = best;
      for (; x.callee != null; x = x.next) {
        calls.add(new KernelSummaries.Call(x.callee, x.file, x.line));
      }
      CallbackDirect end = x.end;
      out.add(
          new KernelSummaries.Callback(
              best.param,
              end.field(),
              end.kind(),
              end.api(),
              List.copyOf(calls),
              end.file(),
              end.line(),
              end.how()));
    }
    return out;
  }

  /**
   * Which parameters each function registers as atomic callbacks, through any number of calls: a
   * worklist from the direct registrations up the callers, keeping per parameter the shortest chain
   * (ties: positions), so the result does not depend on the order of the directories.
   */
  private void solveCallbacks() {
    Map<Node, List<Object[]>> up = new IdentityHashMap<>(); // callee -> {caller, edge}
    Deque<Node> work = new ArrayDeque<>();
    Map<Node, Boolean> queued = new IdentityHashMap<>();
    for (Node n : nodes) {
      for (CallbackEdge e : n.callbackEdges) {
        List<Node> ts = targets(e.callee(), e.name(), e.argc());
        for (Node t : ts) up.computeIfAbsent(t, k -> new ArrayList<>()).add(new Object[] {n, e});
      }
      if (!n.callbackDirect.isEmpty()) {
        n.callbacks = new TreeMap<>();
        for (CallbackDirect d : n.callbackDirect) offer(n, new CallbackLink(d));
        if (queued.put(n, Boolean.TRUE) == null) work.add(n);
      }
    }
    while (!work.isEmpty()) {
      Node t = work.poll();
      queued.remove(t);
      for (Object[] ce : up.getOrDefault(t, List.of())) {
        Node caller = (Node) ce[0];
        CallbackEdge e = (CallbackEdge) ce[1];
        // A name with several definitions registers only what every one of them does.
        List<Node> defs = targets(e.callee(), e.name(), e.argc());
        boolean changed = false;
        for (CallbackLink l : List.copyOf(t.callbacks.values())) {
          if (l.param != e.argIndex()) continue;
          CallbackLink best = bestOfAll(defs, l.key());
          if (best == null) continue;
          if (caller.callbacks == null) caller.callbacks = new TreeMap<>();
          changed |= offer(caller, new CallbackLink(e, t.name, best));
        }
        if (changed && queued.put(caller, Boolean.TRUE) == null) work.add(caller);
      }
    }
  }

  /** The best chain for {@code key} among definitions that all have one, else null. */
  private static CallbackLink bestOfAll(List<Node> defs, String key) {
    CallbackLink best = null;
    for (Node d : defs) {
      CallbackLink l = d.callbacks == null ? null : d.callbacks.get(key);
      if (l == null) return null;
      if (best == null || compare(l, best) < 0) best = l;
    }
    return best;
  }

  private static boolean offer(Node n, CallbackLink l) {
    CallbackLink old = n.callbacks.get(l.key());
    if (old != null && compare(l, old) >= 0) return false;
    n.callbacks.put(l.key(), l);
    return true;
  }

  private static int compare(CallbackLink a, CallbackLink b) {
    int c = Integer.compare(a.length, b.length);
    for (CallbackLink x = a, y = b; c == 0 && x != null; x = x.next, y = y.next) {
      if (x == y) return 0;
      c = x.file.compareTo(y.file);
      if (c == 0) c = Integer.compare(x.line, y.line);
      if (c == 0 && x.callee != null && y.callee != null) c = x.callee.compareTo(y.callee);
    }
    return c != 0 ? c : a.end.api().compareTo(b.end.api());
  }

  /**
   * The definitions a call reaches: its directory's, else the tree's of that name and arity (a
   * same-named function of another arity is another API: kvm's gfn_to_pfn(kvm, gfn) is not xen's
   * gfn_to_pfn(gfn) macro).
   */
  private List<Node> targets(CallEdge c) {
    return targets(c.callee(), c.name(), c.argc());
  }

  private List<Node> targets(Node callee, String name, int argc) {
    if (callee != null) {
      if (!replaced(callee)) return List.of(callee);
      name = callee.name;
    }
    List<Node> defs = byName.getOrDefault(name, List.of());
    for (Node d : defs) {
      if (d.arity != argc && !(d.varargs && argc > d.arity)) return List.of();
    }
    return defs;
  }

  /**
   * A directory's own definition that is not the one linked for the target: another architecture's
   * (lib/ calling lib/logic_iomem.c's ioremap()), or a generic one that the target's own definition
   * overrides. The call then reaches the tree's definitions by name.
   */
  private boolean replaced(Node callee) {
    if (!callee.exported || callee.header) return false;
    if (foreign(callee)) return true;
    List<Node> defs = byName.get(callee.name);
    return defs != null && !defs.contains(callee) && defs.get(0).arch != null;
  }

  private Value evaluate(Node n) {
    Value v = new Value();
    boolean own = n.arch != null;
    for (Object e : n.edges) {
      if (e instanceof SleepEdge s) {
        Link l = new Link(s, s.condition(), own);
        if (s.params() == 0) offer(v, s.guard() != null ? s.guard() : Key.ALWAYS, l);
        else forEachParam(s.params(), k -> offer(v, gfp(k), l));
        continue;
      }
      CallEdge c = (CallEdge) e;
      List<Node> ts = targets(c);
      if (ts.isEmpty()) continue; // a macro or a function of no summarised directory
      Value callee = ts.size() == 1 ? ts.get(0).value : merged(ts);
      if (callee == null) continue;
      String name = ts.get(0).name;
      for (Map.Entry<Key, Link[]> g : callee.byKey.entrySet()) {
        Key k = g.getKey();
        Arg arg =
            k.param() >= 0 && c.args() != null && k.param() < c.args().length
                ? c.args()[k.param()]
                : null;
        if (k.when() == KernelSummaries.When.GFP) {
          long code = arg == null ? 0 : arg.gfp();
          if (code == 0) continue;
          for (Link l : g.getValue()) {
            if (l == null) continue;
            if (code == BLOCKS) {
              offer(
                  v,
                  guarded(Key.ALWAYS, c),
                  new Link(c, name, l, l.condition, arg.flags(), null, own));
            } else if (code == BLOCKS_OUTSIDE_INTERRUPT) {
              SleepApis.Condition cond =
                  l.condition == SleepApis.Condition.ALWAYS
                      ? SleepApis.Condition.UNLESS_IN_INTERRUPT
                      : l.condition;
              offer(v, guarded(Key.ALWAYS, c), new Link(c, name, l, cond, arg.flags(), null, own));
            } else {
              Link through = new Link(c, name, l, l.condition, l.flags, null, own);
              forEachParam(code, p -> offer(v, gfp(p), through));
            }
          }
          continue;
        }
        Key nk = k.isCondition() ? through(k, arg) : Key.ALWAYS;
        if (nk == null) continue; // the caller's value rules the chain out
        // Unknown here and not the caller's own parameter: the chain needs it at run time.
        String open =
            k.isCondition() && nk.equals(Key.ALWAYS) && !decides(k, arg)
                ? openCondition(name, k, arg)
                : null;
        nk = guarded(nk, c);
        for (Link l : g.getValue()) {
          if (l != null) offer(v, nk, new Link(c, name, l, l.condition, l.flags, open, own));
        }
      }
    }
    return v;
  }

  /**
   * How a callee's condition reads when the caller leaves it open: on the caller's argument as
   * written when it is run-time state ("substream->pcm->nonatomic", "!(mode & 0x2)"), else on the
   * callee's argument ("dev_err_probe() argument 2 == -517"); null for a truth test of a pointer,
   * mostly a NULL check (the normal path).
   */
  private static String openCondition(String callee, Key k, Arg arg) {
    String text = arg == null ? null : arg.text();
    if (text != null) {
      return switch (k.when()) {
        case TRUE -> text;
        case FALSE -> negation(text);
        case MASK_SET -> "(" + text + ") & 0x" + Long.toHexString(k.value());
        case MASK_CLEAR -> "!((" + text + ") & 0x" + Long.toHexString(k.value()) + ")";
        case EQUALS -> text + " == " + k.value();
        default -> null;
      };
    }
    String name = callee + "() argument " + (k.param() + 1);
    return switch (k.when()) {
      case FALSE -> name + " == 0";
      case MASK_SET -> name + " & 0x" + Long.toHexString(k.value());
      case MASK_CLEAR -> "!(" + name + " & 0x" + Long.toHexString(k.value()) + ")";
      case EQUALS -> name + " == " + k.value();
      default -> null;
    };
  }

  private static String negation(String text) {
    return text.indexOf(' ') < 0 && !text.startsWith("!") ? "!" + text : "!(" + text + ")";
  }

  private static Key gfp(int param) {
    return new Key(KernelSummaries.When.GFP, param, 0);
  }

  /**
   * A callee's condition on its parameter, seen from the caller: gone when the argument's value
   * satisfies it, null when the value rules it out, the caller's own parameter's condition when it
   * passes one on, and unconditional when unknown (as at a module's call site, SleepSummaries).
   */
  private static Key through(Key k, Arg arg) {
    if (arg == null) return Key.ALWAYS;
    if (arg.value() != null) return holds(k, arg.value()) ? Key.ALWAYS : null;
    if (arg.param() < 0) return Key.ALWAYS;
    KernelSummaries.When w = k.when();
    if (arg.set() != 0 || arg.kept() != -1L) {
      long mask = k.value();
      return switch (w) {
        case MASK_CLEAR ->
            (arg.set() & mask) != 0
                ? null
                : (mask & arg.kept()) == 0
                    ? Key.ALWAYS
                    : new Key(w, arg.param(), mask & arg.kept());
        case MASK_SET ->
            (arg.set() & mask) != 0
                ? Key.ALWAYS
                : (mask & arg.kept()) == 0 ? null : new Key(w, arg.param(), mask & arg.kept());
        case TRUE -> Key.ALWAYS;
        case FALSE -> arg.set() != 0 ? null : Key.ALWAYS;
        default -> Key.ALWAYS;
      };
    }
    if (arg.negated()) {
      if (w == KernelSummaries.When.TRUE) w = KernelSummaries.When.FALSE;
      else if (w == KernelSummaries.When.FALSE) w = KernelSummaries.When.TRUE;
      else return Key.ALWAYS;
    }
    return new Key(w, arg.param(), k.value());
  }

  /** Whether the caller's argument settles a callee's condition (a value, or the bits it sets). */
  private static boolean decides(Key k, Arg arg) {
    if (arg == null) return false;
    if (arg.value() != null) return true;
    if (arg.param() < 0 || arg.set() == 0 && arg.kept() == -1L) return false;
    long mask = k.value();
    return switch (k.when()) {
      case MASK_CLEAR, MASK_SET -> (arg.set() & mask) != 0 || (mask & arg.kept()) == 0;
      case TRUE, FALSE -> arg.set() != 0;
      default -> false;
    };
  }

  /** Whether a known value satisfies a condition. */
  static boolean holds(Key k, long x) {
    return switch (k.when()) {
      case TRUE -> x != 0;
      case FALSE -> x == 0;
      case MASK_SET -> (x & k.value()) != 0;
      case MASK_CLEAR -> (x & k.value()) == 0;
      case EQUALS -> x == k.value();
      default -> true;
    };
  }

  /**
   * A chain through a guarded call keeps the call's own guard (the caller's test decides), unless
   * the chain already depends on bits or a value the caller hands on from its own parameter: {@code
   * if (group) nlmsg_multicast(..., flags)} reaches {@code yield()} only for flags that allow
   * blocking, and a chain keeps one key, so the flags (which callers pass as constants such as
   * GFP_ATOMIC) say more than the truth of {@code group}.
   */
  private static Key guarded(Key k, CallEdge c) {
    if (c.guard() == null) return k;
    return switch (k.when()) {
      case GFP, MASK_SET, MASK_CLEAR, EQUALS -> k;
      default -> c.guard();
    };
  }

  private static void forEachParam(long bits, IntConsumer action) {
    for (int p = 0; p < 62; p++) {
      if ((bits & (1L << p)) != 0) action.accept(p);
    }
  }

  /** The value of a name several definitions share: a slot only where every one has it. */
  private static Value merged(List<Node> defs) {
    if (defs.size() == 1) return defs.get(0).value;
    for (Node d : defs) if (d.value == null) return null;
    Value m = new Value();
    for (Key k : defs.get(0).value.byKey.keySet()) {
      for (int i = 0; i < SLOTS; i++) {
        Link b = best(defs, k, i);
        if (b != null) m.byKey.computeIfAbsent(k, x -> new Link[SLOTS])[i] = b;
      }
    }
    return m.isEmpty() ? null : m;
  }

  private static Link best(List<Node> defs, Key k, int i) {
    Link best = null;
    for (Node d : defs) {
      Link[] s = d.value.byKey.get(k);
      Link l = s == null ? null : s[i];
      if (l == null) return null;
      if (best == null || compare(l, best) < 0) best = l;
    }
    return best;
  }

  /** The definition whose chain is the merged value's first: where the summary points. */
  private static Node owner(List<Node> defs, Value v) {
    if (defs.size() == 1) return defs.get(0);
    Link first = null;
    for (Link l : v.byKey.firstEntry().getValue()) {
      if (l != null && (first == null || compare(l, first) < 0)) first = l;
    }
    for (Node d : defs) {
      for (Link[] s : d.value.byKey.values()) for (Link l : s) if (l == first) return d;
    }
    return defs.get(0);
  }

  private static void offer(Value v, Key key, Link link) {
    Link[] slots = v.byKey.computeIfAbsent(key, k -> new Link[SLOTS]);
    ChainSlots.offer(slots, link.slot(), link, KernelSummaryBuilder::compare);
  }

  private static boolean same(Value a, Value b) {
    if (!a.byKey.keySet().equals(b.byKey.keySet())) return false;
    for (Map.Entry<Key, Link[]> e : a.byKey.entrySet()) {
      if (!ChainSlots.same(e.getValue(), b.byKey.get(e.getKey()), KernelSummaryBuilder::compare)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A chain with no undecided condition first; then fewer calls; then the calls' positions, step by
   * step; then the sleeping call.
   */
  private static int compare(Link a, Link b) {
    int c = Boolean.compare(a.conditions != null, b.conditions != null);
    if (c != 0) return c;
    c = Integer.compare(a.length, b.length);
    if (c != 0) return c;
    // Generic code first: that chain also holds for callers of other architectures.
    c = Boolean.compare(a.arch, b.arch);
    if (c != 0) return c;
    for (Link x = a, y = b; x != null; x = x.next, y = y.next) {
      if (x == y) return 0;
      c = x.file.compareTo(y.file);
      if (c == 0) c = Integer.compare(x.line, y.line);
      if (c == 0 && x.callee != null && y.callee != null) c = x.callee.compareTo(y.callee);
      if (c != 0) return c;
    }
    c = a.end.message().compareTo(b.end.message());
    if (c == 0) c = a.end.api().compareTo(b.end.api());
    return c != 0 ? c : a.condition.compareTo(b.condition);
  }

  /**
   * Per category: the conditional chains shorter than the unconditional one, then the unconditional
   * one (as {@link SleepSummaries} answers a call).
   */
  private static void addChains(
      List<KernelSummaries.Chain> out, Key key, Link[] slots, Link[] always, String arch) {
    int k = CONDITIONS.length;
    for (int c = 0; c < CATEGORIES.length; c++) {
      Link plain = slots[k * c + SleepApis.Condition.ALWAYS.ordinal()];
      // A chain that needs a condition adds nothing where an unconditional one is as short.
      if (!key.equals(Key.ALWAYS) && plain != null) {
        Link a = always[k * c + SleepApis.Condition.ALWAYS.ordinal()];
        if (a != null && a.length <= plain.length) plain = null;
      }
      List<Link> kept = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        Link l = slots[k * c + i];
        if (l == null || l == slots[k * c + SleepApis.Condition.ALWAYS.ordinal()]) continue;
        Link a = always[k * c + i];
        if (!key.equals(Key.ALWAYS) && a != null && a.length <= l.length) continue;
        if (plain == null || compare(l, plain) < 0) kept.add(l);
      }
      kept.sort(KernelSummaryBuilder::compare);
      if (plain != null) kept.add(plain);
      for (Link l : kept) out.add(toChain(key, l, arch));
    }
  }

  private static KernelSummaries.Chain toChain(Key key, Link l, String arch) {
    List<KernelSummaries.Call> calls = new ArrayList<>();
    Link x = l;
    for (; x.callee != null; x = x.next) {
      calls.add(new KernelSummaries.Call(x.callee, x.file, x.line));
    }
    SleepEdge end = x.end;
    return new KernelSummaries.Chain(
        key.when(),
        key.param(),
        key.value(),
        end.category(),
        l.condition,
        end.api(),
        List.copyOf(calls),
        end.file(),
        end.line(),
        end.message(),
        l.flags,
        l.conditions == null ? List.of() : List.of(l.conditions.split(" && ", -1)),
        l.arch ? arch : null);
  }
}
