package dev.kmodcheck.facts;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Evaluates integer expressions to a value when it is provable, with C semantics on LP64
 * (promotions, usual arithmetic conversions, wrap-around of unsigned types). Returns null for
 * anything not provable: never guesses. Signed overflow, shifts by the width or more and division
 * by zero are undefined behaviour and give null.
 *
 * <p>Understands literals, enumerators, arithmetic, shifts, comparisons, logical operators, casts,
 * ternaries with a constant condition, sizeof/alignof (via {@link TypeLayout}), {@code sizeof *p},
 * and the kernel helpers get_order(), array_size(), array3_size(), size_mul(), size_add(),
 * struct_size(), flex_array_size() and friends when they reach the IR as calls. Locals of {@code
 * function} that are initialised once and never assigned or address-taken evaluate to their
 * initialiser; so do static globals of the translation unit that no function changes.
 *
 * <p>Where C leaves a choice this evaluator cannot see (the type of an unsuffixed literal above
 * INT_MAX depends on whether it was written in decimal or hex; plain char is signed or unsigned
 * depending on the kernel version and architecture; an enum's underlying type depends on its
 * enumerators; {@code __builtin_constant_p}), it evaluates every combination and answers only if
 * they all agree.
 *
 * <p>One instance per function; not thread-safe.
 */
public final class ValueEvaluator {

  private static final int MAX_DEPTH = 200;
  private static final int MAX_CHOICES = 4;
  private static final CType SIZE_T = new CType.Scalar("unsigned long");
  private static final CType INT = new CType.Scalar("int");
  private static final BigInteger TWO = BigInteger.valueOf(2);

  private final Target target;
  private final TypeLayout layout;
  private final FunctionDef function;
  private final TranslationUnit unit;
  private final boolean staticGlobals;

  private Mutations localMutations;
  private UnitFacts unitFacts;
  private final UnitFactsCache unitFactsCache;
  private final Map<VarDecl, Optional<CValue>> declCache = new IdentityHashMap<>();
  private final Map<VarDecl, Boolean> inProgress = new IdentityHashMap<>();

  /** Statement-expression scopes, innermost first. */
  private final Deque<Map<String, VarDecl>> scopes = new ArrayDeque<>();

  /** Branch conditions taken as known, by {@link ExprKey} text (see {@link #withAssumptions}). */
  private Map<String, Boolean> assumptions = Map.of();

  private boolean active;
  private Map<Object, Integer> choices = new IdentityHashMap<>();
  private int mask;
  private long choiceReads;

  /** Integer type: width and signedness. */
  private record IntType(int bits, boolean unsigned) {
    static final IntType INT = new IntType(32, false);
    static final IntType UINT = new IntType(32, true);
    static final IntType LONG = new IntType(64, false);
    static final IntType ULONG = new IntType(64, true);
  }

  public ValueEvaluator(Target target, TypeLayout layout, FunctionDef function) {
    this(target, layout, null, function);
  }

  /**
   * As above, with the translation unit: the lengths of global arrays ({@code ARRAY_SIZE} of a
   * table) are known, and calls to functions the module defines itself are not mistaken for kernel
   * helpers. Static globals are not evaluated: see the five-argument constructor. {@code unit} and
   * {@code function} may be null.
   */
  public ValueEvaluator(
      Target target, TypeLayout layout, TranslationUnit unit, FunctionDef function) {
    this(target, layout, unit, function, false);
  }

  /**
   * With {@code staticGlobals}, static globals that no function of {@code unit} changes (assigns,
   * takes the address of, or passes to a writing macro) evaluate to their initialiser. Only sound
   * when the IR shows every {@code module_param()} of the unit: a module parameter is set at load
   * time, so the frontend must keep it visible (a call, or an initialiser taking its address as the
   * real moduleparam.h does), not expand it to nothing.
   */
  public ValueEvaluator(
      Target target,
      TypeLayout layout,
      TranslationUnit unit,
      FunctionDef function,
      boolean staticGlobals) {
    this(target, layout, unit, function, staticGlobals, null);
  }

  /**
   * As above; the facts of {@code unit} as a whole (its globals and functions, what its functions
   * change) come from {@code unitFacts}, which computes them once per unit for all evaluators given
   * it, instead of once per run of evaluators over other units.
   */
  public ValueEvaluator(
      Target target,
      TypeLayout layout,
      TranslationUnit unit,
      FunctionDef function,
      boolean staticGlobals,
      UnitFactsCache unitFacts) {
    this.target = target;
    this.layout = layout;
    this.function = function;
    this.unit = unit;
    this.staticGlobals = staticGlobals;
    this.unitFactsCache = unitFacts;
  }

  /**
   * Facts of whole units, each computed once, for the evaluators of a program (a whole-program
   * analysis visits the units' functions in turn, analysis after analysis). Thread-safe.
   */
  public static final class UnitFactsCache {
    private final Map<TranslationUnit, UnitFacts> facts = new IdentityHashMap<>();

    synchronized UnitFacts of(TranslationUnit unit) {
      return facts.computeIfAbsent(unit, UnitFacts::new);
    }
  }

  private UnitFacts unitFacts() {
    if (unitFacts == null) {
      unitFacts = unitFactsCache != null ? unitFactsCache.of(unit) : UnitFacts.of(unit);
    }
    return unitFacts;
  }

  public TypeLayout layout() {
    return layout;
  }

  /** The function whose locals this evaluator knows, or null. */
  public FunctionDef function() {
    return function;
  }

