package dev.kmodcheck.facts.context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The analysis' internal, immutable path state: held causes (distinct by identity, acquisition
 * order; causes are created once per CFG node so identity is exact and cheap), branch
 * assumptions sorted by key, and the caller's locks this function released (for lock effects).
 */
final class LockState {
  static final int MAX_ASSUMPTIONS = 24;
  private static final AtomicCause[] NO_CAUSES = {};
  private static final String[] NO_KEYS = {};
  private static final boolean[] NO_VALS = {};

  final AtomicCause[] held;
  final String[] keys;
  final boolean[] vals;
  final String[] released;
  private final int hash;

  LockState(AtomicCause[] held, String[] keys, boolean[] vals, String[] released) {
    this.held = held;
    this.keys = keys;
    this.vals = vals;
    this.released = released;
    int h = 1;
    for (AtomicCause c : held) h = 31 * h + System.identityHashCode(c);
    this.hash = 31 * (31 * h + Arrays.hashCode(keys) + Arrays.hashCode(vals))
        + Arrays.hashCode(released);
  }

  static LockState initial(List<AtomicCause> entry) {
    List<AtomicCause> distinct = new ArrayList<>();
    for (AtomicCause c : entry) if (!containsIdentity(distinct, c)) distinct.add(c);
    return new LockState(distinct.toArray(NO_CAUSES), NO_KEYS, NO_VALS, NO_KEYS);
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
      return new LockState(held, keys, v, released);
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
    return new LockState(held, k, v, released);
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
    return new LockState(held, k, v, released);
  }

  LockState acquire(AtomicCause[] causes) {
    if (causes.length == 0) return this;
    AtomicCause[] h = Arrays.copyOf(held, held.length + causes.length);
    int n = held.length;
    for (AtomicCause c : causes) {
      if (!containsIdentity(h, n, c)) h[n++] = c;
    }
    if (n == held.length) return this;
    return new LockState(Arrays.copyOf(h, n), keys, vals, released);
  }

  LockState withHeld(AtomicCause[] h) {
    return new LockState(h, keys, vals, released);
  }

  LockState withReleased(String what) {
    int i = Arrays.binarySearch(released, what);
    if (i >= 0) return this;
    int at = -i - 1;
    String[] r = new String[released.length + 1];
    System.arraycopy(released, 0, r, 0, at);
    r[at] = what;
    System.arraycopy(released, at, r, at + 1, released.length - at);
    return new LockState(held, keys, vals, r);
  }

  /** True when this state covers {@code o}: holds at least as much, assumes no more. */
  boolean subsumes(LockState o) {
    for (AtomicCause c : o.held) if (!containsIdentity(held, held.length, c)) return false;
    for (int i = 0; i < keys.length; i++) {
      Boolean v = o.assumed(keys[i]);
      if (v == null || v != vals[i]) return false;
    }
    for (String r : o.released) if (Arrays.binarySearch(released, r) < 0) return false;
    return true;
  }

  /** Join: union of held causes and releases, the assumptions both agree on. */
  static LockState merge(LockState a, LockState b) {
    AtomicCause[] h = Arrays.copyOf(a.held, a.held.length + b.held.length);
    int n = a.held.length;
    for (AtomicCause c : b.held) if (!containsIdentity(h, n, c)) h[n++] = c;
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
    LockState m = new LockState(Arrays.copyOf(h, n), k.toArray(NO_KEYS), vals, a.released);
    for (String r : b.released) m = m.withReleased(r);
    return m;
  }

  boolean sameHeld(LockState o) {
    if (held.length != o.held.length) return false;
    for (int i = 0; i < held.length; i++) if (held[i] != o.held[i]) return false;
    return true;
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
    return o instanceof LockState s && hash == s.hash && sameHeld(s) && Arrays.equals(keys, s.keys)
        && Arrays.equals(vals, s.vals) && Arrays.equals(released, s.released);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
