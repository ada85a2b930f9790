package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.facts.cfg.CfgBuilder;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.IrWalk;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.VarDecl;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one function's body says about the struct fields it hands to its callees, so that a constant
 * stored in a field reaches a callee that tests it:
 *
 * <ul>
 *   <li>a local struct passed by address: {@code struct il_host_cmd cmd = { .flags = flags };
 *       il_send_cmd(il, &cmd);} (the designated initialiser or the one store {@code cmd.flags =
 *       v});
 *   <li>a local pointer returned by a callee that stores a parameter in the field: {@code req =
 *       irdma_alloc_and_get_cqp_request(cqp, false); irdma_handle_cqp_op(rf, req);} where the
 *       allocator does {@code req->waiting = wait; return req;}.
 * </ul>
 *
 * <p>Flow-insensitive by design: a field counts only when the function defines it exactly once
 * (compound {@code |= K} stores are allowed when K leaves the tested bits alone), and calls that
 * may change the struct in between are trusted not to touch that field. Anything else is unknown,
 * and an unknown value keeps a chain unconditional, as if the field were not tested at all.
 */
final class FieldValues {

  /** A store to a field: {@code op} is "=" or a compound operator; {@code value} its operand. */
  private record Store(String op, Expr value) {}

  /** Stores per lvalue text ({@link ExprKey}: "cmd.flags", "req->waiting"). */
  private final Map<String, List<Store>> stores = new HashMap<>();

  /** Definitions per local: initialisers and plain assignments. */
  private final Map<String, List<Expr>> localDefs = new HashMap<>();

  /** Locals whose address is taken or that are incremented: not single-valued. */
  private final Map<String, Boolean> localsChanged = new HashMap<>();

  private final FunctionDef def;

  private FieldValues(FunctionDef def) {
    this.def = def;
  }

  static FieldValues of(FunctionDef def) {
    FieldValues v = new FieldValues(def);
    if (def.body() != null) v.scan(def.body());
    return v;
  }