  /**
   * An evaluator for the same function that takes the given branch conditions as known: where a
   * ternary condition, an operand of {@code &&}, {@code ||} or {@code !} has an {@link ExprKey}
   * text in {@code assumed} (or its negation {@code !(text)} is), that truth value is used. Locals
   * initialised from such expressions benefit too. Returns this evaluator when it already assumes
   * exactly that; otherwise a new one (its own caches, since values depend on the assumptions).
   */
  public ValueEvaluator withAssumptions(Map<String, Boolean> assumed) {
    Map<String, Boolean> a = assumed == null ? Map.of() : assumed;
    if (a.equals(assumptions)) return this;
    ValueEvaluator e =
        new ValueEvaluator(target, layout, unit, function, staticGlobals, unitFactsCache);
    e.assumptions = Map.copyOf(a);
    e.localMutations = localMutations;
    e.unitFacts = unitFacts;
    return e;
  }

  /** The branch conditions this evaluator takes as known (empty by default). */
  public Map<String, Boolean> assumptions() {
    return assumptions;
  }

  /**
   * The assumed truth of {@code cond}: its own key, {@code !x} against an assumption on x, or x
   * against an assumption on {@code !(x)}. Null when nothing is assumed about it.
   */
  public Boolean assumed(Expr cond) {
    if (assumptions.isEmpty() || cond == null) return null;
    String key = ExprKey.of(cond);
    Boolean v = assumptions.get(key);
    if (v != null) return v;
    Conditions.Key k = Conditions.key(cond);
    v = k.negated() || !k.text().equals(key) ? assumptions.get(k.text()) : null;
    if (v != null) return v != k.negated();
    if (cond instanceof Expr.Unary u && u.op().equals("!")) {
      Boolean inner = assumed(u.operand());
      return inner == null ? null : !inner;
    }
    v = assumptions.get("!(" + key + ")");
    return v == null ? null : !v;
  }

  /** Which variables the function may change; shared with the gfp analysis. */
  Mutations mutations() {
    if (localMutations == null && function != null) localMutations = Mutations.of(function);
    return localMutations;
  }

  public Target target() {
    return target;
  }

  /** The value of {@code e}, or null if it is not provable. */
  public CValue eval(Expr e) {
    return agreed(e, v -> v);
  }

  /**
   * The value of {@code e} converted to size_t, as an allocator's size parameter receives it, or
   * null if it is not provable. Prefer this for size arguments: it also proves values whose C type
   * is ambiguous in the IR ({@code 0x80000000} is unsigned int, {@code 2147483648} is long; both
   * are 2^31 as a size).
   */
  public BigInteger evalSize(Expr e) {
    return agreed(e, CValue::asSizeT);
  }

  /**
   * Evaluates {@code e} under every combination of the choices it meets and returns {@code
   * key(value)} if all combinations agree on it.
   */
  private <T> T agreed(Expr e, Function<CValue, T> key) {
    if (e == null) return null;
    if (active) {
      CValue v = ev(e, 0); // re-entered through TypeLayout array lengths
      return v == null ? null : key.apply(v);
    }
    active = true;
    try {
      choices = new IdentityHashMap<>();
      mask = 0;
      CValue first = ev(e, 0);
      if (first == null) return null;
      T k = key.apply(first);
      if (choices.isEmpty()) return k;
      for (mask = 1; mask < (1 << Math.min(choices.size(), MAX_CHOICES)); mask++) {
        CValue other = ev(e, 0);
        if (other == null || !k.equals(key.apply(other))) return null;
      }
      return choices.size() > MAX_CHOICES ? null : k;
    } finally {
      active = false;
      mask = 0;
    }
  }

  /** The static C type of {@code e} as far as it can be derived, or null. */
  public CType typeOf(Expr e) {
    return ty(e, 0);
  }

  /** Whether the current combination takes the second alternative at {@code key}. */
  private boolean choose(Object key) {
    choiceReads++;
    Integer i = choices.get(key);
    if (i == null) {
      i = choices.size();
      choices.put(key, i);
    }
    return i < MAX_CHOICES && ((mask >> i) & 1) != 0;
  }

  // ---------------------------------------------------------------- evaluation

  private CValue ev(Expr e, int depth) {
    if (e == null || depth > MAX_DEPTH) return null;
    int d = depth + 1;
    if (e instanceof Expr.IntLit lit) return literal(lit);
    if (e instanceof Expr.CharLit c) {
      // The value of a char constant outside 0..127 depends on the signedness of char.
      return c.value().signum() >= 0 && c.value().bitLength() <= 7 ? int32(c.value()) : null;
    }
    if (e instanceof Expr.Ident id) return ident(id, d);
    if (e instanceof Expr.Unary u) return unary(u, d);
    if (e instanceof Expr.Binary b) return binary(b, d);
    if (e instanceof Expr.Conditional c) return conditional(c, d);
    if (e instanceof Expr.Cast c) return convert(ev(c.operand(), d), c.type(), c);
    if (e instanceof Expr.SizeofType s) return sizeT(layout.sizeOf(s.type()));
    if (e instanceof Expr.SizeofExpr s) return sizeOfExpr(s.operand(), d);
    if (e instanceof Expr.AlignofType a) return sizeT(layout.alignOf(a.type()));
    if (e instanceof Expr.Call c) return call(c, d);
    if (e instanceof Expr.StmtExpr s) return stmtExpr(s, d);
    return null;
  }

  private static CValue int32(BigInteger v) {
    return new CValue(v, 32, false);
  }

  private static CValue sizeT(OptionalLong v) {
    return v.isPresent() ? CValue.ofSizeT(BigInteger.valueOf(v.getAsLong())) : null;
  }

  private CValue sizeOfExpr(Expr operand, int d) {
    CType t = ty(operand, d);
    return t == null ? null : sizeT(layout.sizeOf(t));
  }

  /** C11 6.4.4.1: the first type in the suffix's list that can represent the value. */
  private CValue literal(Expr.IntLit lit) {
    IntType t = literalType(lit);
    return t == null ? null : new CValue(lit.value(), t.bits, t.unsigned);
  }

