package dev.kmodcheck.facts.context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The analysis' internal, immutable path state: held causes (distinct by identity, acquisition
 * order; causes are created once per CFG node so identity is exact and cheap), the names each held
 * lock can be released by on these paths (sorted; an assignment {@code p = q} adds the {@code p}
 * form of what is held through {@code q}), branch assumptions sorted by key, and the caller's locks
 * this function released (for lock effects).
 */
final class LockState {
  static final int MAX_ASSUMPTIONS = 24;
  private static final AtomicCause[] NO_CAUSES = {};
  private static final String[] NO_KEYS = {};
  private static final boolean[] NO_VALS = {};

  final AtomicCause[] held;

  /** Parallel to {@link #held}: the lock texts an unlock may name it by (shared, never changed). */
  final String[][] names;

  final String[] keys;
  final boolean[] vals;
  final String[] released;
  private final int hash;

  LockState(
      AtomicCause[] held, String[][] names, String[] keys, boolean[] vals, String[] released) {
    this.held = held;
    this.names = names;
    this.keys = keys;
    this.vals = vals;
    this.released = released;
    int h = 1;
    for (AtomicCause c : held) h = 31 * h + System.identityHashCode(c);
    h = 31 * h + Arrays.deepHashCode(names);
    this.hash =
        31 * (31 * h + Arrays.hashCode(keys) + Arrays.hashCode(vals)) + Arrays.hashCode(released);
  }

  static LockState initial(List<AtomicCause> entry, Function<AtomicCause, String[]> names) {
    List<AtomicCause> distinct = new ArrayList<>();
    for (AtomicCause c : entry) if (!containsIdentity(distinct, c)) distinct.add(c);
    String[][] n = new String[distinct.size()][];
    for (int i = 0; i < n.length; i++) n[i] = names.apply(distinct.get(i));
    return new LockState(distinct.toArray(NO_CAUSES), n, NO_KEYS, NO_VALS, NO_KEYS);
  }

  boolean atomic() {
    return held.length > 0;
  }

  /** The assumed value of {@code key}, or null. */
  Boolean assumed(String key) {
    int i = Arrays.binarySearch(keys, key);
    return i >= 0 ? vals[i] : null;
  }

  LockState assume(String key, boolean val) {
    int i = Arrays.binarySearch(keys, key);
    if (i >= 0) {
      if (vals[i] == val) return this;
      boolean[] v = vals.clone();
      v[i] = val;
      return new LockState(held, names, keys, v, released);
    }
    if (keys.length >= MAX_ASSUMPTIONS) return this;
    int at = -i - 1;
    String[] k = new String[keys.length + 1];
    boolean[] v = new boolean[keys.length + 1];
    System.arraycopy(keys, 0, k, 0, at);
    System.arraycopy(vals, 0, v, 0, at);
    k[at] = key;
    v[at] = val;
    System.arraycopy(keys, at, k, at + 1, keys.length - at);
    System.arraycopy(vals, at, v, at + 1, keys.length - at);
    return new LockState(held, names, k, v, released);
  }

  /** Drops the assumptions whose key matches (a variable in them was assigned). */
  LockState forget(Predicate<String> stale) {
    int keep = 0;
    for (String k : keys) if (!stale.test(k)) keep++;
    if (keep == keys.length) return this;
    String[] k = new String[keep];
    boolean[] v = new boolean[keep];
    int j = 0;
    for (int i = 0; i < keys.length; i++) {
      if (!stale.test(keys[i])) {
        k[j] = keys[i];
        v[j++] = vals[i];
      }
    }
    return new LockState(held, names, k, v, released);
  }

  /** Adds {@code causes} (those not held yet), each known by {@code names[i]}. */
  LockState acquire(AtomicCause[] causes, String[][] causeNames) {
    if (causes.length == 0) return this;
    AtomicCause[] h = Arrays.copyOf(held, held.length + causes.length);
    String[][] nm = Arrays.copyOf(names, held.length + causes.length);
    int n = held.length;
    for (int i = 0; i < causes.length; i++) {
      if (!containsIdentity(h, n, causes[i])) {
        nm[n] = causeNames[i];
        h[n++] = causes[i];
      }
    }
    if (n == held.length) return this;
    return new LockState(Arrays.copyOf(h, n), Arrays.copyOf(nm, n), keys, vals, released);
  }

  /** Keeps only the held causes in {@code h} (a subsequence of {@link #held}). */
  LockState withHeld(AtomicCause[] h) {
    String[][] nm = new String[h.length][];
    int j = 0;
    for (int i = 0; i < held.length && j < h.length; i++) if (held[i] == h[j]) nm[j++] = names[i];
    return new LockState(h, nm, keys, vals, released);
  }

  /** The same held causes, known by {@code n} (parallel to {@link #held}). */
  LockState withNames(String[][] n) {
    return Arrays.deepEquals(n, names) ? this : new LockState(held, n, keys, vals, released);
  }