  private void scan(Stmt body) {
    IrWalk.expressions(
        body,
        e -> {
          if (e instanceof Expr.Binary b && b.isAssignment()) {
            Expr lv = strip(b.left());
            String op = b.op();
            stores
                .computeIfAbsent(ExprKey.of(lv), k -> new ArrayList<>())
                .add(new Store(op, b.right()));
            if (lv instanceof Expr.Ident id && id.kind() == Expr.IdKind.LOCAL) {
              if (op.equals("=")) {
                localDefs.computeIfAbsent(id.name(), k -> new ArrayList<>()).add(b.right());
              } else {
                localsChanged.put(id.name(), true);
              }
            }
          } else if (e instanceof Expr.Unary u
              && (u.op().contains("++") || u.op().contains("--"))
              && strip(u.operand()) instanceof Expr.Ident id) {
            localsChanged.put(id.name(), true);
          }
        },
        v -> {
          if (v.init() != null && !v.isStatic() && !v.isExtern()) {
            localDefs.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v.init());
            if (v.init() instanceof Expr.InitList init) designated(v.name(), init);
          }
        });
  }

  /** {@code struct s x = { .f = v }}: a store "x.f = v" (positional items are not mapped). */
  private void designated(String local, Expr.InitList init) {
    for (Expr.Designated d : init.items()) {
      if (d.designators().size() != 1 || !d.designators().get(0).startsWith(".")) continue;
      String key = local + "." + d.designators().get(0).substring(1);
      stores.computeIfAbsent(key, k -> new ArrayList<>()).add(new Store("=", d.value()));
    }
  }

  /**
   * The expressions, in this function, that field {@code field} of the struct {@code arg} points to
   * may hold when {@code arg} is passed to a callee; null when unknown. {@code mask}, when
   * non-zero, is the bits the callee tests: compound stores that leave them alone are ignored.
   * {@code returned} gives, for a callee that returns a pointer, its parameter or constant the
   * returned struct's field is set from (see {@link #returnedField}).
   */
  List<Expr> valuesOf(Expr arg, String field, long mask, Returned returned) {
    Expr e = strip(arg);
    if (e instanceof Expr.Unary u
        && u.op().equals("&")
        && strip(u.operand()) instanceof Expr.Ident id
        && id.kind() == Expr.IdKind.LOCAL) {
      return single(id.name() + "." + field, mask);
    }
    if (e instanceof Expr.Ident id
        && id.kind() == Expr.IdKind.LOCAL
        && !localsChanged.containsKey(id.name())) {
      List<Store> own = stores.get(id.name() + "->" + field);
      List<Expr> defs = localDefs.get(id.name());
      if (defs == null || defs.size() != 1) return null;
      if (strip(defs.get(0)) instanceof Expr.Call call && own == null) {
        Expr v = returned.fieldArgument(call, field);
        return v == null ? null : List.of(v);
      }
      return own == null ? null : single(id.name() + "->" + field, mask);
    }
    return null;
  }

  /** Whether this function stores to {@code param->field} anywhere. */
  boolean storesTo(String param, String field) {
    return stores.containsKey(param + "->" + field);
  }

  /** Resolves a call's returned struct field to the caller's argument expression. */
  interface Returned {
    Expr fieldArgument(Expr.Call call, String field);
  }

  private List<Expr> single(String key, long mask) {
    List<Store> s = stores.get(key);
    if (s == null) return null;
    Expr base = null;
    for (Store st : s) {
      if (st.op().equals("=")) {
        if (base != null) return null;
        base = st.value();
      } else if (!leavesBitsAlone(st, mask)) {
        return null;
      }
    }
    return base == null ? null : List.of(base);
  }

  /** {@code x |= K} or {@code x &= ~K} with K outside the tested mask. */
  private static boolean leavesBitsAlone(Store st, long mask) {
    if (mask == 0) return false;
    BigInteger k = CfgBuilder.constant(strip(st.value()));
    if (k == null || k.bitLength() > 62) return false;
    long bits = k.longValue();
    return switch (st.op()) {
      case "|=", "^=" -> (bits & mask) == 0;
      case "&=" -> (bits & mask) == mask;
      default -> false;
    };
  }

  /**
   * For a function that returns a local pointer {@code x} (every non-constant {@code return}
   * returns the same x) and stores into {@code x->field} exactly once: the stored expression when
   * it is one of its parameters or a constant, with the parameter's index (-1 for a constant).
   */
  record ReturnedField(int param, Expr value) {}

  ReturnedField returnedField(String field, Function<Expr, BigInteger> constant) {
    String local = returnedLocal();
    if (local == null) return null;
    List<Store> s = stores.get(local + "->" + field);
    if (s == null || s.size() != 1 || !s.get(0).op().equals("=")) return null;
    Expr v = strip(s.get(0).value());
    if (v instanceof Expr.Ident id && id.kind() == Expr.IdKind.PARAM) {
      if (stores.containsKey(id.name())) return null;
      List<VarDecl> ps = def.params();
      for (int i = 0; i < ps.size(); i++) {
        if (ps.get(i).name().equals(id.name())) return new ReturnedField(i, v);
      }
      return null;
    }
    return constant.apply(v) != null ? new ReturnedField(-1, v) : null;
  }

  private String returnedLocal() {
    List<Expr> values = new ArrayList<>();
    IrWalk.statements(
        def.body(),
        st -> {
          if (st instanceof Stmt.Return r && r.value() != null) values.add(r.value());
        });
    String local = null;
    for (Expr v : values) {
      Expr e = strip(v);
      if (CfgBuilder.constant(e) != null) continue; // return NULL
      if (!(e instanceof Expr.Ident id) || id.kind() != Expr.IdKind.LOCAL) return null;
      if (local != null && !local.equals(id.name())) return null;
      local = id.name();
    }
    return local;
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }
}