  private IntType literalType(Expr.IntLit lit) {
    BigInteger v = lit.value();
    if (v.signum() < 0) return null;
    IntType dec = firstFit(v, lit.unsigned(), lit.longness(), false);
    IntType hex = firstFit(v, lit.unsigned(), lit.longness(), true);
    if (Objects.equals(dec, hex)) return dec;
    // The IR does not say whether the literal was decimal or hex/octal: try both.
    return choose(lit) ? hex : dec;
  }

  private static IntType firstFit(BigInteger v, boolean unsigned, int longness, boolean hex) {
    List<IntType> list = new ArrayList<>();
    if (longness == 0) {
      if (!unsigned) list.add(IntType.INT);
      if (unsigned || hex) list.add(IntType.UINT);
    }
    if (!unsigned) list.add(IntType.LONG); // long and long long are both 64-bit
    if (unsigned || hex) list.add(IntType.ULONG);
    for (IntType t : list) {
      if (fits(v, t)) return t;
    }
    return null; // GCC would use __int128 for a decimal literal this large
  }

  private static boolean fits(BigInteger v, IntType t) {
    if (t.unsigned) return v.signum() >= 0 && v.bitLength() <= t.bits;
    return v.bitLength() <= t.bits - 1;
  }

  private CValue ident(Expr.Ident id, int d) {
    if (id.kind() == null) return null;
    switch (id.kind()) {
      case ENUMERATOR:
        // An enumerator has type int (C11 6.7.2.2); larger values are a GNU extension.
        BigInteger v = id.enumValue();
        return v != null && v.bitLength() <= 31 ? int32(v) : null;
      case LOCAL:
        return localValue(id.name(), d);
      case GLOBAL:
        return globalValue(id.name(), d);
      case UNRESOLVED:
        return KernelConstants.value(id.name(), target);
      default:
        return null; // parameters and functions are not provable
    }
  }

  private CValue localValue(String name, int d) {
    for (Map<String, VarDecl> scope : scopes) {
      VarDecl v = scope.get(name);
      if (v != null) return declValue(v, d);
    }
    if (function == null) return null;
    if (localMutations == null) localMutations = Mutations.of(function);
    if (localMutations.mayChange(name)) return null;
    List<VarDecl> decls = localMutations.locals(name);
    if (decls.size() != 1) return null;
    VarDecl v = decls.get(0);
    if (v.isExtern()) return null;
    if (v.init() == null) {
      return v.isStatic() ? convert(int32(BigInteger.ZERO), v.type(), v) : null;
    }
    return declValue(v, d);
  }

  private CValue globalValue(String name, int d) {
    if (unit == null || !staticGlobals) return null;
    UnitFacts unitFacts = unitFacts();
    if (unitFacts.mutations.mayChange(name)) return null;
    List<VarDecl> decls = unitFacts.globals.getOrDefault(name, List.of());
    VarDecl def = null;
    for (VarDecl v : decls) {
      // Only internal linkage proves that no other file writes it.
      if (!v.isStatic() || v.isExtern()) return null;
      if (v.init() != null) {
        if (def != null) return null;
        def = v;
      }
    }
    if (decls.isEmpty()) return null;
    if (def == null) {
      VarDecl any = decls.get(0); // static storage without initialiser is zero
      return convert(int32(BigInteger.ZERO), any.type(), any);
    }
    return declValue(def, d);
  }

  /** The initialiser of {@code v} converted to its declared type, cached when choice-free. */
  private CValue declValue(VarDecl v, int d) {
    Optional<CValue> cached = declCache.get(v);
    if (cached != null) return cached.orElse(null);
    if (inProgress.containsKey(v)) return null;
    inProgress.put(v, Boolean.TRUE);
    long readsBefore = choiceReads;
    CValue r;
    try {
      Expr init = v.init();
      if (init instanceof Expr.InitList l
          && l.items().size() == 1
          && l.items().get(0).designators().isEmpty()) {
        init = l.items().get(0).value(); // int x = { 5 };
      }
      r = convert(ev(init, d), v.type(), v);
    } finally {
      inProgress.remove(v);
    }
    if (choiceReads == readsBefore && d < MAX_DEPTH / 2) declCache.put(v, Optional.ofNullable(r));
    return r;
  }

  private CValue unary(Expr.Unary u, int d) {
    switch (u.op()) {
      case "-", "+", "~":
        {
          CValue a = promote(ev(u.operand(), d));
          if (a == null) return null;
          BigInteger r =
              u.op().equals("-")
                  ? a.value().negate()
                  : u.op().equals("~") ? a.value().not() : a.value();
          return result(r, a.bits(), a.unsigned());
        }
      case "!":
        {
          CValue a = condition(u.operand(), d);
          return a == null ? null : bool(!a.isTrue());
        }
      default:
        return null;
    }
  }

  /** A value used for its truth only: an assumed condition gives 1 or 0. */
  private CValue condition(Expr e, int d) {
    Boolean known = assumed(e);
    return known != null ? bool(known) : ev(e, d);
  }

  private static CValue bool(boolean b) {
    return int32(b ? BigInteger.ONE : BigInteger.ZERO);
  }

  /** An arithmetic result: unsigned wraps, signed overflow is undefined (null). */
  private static CValue result(BigInteger r, int bits, boolean unsigned) {
    if (unsigned) return CValue.wrap(r, bits, true);
    if (r.bitLength() > bits - 1) return null;
    return new CValue(r, bits, false);
  }

  private static CValue promote(CValue v) {
    if (v == null || v.bits() >= 32) return v;
    return int32(v.value()); // every narrower type fits in int
  }

  private static IntType promote(IntType t) {
    return t.bits < 32 ? IntType.INT : t;
  }

  /** C11 6.3.1.8 on LP64, for already promoted operands. */
  private static IntType usual(IntType a, IntType b) {
    if (a.unsigned == b.unsigned) return a.bits >= b.bits ? a : b;
    IntType u = a.unsigned ? a : b;
    IntType s = a.unsigned ? b : a;
    if (u.bits >= s.bits) return u;
    return s; // the signed type is wider, so it holds every value of the unsigned one
  }