  /** The names {@code c} is known by here, or null when it is not held. */
  String[] namesOf(AtomicCause c) {
    for (int i = 0; i < held.length; i++) if (held[i] == c) return names[i];
    return null;
  }

  LockState withReleased(String what) {
    int i = Arrays.binarySearch(released, what);
    if (i >= 0) return this;
    int at = -i - 1;
    String[] r = new String[released.length + 1];
    System.arraycopy(released, 0, r, 0, at);
    r[at] = what;
    System.arraycopy(released, at, r, at + 1, released.length - at);
    return new LockState(held, names, keys, vals, r);
  }

  /** True when this state covers {@code o}: holds at least as much, assumes no more. */
  boolean subsumes(LockState o) {
    for (int i = 0; i < o.held.length; i++) {
      String[] n = namesOf(o.held[i]);
      if (n == null || !Arrays.equals(n, o.names[i])) return false;
    }
    for (int i = 0; i < keys.length; i++) {
      Boolean v = o.assumed(keys[i]);
      if (v == null || v != vals[i]) return false;
    }
    for (String r : o.released) if (Arrays.binarySearch(released, r) < 0) return false;
    return true;
  }

  /**
   * Join: union of held causes and releases, the assumptions both agree on. A lock known by
   * different names on the two sides keeps only the names both agree on (an unlock through a name
   * one side does not know must not end it there); with none in common it keeps one side's names
   * made unmatchable ({@link #stale}), so it stays held and grouped with its lock call.
   */
  static LockState merge(LockState a, LockState b) {
    AtomicCause[] h = Arrays.copyOf(a.held, a.held.length + b.held.length);
    String[][] nm = Arrays.copyOf(a.names, a.held.length + b.held.length);
    int n = a.held.length;
    for (int i = 0; i < b.held.length; i++) {
      AtomicCause c = b.held[i];
      int at = indexOf(h, n, c);
      if (at < 0) {
        nm[n] = b.names[i];
        h[n++] = c;
      } else if (!Arrays.equals(nm[at], b.names[i])) {
        nm[at] = common(nm[at], b.names[i]);
      }
    }
    List<String> k = new ArrayList<>();
    List<Boolean> v = new ArrayList<>();
    for (int i = 0; i < a.keys.length; i++) {
      Boolean bv = b.assumed(a.keys[i]);
      if (bv != null && bv == a.vals[i]) {
        k.add(a.keys[i]);
        v.add(bv);
      }
    }
    boolean[] vals = new boolean[v.size()];
    for (int i = 0; i < vals.length; i++) vals[i] = v.get(i);
    LockState m =
        new LockState(
            Arrays.copyOf(h, n), Arrays.copyOf(nm, n), k.toArray(NO_KEYS), vals, a.released);
    for (String r : b.released) m = m.withReleased(r);
    return m;
  }

  boolean sameHeld(LockState o) {
    if (held.length != o.held.length) return false;
    for (int i = 0; i < held.length; i++) if (held[i] != o.held[i]) return false;
    return true;
  }

  /** Sorted names in both; if none, {@code a}'s names made unmatchable. */
  private static String[] common(String[] a, String[] b) {
    String[] both = shared(a, b);
    if (both.length > 0) return both;
    String[] s = new String[a.length];
    for (int i = 0; i < a.length; i++) s[i] = stale(a[i]);
    Arrays.sort(s);
    return s;
  }

  /** The names in both sorted arrays. */
  static String[] shared(String[] a, String[] b) {
    List<String> out = new ArrayList<>();
    for (String x : a) if (Arrays.binarySearch(b, x) >= 0) out.add(x);
    return out.toArray(NO_KEYS);
  }

  /**
   * A name no unlock can match (no lock text starts with '~'): the variable it went through was
   * assigned since, so it names another object now. Kept rather than dropped so that the causes of
   * one lock call still share a name (a guessed release ends all of them).
   */
  static String stale(String name) {
    return name.startsWith("~") ? name : "~" + name;
  }

  private static int indexOf(AtomicCause[] arr, int n, AtomicCause c) {
    for (int i = 0; i < n; i++) if (arr[i] == c) return i;
    return -1;
  }

  private static boolean containsIdentity(List<AtomicCause> list, AtomicCause c) {
    for (AtomicCause x : list) if (x == c) return true;
    return false;
  }

  private static boolean containsIdentity(AtomicCause[] arr, int n, AtomicCause c) {
    for (int i = 0; i < n; i++) if (arr[i] == c) return true;
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LockState s
        && hash == s.hash
        && sameHeld(s)
        && Arrays.deepEquals(names, s.names)
        && Arrays.equals(keys, s.keys)
        && Arrays.equals(vals, s.vals)
        && Arrays.equals(released, s.released);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
