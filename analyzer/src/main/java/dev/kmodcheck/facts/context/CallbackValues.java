package dev.kmodcheck.facts.context;

import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The module functions a registration's callback argument can denote: the function it names, or,
 * for a member of a table element ({@code tbl[i].handler}, {@code p->handler} while {@code p} walks
 * a table), every function the module's initialised tables give that member. A loop that registers
 * each row of a handler table is written the second way.
 *
 * <p>A named table ({@code tbl[i]}, a local or global with an initializer) gives its own rows only
 * (the one row of a constant index into a positional list). Any other base gives the rows of every
 * initialised table of the same struct type: the same definition, or for a struct the scan never
 * saw defined, tables in the same file, so same-named structs of unrelated drivers in one scan do
 * not meet.
 */
final class CallbackValues {

  /**
   * One function the argument can denote.
   *
   * @param via the table member it came from ({@code "it_irqs[].handler"}), or null when named
   */
  record Value(FunctionRef function, String via) {}

  private final Program program;
  private final RegistrationGlobals globals;
  private final Map<TranslationUnit, RegistrationTypes> types = new IdentityHashMap<>();
  private Map<String, List<RegistrationGlobals.Global>> tablesByTag;

  CallbackValues(Program program, RegistrationGlobals globals) {
    this.program = program;
    this.globals = globals;
  }

  RegistrationTypes structs(TranslationUnit unit) {
    return types.computeIfAbsent(unit, RegistrationTypes::new);
  }

  /** The function an argument or initializer names ({@code fn}, {@code &fn}, a cast), or null. */
  FunctionRef functionOf(TranslationUnit unit, Expr e) {
    Expr x = strip(e);
    if (x instanceof Expr.Unary u && u.op().equals("&")) x = strip(u.operand());
    if (!(x instanceof Expr.Ident id)) return null;
    if (id.kind() != Expr.IdKind.FUNCTION && id.kind() != Expr.IdKind.UNRESOLVED) return null;
    return program.resolveIn(unit, id.name());
  }

  /** The functions {@code e}, evaluated in {@code fn} with its {@code locals}, can denote. */
  List<Value> of(FunctionRef fn, Expr e, List<VarDecl> locals) {
    FunctionRef named = functionOf(fn.unit(), e);
    if (named != null) return List.of(new Value(named, null));
    if (!(strip(e) instanceof Expr.Member m)) return List.of();
    List<Value> out = new ArrayList<>();
    Expr base = strip(m.base());
    Expr index = null;
    if (!m.arrow() && base instanceof Expr.Index ix) {
      index = strip(ix.index());
      base = strip(ix.array());
    }
    if (!m.arrow() && base instanceof Expr.Ident id && id.kind() != Expr.IdKind.PARAM) {
      VarDecl local = localTable(locals, id.name());
      if (local != null) {
        rows(fn.unit(), local, index, m.field(), out);
        return firstOfEach(out);
      }
      RegistrationGlobals.Global g = globals.resolve(fn.unit(), id.name());
      if (g != null) {
        rows(g.unit(), g.decl(), index, m.field(), out);
        return firstOfEach(out);
      }
    }
    String tag = structs(fn.unit()).objectTag(m);
    if (tag == null) return out;
    SrcRange def = definition(fn.unit(), tag);
    for (VarDecl v : locals) {
      if (v.init() != null && tag.equals(rowTag(v.type())))
        rows(fn.unit(), v, null, m.field(), out);
    }
    for (RegistrationGlobals.Global g : tablesOf(tag)) {
      SrcRange other = definition(g.unit(), tag);
      boolean same = def != null ? def.equals(other) : other == null && g.unit() == fn.unit();
      if (same) rows(g.unit(), g.decl(), null, m.field(), out);
    }
    return firstOfEach(out);
  }