  private static IntType typeOfValue(CValue v) {
    return new IntType(v.bits(), v.unsigned());
  }

  private CValue binary(Expr.Binary b, int d) {
    String op = b.op();
    if (b.isAssignment()) return null;
    switch (op) {
      case ",":
        return ev(b.right(), d);
      case "&&":
        {
          CValue l = condition(b.left(), d);
          if (l != null && !l.isTrue()) return bool(false);
          CValue r = condition(b.right(), d);
          if (r != null && !r.isTrue()) return bool(false); // x && 0 is 0 whatever x is
          return l != null && r != null ? bool(true) : null;
        }
      case "||":
        {
          CValue l = condition(b.left(), d);
          if (l != null && l.isTrue()) return bool(true);
          CValue r = condition(b.right(), d);
          if (r != null && r.isTrue()) return bool(true);
          return l != null && r != null ? bool(false) : null;
        }
      default:
        CValue l = ev(b.left(), d);
        if (l == null) return null;
        CValue r = ev(b.right(), d);
        if (r == null) return null;
        return arith(op, l, r);
    }
  }

  /** A binary operator other than assignment, comma and the logical ones. */
  static CValue arith(String op, CValue left, CValue right) {
    CValue a = promote(left);
    CValue b = promote(right);
    if (op.equals("<<") || op.equals(">>")) {
      BigInteger count = b.value();
      if (count.signum() < 0 || count.compareTo(BigInteger.valueOf(a.bits())) >= 0) return null;
      int c = count.intValue();
      if (op.equals(">>")) return new CValue(a.value().shiftRight(c), a.bits(), a.unsigned());
      if (!a.unsigned() && a.value().signum() < 0) return null;
      return result(a.value().shiftLeft(c), a.bits(), a.unsigned());
    }
    IntType t = usual(typeOfValue(a), typeOfValue(b));
    BigInteger x = CValue.wrap(a.value(), t.bits, t.unsigned).value();
    BigInteger y = CValue.wrap(b.value(), t.bits, t.unsigned).value();
    switch (op) {
      case "+":
        return result(x.add(y), t.bits, t.unsigned);
      case "-":
        return result(x.subtract(y), t.bits, t.unsigned);
      case "*":
        return result(x.multiply(y), t.bits, t.unsigned);
      case "/":
        return y.signum() == 0 ? null : result(x.divide(y), t.bits, t.unsigned);
      case "%":
        if (y.signum() == 0) return null;
        // INT_MIN % -1 is undefined because INT_MIN / -1 overflows.
        if (result(x.divide(y), t.bits, t.unsigned) == null) return null;
        return result(x.remainder(y), t.bits, t.unsigned);
      case "&":
        return new CValue(x.and(y), t.bits, t.unsigned);
      case "|":
        return new CValue(x.or(y), t.bits, t.unsigned);
      case "^":
        return new CValue(x.xor(y), t.bits, t.unsigned);
      case "==":
        return bool(x.compareTo(y) == 0);
      case "!=":
        return bool(x.compareTo(y) != 0);
      case "<":
        return bool(x.compareTo(y) < 0);
      case ">":
        return bool(x.compareTo(y) > 0);
      case "<=":
        return bool(x.compareTo(y) <= 0);
      case ">=":
        return bool(x.compareTo(y) >= 0);
      default:
        return null;
    }
  }

  private CValue conditional(Expr.Conditional c, int d) {
    CValue cond = condition(c.cond(), d);
    Expr thenExpr = c.then() != null ? c.then() : c.cond(); // GNU x ?: y
    CValue a = ev(thenExpr, d);
    CValue b = ev(c.otherwise(), d);
    IntType ta = a != null ? promote(typeOfValue(a)) : intTypeOfExpr(thenExpr, d);
    IntType tb = b != null ? promote(typeOfValue(b)) : intTypeOfExpr(c.otherwise(), d);
    if (ta == null || tb == null) return null;
    IntType t = usual(ta, tb);
    CValue ca = a == null ? null : CValue.wrap(a.value(), t.bits, t.unsigned);
    CValue cb = b == null ? null : CValue.wrap(b.value(), t.bits, t.unsigned);
    if (cond != null) return cond.isTrue() ? ca : cb;
    return ca != null && ca.equals(cb) ? ca : null;
  }

  /** The promoted integer type of {@code e}, from its static type. */
  private IntType intTypeOfExpr(Expr e, int d) {
    CType t = ty(e, d);
    IntType it = t == null ? null : intType(t, e);
    return it == null ? null : promote(it);
  }

  /**
   * The integer type of {@code t}, or null if it is not an integer type. Plain char and enums are
   * choice points keyed by {@code site}.
   */
  private IntType intType(CType t, Object site) {
    CType s = TypeLayout.strip(t);
    if (s instanceof CType.Enum) {
      // GCC: unsigned int when no enumerator is negative, else int. The IR has no enumerators.
      return choose(site) ? IntType.UINT : IntType.INT;
    }
    ScalarTypes.Info info = TypeLayout.scalarInfo(s);
    if (info == null) return null;
    switch (info.kind()) {
      case INT:
        return new IntType(info.bits(), info.unsigned());
      case BOOL:
        return new IntType(8, true);
      case CHAR:
        // Promotion makes either signedness int; conversions decide values in convert().
        return new IntType(8, false);
      default:
        return null;
    }
  }

  /** Conversion of {@code v} to the declared type {@code t} (cast, initialisation). */
  private CValue convert(CValue v, CType t, Object site) {
    if (v == null || t == null) return null;
    ScalarTypes.Info info = TypeLayout.scalarInfo(t);
    if (info != null && info.kind() == ScalarTypes.Kind.BOOL) {
      return new CValue(v.isTrue() ? BigInteger.ONE : BigInteger.ZERO, 8, true);
    }
    if (info != null && info.kind() == ScalarTypes.Kind.CHAR) {
      BigInteger low = v.value().and(BigInteger.valueOf(0xff));
      // Plain char is signed (x86_64 before 6.2) or unsigned (arm64, and -funsigned-char since
      // 6.2): values above 127 depend on which.
      if (low.bitLength() <= 7) return new CValue(low, 8, false);
      return CValue.wrap(low, 8, choose(site));
    }
    IntType it = intType(t, site);
    return it == null ? null : CValue.wrap(v.value(), it.bits, it.unsigned);
  }

  private CValue stmtExpr(Expr.StmtExpr s, int d) {
    List<Stmt> stmts = s.body().stmts();
    if (stmts.isEmpty() || !(stmts.get(stmts.size() - 1) instanceof Stmt.ExprStmt last)) {
      return null;
    }
    Map<String, VarDecl> scope = new HashMap<>();
    for (int i = 0; i < stmts.size() - 1; i++) {
      if (!(stmts.get(i) instanceof Stmt.Decl decl)) return null;
      for (VarDecl v : decl.vars()) {
        if (v.init() == null || scope.put(v.name(), v) != null) return null;
      }
    }
    if (function != null) {
      if (localMutations == null) localMutations = Mutations.of(function);
      for (String name : scope.keySet()) {
        if (localMutations.mayChange(name)) return null;
      }
    }
    scopes.push(scope);
    try {
      return ev(last.expr(), d);
    } finally {
      scopes.pop();
    }
  }

  // ---------------------------------------------------------------- kernel helpers as calls

  private CValue call(Expr.Call c, int d) {
    String name = c.calleeName();
    if (name == null) return null;
    if (c.callee() instanceof Expr.Ident id
        && id.kind() != Expr.IdKind.FUNCTION
        && id.kind() != Expr.IdKind.UNRESOLVED) {
      return null; // a call through a variable
    }
    if (unit != null && definedHere(name)) return null; // the module's own function
    List<Expr> a = c.args();
    int n = a.size();
    switch (name) {
      case "get_order":
        return n == 1 ? getOrder(ev(a.get(0), d)) : null;
      case "array_size":
      case "size_mul":
        return n == 2 ? sizeMul(ev(a.get(0), d), ev(a.get(1), d)) : null;
      case "array3_size":
        return n == 3 ? sizeMul(sizeMul(ev(a.get(0), d), ev(a.get(1), d)), ev(a.get(2), d)) : null;
      case "size_add":
        return n == 2 ? sizeAdd(ev(a.get(0), d), ev(a.get(1), d)) : null;
      case "size_sub":
        return n == 2 ? sizeSub(ev(a.get(0), d), ev(a.get(1), d)) : null;
      case "struct_size":
        return n == 3 ? structSize(ty(a.get(0), d), a.get(1), a.get(2), d) : null;
      case "struct_size_t":
        {
          CType t = typeArgument(a.isEmpty() ? null : a.get(0));
          return n == 3 && t != null
              ? structSize(new CType.Pointer(t), a.get(1), a.get(2), d)
              : null;
        }
      case "flex_array_size":
        return n == 3 ? flexArraySize(ty(a.get(0), d), a.get(1), a.get(2), d) : null;
      case "ARRAY_SIZE":
        return n == 1 ? arrayLength(ty(a.get(0), d)) : null;
      case "BIT":
      case "BIT_ULL":
        return n == 1 ? arith("<<", new CValue(BigInteger.ONE, 64, true), ev(a.get(0), d)) : null;
      case "ilog2":
        {
          CValue v = n == 1 ? ev(a.get(0), d) : null;
          if (v == null || v.value().signum() <= 0) return null; // ilog2(0) is undefined
          return CValue.ofInt(v.value().bitLength() - 1);
        }
      case "order_base_2":
        {
          CValue v = n == 1 ? ev(a.get(0), d) : null;
          if (v == null || v.value().signum() < 0) return null;
          if (v.value().compareTo(BigInteger.ONE) <= 0) return CValue.ofInt(0);
          return CValue.ofInt(v.value().subtract(BigInteger.ONE).bitLength());
        }
      case "roundup_pow_of_two":
      case "rounddown_pow_of_two":
        {
          CValue v = n == 1 ? ev(a.get(0), d) : null;
          if (v == null || v.value().signum() <= 0) return null; // undefined for 0
          BigInteger x = v.value();
          int shift =
              name.startsWith("roundup")
                  ? x.subtract(BigInteger.ONE).bitLength()
                  : x.bitLength() - 1;
          if (shift >= 64) return null;
          return CValue.ofSizeT(BigInteger.ONE.shiftLeft(shift));
        }
      case "is_power_of_2":
        {
          CValue v = n == 1 ? ev(a.get(0), d) : null;
          if (v == null) return null;
          BigInteger x = v.asSizeT();
          return new CValue(
              x.signum() != 0 && x.bitCount() == 1 ? BigInteger.ONE : BigInteger.ZERO, 8, true);
        }
      case "PAGE_ALIGN":
        return n == 1 ? align(ev(a.get(0), d), pageSize()) : null;
      case "ALIGN":
        return n == 2 ? align(ev(a.get(0), d), ev(a.get(1), d)) : null;
      case "ALIGN_DOWN":
        {
          // __ALIGN_KERNEL((x) - ((a) - 1), (a))
          if (n != 2) return null;
          CValue x = ev(a.get(0), d);
          CValue al = ev(a.get(1), d);
          return align(sub(x, sub(al, one())), al);
        }
      case "PFN_UP":
      case "PFN_DOWN":
        {
          if (n != 1) return null;
          CValue x = ev(a.get(0), d);
          if (name.equals("PFN_UP")) x = add(x, sub(pageSize(), one()));
          return x == null ? null : arith(">>", x, CValue.ofInt(target.pageShift()));
        }
      case "DIV_ROUND_UP":
        {
          // (((n) + (d) - 1) / (d))
          if (n != 2) return null;
          CValue x = ev(a.get(0), d);
          CValue y = ev(a.get(1), d);
          return div(sub(add(x, y), one()), y);
        }
      case "BITS_TO_LONGS":
        return n == 1
            ? div(sub(add(ev(a.get(0), d), CValue.ofInt(64)), one()), CValue.ofInt(64))
            : null;
      case "min":
      case "max":
        return n == 2 ? minMax(name.equals("min"), ev(a.get(0), d), ev(a.get(1), d)) : null;
      case "min3":
      case "max3":
        return n == 3
            ? minMax(
                name.equals("min3"),
                minMax(name.equals("min3"), ev(a.get(0), d), ev(a.get(1), d)),
                ev(a.get(2), d))
            : null;
      case "min_t":
      case "max_t":
        {
          CType t = n == 3 ? typeArgument(a.get(0)) : null;
          if (t == null) return null;
          return minMax(
              name.equals("min_t"),
              convert(ev(a.get(1), d), t, a.get(1)),
              convert(ev(a.get(2), d), t, a.get(2)));
        }
      case "clamp":
        return n == 3 ? clamp(ev(a.get(0), d), ev(a.get(1), d), ev(a.get(2), d)) : null;
      case "clamp_t":
        {
          CType t = n == 4 ? typeArgument(a.get(0)) : null;
          if (t == null) return null;
          return clamp(
              convert(ev(a.get(1), d), t, a.get(1)),
              convert(ev(a.get(2), d), t, a.get(2)),
              convert(ev(a.get(3), d), t, a.get(3)));
        }
      case "__builtin_choose_expr":
        {
          CValue cond = n == 3 ? ev(a.get(0), d) : null;
          return cond == null ? null : ev(cond.isTrue() ? a.get(1) : a.get(2), d);
        }
      case "__builtin_constant_p":
        {
          if (n != 1) return null;
          // GCC answers 1 for integer constant expressions; for anything else the answer
          // depends on the optimiser, so both are tried.
          if (Constness.isIntegerConstant(a.get(0))) return CValue.ofInt(1);
          return CValue.ofInt(choose(c) ? 1 : 0);
        }
      default:
        return null;
    }
  }