  /** One value per function (the first table that holds it), so a trace names one table. */
  private List<Value> firstOfEach(List<Value> values) {
    Set<FunctionRef> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Value> out = new ArrayList<>();
    for (Value v : values) {
      if (seen.add(program.canonical(v.function()))) out.add(v);
    }
    return out;
  }

  private static VarDecl localTable(List<VarDecl> locals, String name) {
    for (VarDecl v : locals) {
      if (v.name().equals(name) && v.init() != null) return v;
    }
    return null;
  }

  /** Initialised globals whose type is {@code struct tag} or an array of it, by tag. */
  private List<RegistrationGlobals.Global> tablesOf(String tag) {
    if (tablesByTag == null) {
      tablesByTag = new HashMap<>();
      for (RegistrationGlobals.Global g : globals.all()) {
        String t = rowTag(g.decl().type());
        if (t != null) tablesByTag.computeIfAbsent(t, k -> new ArrayList<>()).add(g);
      }
    }
    return tablesByTag.getOrDefault(tag, List.of());
  }

  private SrcRange definition(TranslationUnit unit, String tag) {
    StructDef d = structs(unit).struct(tag);
    return d == null ? null : d.range();
  }

  /** The member {@code field} of each row of {@code table} (one row for a constant index). */
  private void rows(
      TranslationUnit unit, VarDecl table, Expr index, String field, List<Value> out) {
    if (!(table.init() instanceof Expr.InitList list)) return;
    String tag = rowTag(table.type());
    if (tag == null) return;
    StructDef def = structs(unit).struct(tag);
    String via = table.name() + (isArray(table.type()) ? "[]." : ".") + field;
    List<Expr> rows = new ArrayList<>();
    if (!isArray(table.type())) {
      rows.add(list);
    } else if (index instanceof Expr.IntLit lit && positional(list)) {
      BigInteger k = lit.value();
      if (k.signum() >= 0 && k.compareTo(BigInteger.valueOf(list.items().size())) < 0) {
        rows.add(list.items().get(k.intValue()).value());
      }
    } else {
      for (Expr.Designated d : list.items()) rows.add(d.value());
    }
    for (Expr row : rows) {
      FunctionRef f = functionOf(unit, member(row, field, def));
      if (f != null) out.add(new Value(f, via));
    }
  }

  private static boolean positional(Expr.InitList list) {
    for (Expr.Designated d : list.items()) {
      if (!d.designators().isEmpty()) return false;
    }
    return true;
  }

  /**
   * The value a struct initializer gives {@code field}: by designator, or by position when the
   * struct's definition is known (a designator moves the position, as in C).
   */
  private static Expr member(Expr init, String field, StructDef def) {
    if (!(init instanceof Expr.InitList list)) return null;
    int at = 0;
    for (Expr.Designated d : list.items()) {
      List<String> ds = d.designators();
      if (!ds.isEmpty()) {
        if (ds.equals(List.of("." + field))) return d.value();
        at = def == null ? -1 : fieldIndex(def, ds.get(0));
      } else if (def != null
          && at >= 0
          && at < def.fields().size()
          && field.equals(def.fields().get(at).name())) {
        return d.value();
      }
      if (at >= 0) at++;
    }
    return null;
  }

  private static int fieldIndex(StructDef def, String designator) {
    for (int i = 0; i < def.fields().size(); i++) {
      String name = def.fields().get(i).name();
      if (name != null && designator.equals("." + name)) return i;
    }
    return -1;
  }

  /** The struct tag of a table's rows: {@code struct t} or an array of it, else null. */
  private static String rowTag(CType type) {
    CType t = RegistrationTypes.unwrap(type);
    if (t instanceof CType.Array a) t = RegistrationTypes.unwrap(a.element());
    return t instanceof CType.Record r && !r.union() ? r.tag() : null;
  }

  private static boolean isArray(CType type) {
    return RegistrationTypes.unwrap(type) instanceof CType.Array;
  }

  private static Expr strip(Expr e) {
    while (e instanceof Expr.Cast c) e = c.operand();
    return e;
  }
}