  private boolean definedHere(String name) {
    return unitFacts().functions.containsKey(name);
  }

  private CValue pageSize() {
    return CValue.ofSizeT(BigInteger.valueOf(target.pageSize()));
  }

  private static CValue one() {
    return CValue.ofInt(1);
  }

  private static CValue add(CValue a, CValue b) {
    return a == null || b == null ? null : arith("+", a, b);
  }

  private static CValue sub(CValue a, CValue b) {
    return a == null || b == null ? null : arith("-", a, b);
  }

  private static CValue div(CValue a, CValue b) {
    return a == null || b == null ? null : arith("/", a, b);
  }

  /** docs/kernel-facts.md §1.9: smallest order with PAGE_SIZE << order >= size; undefined for 0. */
  private CValue getOrder(CValue size) {
    if (size == null) return null;
    BigInteger s = CValue.wrap(size.value(), 64, true).value(); // unsigned long parameter
    if (s.signum() == 0) return null;
    int order = Math.max(0, s.subtract(BigInteger.ONE).bitLength() - target.pageShift());
    return CValue.ofInt(order);
  }

  /** include/linux/overflow.h: both converted to size_t, SIZE_MAX on overflow. */
  private static CValue sizeMul(CValue a, CValue b) {
    if (a == null || b == null) return null;
    BigInteger p = a.asSizeT().multiply(b.asSizeT());
    return CValue.ofSizeT(p.min(CValue.SIZE_MAX));
  }

  private static CValue sizeAdd(CValue a, CValue b) {
    if (a == null || b == null) return null;
    return CValue.ofSizeT(a.asSizeT().add(b.asSizeT()).min(CValue.SIZE_MAX));
  }

  private static CValue sizeSub(CValue a, CValue b) {
    if (a == null || b == null) return null;
    BigInteger x = a.asSizeT();
    BigInteger y = b.asSizeT();
    if (x.equals(CValue.SIZE_MAX) || y.equals(CValue.SIZE_MAX) || x.compareTo(y) < 0) {
      return CValue.ofSizeT(CValue.SIZE_MAX);
    }
    return CValue.ofSizeT(x.subtract(y));
  }

  /**
   * {@code sizeof(*p) + count * sizeof(*p->member)}: C arithmetic when count is an integer constant
   * expression, saturating size_add/size_mul otherwise (include/linux/overflow.h).
   */
  private CValue structSize(CType pointerType, Expr member, Expr count, int d) {
    CType rec = pointee(pointerType);
    CValue base = rec == null ? null : sizeT(layout.sizeOf(rec));
    CValue flex = flexArraySize(pointerType, member, count, d);
    if (base == null || flex == null) return null;
    return Constness.isIntegerConstant(count) ? arith("+", base, flex) : sizeAdd(base, flex);
  }

  private CValue flexArraySize(CType pointerType, Expr member, Expr count, int d) {
    CType rec = pointee(pointerType);
    String field = member instanceof Expr.Ident id ? id.name() : null;
    if (rec == null || field == null) return null;
    CType elem = pointee(layout.fieldType(rec, field));
    CValue elemSize = elem == null ? null : sizeT(layout.sizeOf(elem));
    CValue n = ev(count, d);
    if (elemSize == null || n == null) return null;
    return Constness.isIntegerConstant(count) ? arith("*", n, elemSize) : sizeMul(n, elemSize);
  }

  private CValue arrayLength(CType t) {
    if (!(TypeLayout.strip(t) instanceof CType.Array arr) || arr.length() == null) return null;
    CValue n = ev(arr.length(), 0);
    return n == null || n.value().signum() < 0 ? null : CValue.ofSizeT(n.value());
  }

  /** __ALIGN_KERNEL: {@code (x + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1)}. */
  private static CValue align(CValue x, CValue a) {
    if (x == null || a == null) return null;
    CValue mask = arith("-", CValue.wrap(a.value(), x.bits(), x.unsigned()), one());
    if (mask == null) return null;
    mask = CValue.wrap(mask.value(), x.bits(), x.unsigned()); // typeof(x) before promotion
    CValue sum = arith("+", x, mask);
    CValue notMask = mask == null ? null : promote(mask);
    if (sum == null || notMask == null) return null;
    notMask = CValue.wrap(notMask.value().not(), notMask.bits(), notMask.unsigned());
    return arith("&", sum, notMask);
  }

  private static CValue minMax(boolean min, CValue a, CValue b) {
    if (a == null || b == null) return null;
    CValue less = arith("<", a, b);
    IntType t = usual(promote(typeOfValue(a)), promote(typeOfValue(b)));
    CValue pick = less.isTrue() == min ? a : b;
    return CValue.wrap(pick.value(), t.bits, t.unsigned);
  }

  /** clamp(val, lo, hi) = min(max(val, lo), hi). */
  private static CValue clamp(CValue v, CValue lo, CValue hi) {
    return minMax(true, minMax(false, v, lo), hi);
  }

  /** A type written as a macro argument (min_t, struct_size_t), as far as the IR keeps it. */
  private CType typeArgument(Expr e) {
    String text = null;
    if (e instanceof Expr.Ident id) text = id.name();
    if (e instanceof Expr.Opaque op) text = op.text();
    if (text == null) return null;
    text = text.trim();
    if (ScalarTypes.named(text) != null) return new CType.Scalar(text);
    for (String kw : new String[] {"struct ", "union "}) {
      if (text.startsWith(kw)) {
        String tag = text.substring(kw.length()).trim();
        if (tag.matches("[A-Za-z_][A-Za-z0-9_]*")) return new CType.Record(kw.startsWith("u"), tag);
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- static types

  private static CType pointee(CType t) {
    CType s = TypeLayout.strip(t);
    if (s instanceof CType.Pointer p) return p.target();
    if (s instanceof CType.Array a) return a.element();
    return null;
  }

  private CType ty(Expr e, int depth) {
    if (e == null || depth > MAX_DEPTH) return null;
    int d = depth + 1;
    if (e instanceof Expr.Ident id) return identType(id);
    if (e instanceof Expr.IntLit lit) {
      IntType t = literalType(lit);
      return t == null ? null : scalarOf(t);
    }
    if (e instanceof Expr.CharLit) return INT;
    if (e instanceof Expr.FloatLit f) return floatType(f.text());
    if (e instanceof Expr.StringLit s) {
      Integer len = StringLits.length(s.text());
      return len == null ? null : new CType.Array(new CType.Scalar("char"), intLit(len + 1));
    }
    if (e instanceof Expr.Cast c) return c.type();
    if (e instanceof Expr.SizeofType
        || e instanceof Expr.SizeofExpr
        || e instanceof Expr.AlignofType) {
      return SIZE_T;
    }
    if (e instanceof Expr.CompoundLiteral c) return completeArray(c.type(), c.init());
    if (e instanceof Expr.Unary u) return unaryType(u, d);
    if (e instanceof Expr.Binary b) return binaryType(b, d);
    if (e instanceof Expr.Conditional c) {
      CType a = ty(c.then() != null ? c.then() : c.cond(), d);
      CType b = ty(c.otherwise(), d);
      if (a == null || b == null) return null;
      IntType ia = intTypeOrNull(a, c);
      IntType ib = intTypeOrNull(b, c.otherwise());
      if (ia != null && ib != null) return scalarOf(usual(promote(ia), promote(ib)));
      return a.equals(b) ? a : null;
    }
    if (e instanceof Expr.Member m) {
      CType base = ty(m.base(), d);
      if (m.arrow()) base = pointee(base);
      return base == null ? null : layout.fieldType(base, m.field());
    }
    if (e instanceof Expr.Index ix) {
      CType base = pointee(ty(ix.array(), d));
      return base != null ? base : pointee(ty(ix.index(), d)); // 0[arr]
    }
    if (e instanceof Expr.Call c) return callType(c, d);
    return null;
  }

  private IntType intTypeOrNull(CType t, Object site) {
    CType s = TypeLayout.strip(t);
    if (s instanceof CType.Enum) return intType(s, site);
    ScalarTypes.Info info = TypeLayout.scalarInfo(s);
    return info != null && info.isInteger() ? intType(s, site) : null;
  }

  private static CType scalarOf(IntType t) {
    String base =
        switch (t.bits) {
          case 8 -> "char";
          case 16 -> "short";
          case 32 -> "int";
          case 64 -> "long";
          default -> "__int128";
        };
    if (t.bits == 8) return new CType.Scalar(t.unsigned ? "unsigned char" : "signed char");
    return new CType.Scalar(t.unsigned ? "unsigned " + base : base);
  }

  private static CType floatType(String text) {
    if (text == null) return null;
    String t = text.toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) t = t.replaceAll("[^pfl]+", ""); // hex digits may contain f
    if (t.endsWith("f")) return new CType.Scalar("float");
    if (t.endsWith("l")) return new CType.Scalar("long double");
    return new CType.Scalar("double");
  }

  private static Expr intLit(long v) {
    return new Expr.IntLit(SrcRange.UNKNOWN, null, BigInteger.valueOf(v), false, 0);
  }

  private CType identType(Expr.Ident id) {
    if (id.kind() == Expr.IdKind.ENUMERATOR) return INT;
    if (id.kind() == Expr.IdKind.LOCAL) {
      for (Map<String, VarDecl> scope : scopes) {
        VarDecl v = scope.get(id.name());
        if (v != null) return v.type();
      }
    }
    CType t = id.type();
    if (t == null) return null;
    if (id.kind() == Expr.IdKind.PARAM && TypeLayout.strip(t) instanceof CType.Array a) {
      return new CType.Pointer(a.element()); // array parameters are pointers
    }
    if (TypeLayout.strip(t) instanceof CType.Array a && a.length() == null) {
      VarDecl decl = declarationOf(id);
      return decl == null ? t : completeArray(t, decl.init());
    }
    return t;
  }

  private VarDecl declarationOf(Expr.Ident id) {
    List<VarDecl> decls;
    if (id.kind() == Expr.IdKind.LOCAL && function != null) {
      if (localMutations == null) localMutations = Mutations.of(function);
      decls = localMutations.locals(id.name());
    } else if (id.kind() == Expr.IdKind.GLOBAL && unit != null) {
      decls = unitFacts().globals.getOrDefault(id.name(), List.of());
    } else {
      return null;
    }
    VarDecl withInit = null;
    for (VarDecl v : decls) {
      if (v.init() != null) {
        if (withInit != null) return null;
        withInit = v;
      }
    }
    return withInit;
  }

  /** {@code T x[] = {...}} and {@code char s[] = "..."}: the length comes from the initialiser. */
  private CType completeArray(CType t, Expr init) {
    if (!(TypeLayout.strip(t) instanceof CType.Array a) || a.length() != null || init == null) {
      return t;
    }
    if (init instanceof Expr.StringLit s) {
      Integer len = StringLits.length(s.text());
      return len == null ? t : new CType.Array(a.element(), intLit(len + 1));
    }
    if (!(init instanceof Expr.InitList l)) return t;
    long next = 0;
    long max = 0;
    for (Expr.Designated item : l.items()) {
      List<String> ds = item.designators();
      if (!ds.isEmpty()) {
        String first = ds.get(0);
        if (!first.startsWith("[") || !first.endsWith("]") || first.contains("...")) return t;
        try {
          next = Long.parseLong(first.substring(1, first.length() - 1).trim());
        } catch (NumberFormatException ex) {
          return t; // an index written with a macro or an expression
        }
      }
      next++;
      max = Math.max(max, next);
    }
    return new CType.Array(a.element(), intLit(max));
  }

  private CType unaryType(Expr.Unary u, int d) {
    switch (u.op()) {
      case "*":
        return pointee(ty(u.operand(), d));
      case "&":
        {
          CType t = ty(u.operand(), d);
          return t == null ? null : new CType.Pointer(t);
        }
      case "!":
        return INT;
      case "-", "+", "~":
        {
          CType t = ty(u.operand(), d);
          IntType it = t == null ? null : intTypeOrNull(t, u);
          return it == null ? null : scalarOf(promote(it));
        }
      default:
        return ty(u.operand(), d); // ++ and --
    }
  }

  private CType binaryType(Expr.Binary b, int d) {
    String op = b.op();
    if (op.equals(",")) return ty(b.right(), d);
    if (b.isAssignment()) return ty(b.left(), d);
    switch (op) {
      case "==", "!=", "<", ">", "<=", ">=", "&&", "||":
        return INT;
      default:
        break;
    }
    CType l = ty(b.left(), d);
    CType r = ty(b.right(), d);
    if (l == null || r == null) return null;
    IntType il = intTypeOrNull(l, b.left());
    IntType ir = intTypeOrNull(r, b.right());
    if (op.equals("<<") || op.equals(">>")) return il == null ? null : scalarOf(promote(il));
    if (il != null && ir != null) return scalarOf(usual(promote(il), promote(ir)));
    boolean lp = pointee(l) != null;
    boolean rp = pointee(r) != null;
    if (op.equals("-") && lp && rp) return new CType.Scalar("long"); // ptrdiff_t
    if ((op.equals("+") || op.equals("-")) && lp && ir != null) return decay(l);
    if (op.equals("+") && rp && il != null) return decay(r);
    return null;
  }

  private static CType decay(CType t) {
    CType s = TypeLayout.strip(t);
    return s instanceof CType.Array a ? new CType.Pointer(a.element()) : t;
  }

  private CType callType(Expr.Call c, int d) {
    String name = c.calleeName();
    if (name != null) {
      switch (name) {
        case "get_order", "ilog2", "order_base_2":
          return INT;
        case "array_size",
        "array3_size",
        "size_mul",
        "size_add",
        "size_sub",
        "struct_size",
        "struct_size_t",
        "flex_array_size",
        "ARRAY_SIZE",
        "roundup_pow_of_two",
        "rounddown_pow_of_two",
        "BIT",
        "BIT_ULL":
          return SIZE_T;
        default:
          break;
      }
    }
    CType ct = TypeLayout.strip(ty(c.callee(), d));
    if (ct instanceof CType.Pointer p) ct = TypeLayout.strip(p.target());
    return ct instanceof CType.Function f ? f.returnType() : null;
  }

  // ---------------------------------------------------------------- per-unit facts

  /** Globals and writes of one translation unit, computed once per thread and unit. */
  private static final class UnitFacts {
    private static final ThreadLocal<UnitFacts> LAST = new ThreadLocal<>();

    final TranslationUnit unit;
    final Map<String, List<VarDecl>> globals = new HashMap<>();
    final Map<String, FunctionDef> functions = new HashMap<>();
    final Mutations mutations;

    private UnitFacts(TranslationUnit unit) {
      this.unit = unit;
      List<Expr> inits = new ArrayList<>();
      for (VarDecl v : unit.globals()) {
        globals.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v);
        if (v.init() != null) inits.add(v.init());
      }
      for (FunctionDef f : unit.functions()) {
        if (f.body() != null && unit.file().equals(f.range().file())) {
          functions.putIfAbsent(f.name(), f);
        }
      }
      mutations = Mutations.of(unit.functions(), inits);
    }

    static UnitFacts of(TranslationUnit unit) {
      UnitFacts last = LAST.get();
      if (last != null && last.unit == unit) return last;
      UnitFacts f = new UnitFacts(unit);
      LAST.set(f);
      return f;
    }
  }
}
