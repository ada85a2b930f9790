package dev.kmodcheck.ir;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Translation units in the compact binary form of {@link CompactOut}, so that a cached re-scan can
 * take the units of a program's unchanged files from the cache and parse only the edited ones.
 * {@code decode(encode(u)).equals(u)} for every unit; each node becomes its own object again (the
 * frontend never shares a node between two places of a tree).
 */
public final class IrCodec {

  private static final Expr.IdKind[] ID_KINDS = Expr.IdKind.values();

  private IrCodec() {}

  public static void encode(TranslationUnit u, CompactOut out) {
    new Enc(out).unit(u);
  }

  /** Throws a runtime exception on damaged input. */
  public static TranslationUnit decode(CompactIn in) {
    return new Dec(in).unit();
  }

  private static final class Enc {
    private final CompactOut o;

    Enc(CompactOut o) {
      this.o = o;
    }

    void unit(TranslationUnit u) {
      o.string(u.file());
      o.varint(u.lines());
      o.varint(u.functions().size());
      for (FunctionDef f : u.functions()) function(f);
      vars(u.globals());
      o.varint(u.structs().size());
      for (StructDef s : u.structs()) struct(s);
      o.varint(u.declarations().size());
      for (TranslationUnit.FunctionDecl d : u.declarations()) {
        range(d.range());
        o.string(d.name());
        type(d.type());
        o.bool(d.isStatic());
      }
      o.varint(u.problems().size());
      for (ParseProblem p : u.problems()) {
        range(p.range());
        o.string(p.message());
        o.varint(p.lostFunctions());
      }
      strings(u.buildConfigs());
    }

    void function(FunctionDef f) {
      range(f.range());
      range(f.nameRange());
      o.string(f.name());
      type(f.returnType());
      vars(f.params());
      o.bool(f.varargs());
      o.bool(f.isStatic());
      strings(f.attributes());
      stmt(f.body());
      strings(f.configsOff());
    }

    void struct(StructDef s) {
      range(s.range());
      o.bool(s.union());
      o.string(s.tag());
      o.varint(s.fields().size());
      for (StructDef.Field f : s.fields()) {
        o.string(f.name());
        type(f.type());
        expr(f.bitWidth());
        expr(f.alignedTo());
        o.bool(f.packed());
      }
      o.bool(s.packed());
      expr(s.alignedTo());
    }

    void vars(List<VarDecl> vars) {
      o.varint(vars.size());
      for (VarDecl v : vars) var(v);
    }

    void var(VarDecl v) {
      range(v.range());
      o.string(v.name());
      type(v.type());
      expr(v.init());
      o.bool(v.isStatic());
      o.bool(v.isExtern());
    }

    void strings(List<String> list) {
      o.varint(list.size());
      for (String s : list) o.string(s);
    }

    void range(SrcRange r) {
      o.range(r);
    }

    void bigInt(BigInteger v) {
      if (v == null) {
        o.varint(0);
        return;
      }
      o.varint(1);
      o.bytes(v.toByteArray());
    }

    void exprs(List<Expr> list) {
      o.varint(list.size());
      for (Expr e : list) expr(e);
    }

    void expr(Expr e) {
      if (e == null) {
        o.varint(0);
        return;
      }
      if (e instanceof Expr.Ident x) {
        head(1, x);
        o.string(x.name());
        o.varint(x.kind().ordinal());
        type(x.type());
        bigInt(x.enumValue());
      } else if (e instanceof Expr.IntLit x) {
        head(2, x);
        bigInt(x.value());
        o.bool(x.unsigned());
        o.varint(x.longness());
      } else if (e instanceof Expr.CharLit x) {
        head(3, x);
        bigInt(x.value());
      } else if (e instanceof Expr.FloatLit x) {
        head(4, x);
        o.string(x.text());
      } else if (e instanceof Expr.StringLit x) {
        head(5, x);
        o.string(x.text());
      } else if (e instanceof Expr.Binary x) {
        head(6, x);
        o.string(x.op());
        expr(x.left());
        expr(x.right());
      } else if (e instanceof Expr.Unary x) {
        head(7, x);
        o.string(x.op());
        expr(x.operand());
      } else if (e instanceof Expr.Conditional x) {
        head(8, x);
        expr(x.cond());
        expr(x.then());
        expr(x.otherwise());
      } else if (e instanceof Expr.Cast x) {
        head(9, x);
        type(x.type());
        expr(x.operand());
      } else if (e instanceof Expr.SizeofType x) {
        head(10, x);
        type(x.type());
      } else if (e instanceof Expr.SizeofExpr x) {
        head(11, x);
        expr(x.operand());
      } else if (e instanceof Expr.AlignofType x) {
        head(12, x);
        type(x.type());
      } else if (e instanceof Expr.Call x) {
        head(13, x);
        expr(x.callee());
        exprs(x.args());
      } else if (e instanceof Expr.Member x) {
        head(14, x);
        expr(x.base());
        o.string(x.field());
        o.bool(x.arrow());
      } else if (e instanceof Expr.Index x) {
        head(15, x);
        expr(x.array());
        expr(x.index());
      } else if (e instanceof Expr.InitList x) {
        head(16, x);
        initItems(x);
      } else if (e instanceof Expr.CompoundLiteral x) {
        head(17, x);
        type(x.type());
        expr(x.init());
      } else if (e instanceof Expr.StmtExpr x) {
        head(18, x);
        stmt(x.body());
      } else if (e instanceof Expr.Opaque x) {
        head(19, x);
        o.string(x.text());
      } else {
        throw new IllegalStateException("unknown node " + e);
      }
    }

    private void initItems(Expr.InitList x) {
      o.varint(x.items().size());
      for (Expr.Designated d : x.items()) {
        strings(d.designators());
        expr(d.value());
      }
    }

    private void head(int tag, Expr e) {
      o.varint(tag);
      range(e.range());
      o.string(e.macro());
    }

    void stmts(List<Stmt> list) {
      o.varint(list.size());
      for (Stmt s : list) stmt(s);
    }

    void stmt(Stmt s) {
      if (s == null) {
        o.varint(0);
        return;
      }
      if (s instanceof Stmt.Block x) {
        head(1, x);
        stmts(x.stmts());
      } else if (s instanceof Stmt.ExprStmt x) {
        head(2, x);
        expr(x.expr());
      } else if (s instanceof Stmt.Decl x) {
        head(3, x);
        vars(x.vars());
      } else if (s instanceof Stmt.If x) {
        head(4, x);
        expr(x.cond());
        stmt(x.then());
        stmt(x.otherwise());
      } else if (s instanceof Stmt.While x) {
        head(5, x);
        expr(x.cond());
        stmt(x.body());
      } else if (s instanceof Stmt.DoWhile x) {
        head(6, x);
        stmt(x.body());
        expr(x.cond());
      } else if (s instanceof Stmt.For x) {
        head(7, x);
        stmt(x.init());
        expr(x.cond());
        expr(x.step());
        stmt(x.body());
      } else if (s instanceof Stmt.Switch x) {
        head(8, x);
        expr(x.selector());
        stmt(x.body());
      } else if (s instanceof Stmt.Case x) {
        head(9, x);
        expr(x.value());
      } else if (s instanceof Stmt.Break x) {
        head(10, x);
      } else if (s instanceof Stmt.Continue x) {
        head(11, x);
      } else if (s instanceof Stmt.Return x) {
        head(12, x);
        expr(x.value());
      } else if (s instanceof Stmt.Goto x) {
        head(13, x);
        o.string(x.label());
      } else if (s instanceof Stmt.Label x) {
        head(14, x);
        o.string(x.name());
        stmt(x.body());
      } else if (s instanceof Stmt.Empty x) {
        head(15, x);
      } else if (s instanceof Stmt.Opaque x) {
        head(16, x);
        o.string(x.text());
      } else {
        throw new IllegalStateException("unknown node " + s);
      }
    }

    private void head(int tag, Stmt s) {
      o.varint(tag);
      range(s.range());
    }

    void types(List<CType> list) {
      o.varint(list.size());
      for (CType t : list) type(t);
    }

    void type(CType t) {
      if (t == null) {
        o.varint(0);
        return;
      }
      if (t instanceof CType.Scalar x) {
        o.varint(1);
        o.string(x.name());
      } else if (t instanceof CType.Pointer x) {
        o.varint(2);
        type(x.target());
      } else if (t instanceof CType.Array x) {
        o.varint(3);
        type(x.element());
        expr(x.length());
      } else if (t instanceof CType.Record x) {
        o.varint(4);
        o.bool(x.union());
        o.string(x.tag());
      } else if (t instanceof CType.Enum x) {
        o.varint(5);
        o.string(x.tag());
      } else if (t instanceof CType.Function x) {
        o.varint(6);
        type(x.returnType());
        types(x.params());
        o.bool(x.varargs());
      } else if (t instanceof CType.Typedef x) {
        o.varint(7);
        o.string(x.name());
        type(x.resolved());
      } else if (t instanceof CType.Unknown x) {
        o.varint(8);
        o.string(x.spelling());
      } else {
        throw new IllegalStateException("unknown node " + t);
      }
    }
  }

  private static final class Dec {
    private final CompactIn in;

    Dec(CompactIn in) {
      this.in = in;
    }

    TranslationUnit unit() {
      String file = in.string();
      int lines = in.varint();
      FunctionDef[] functions = new FunctionDef[in.count()];
      for (int i = 0; i < functions.length; i++) functions[i] = function();
      List<VarDecl> globals = vars();
      StructDef[] structs = new StructDef[in.count()];
      for (int i = 0; i < structs.length; i++) structs[i] = struct();
      TranslationUnit.FunctionDecl[] decls = new TranslationUnit.FunctionDecl[in.count()];
      for (int i = 0; i < decls.length; i++) {
        decls[i] = new TranslationUnit.FunctionDecl(range(), in.string(), type(), in.bool());
      }
      ParseProblem[] problems = new ParseProblem[in.count()];
      for (int i = 0; i < problems.length; i++) {
        problems[i] = new ParseProblem(range(), in.string(), in.varint());
      }
      List<String> buildConfigs = strings();
      return new TranslationUnit(
          file,
          lines,
          List.of(functions),
          globals,
          List.of(structs),
          List.of(decls),
          List.of(problems),
          buildConfigs);
    }

    FunctionDef function() {
      SrcRange range = range();
      SrcRange nameRange = range();
      String name = in.string();
      CType returnType = type();
      List<VarDecl> params = vars();
      boolean varargs = in.bool();
      boolean isStatic = in.bool();
      List<String> attributes = strings();
      Stmt body = stmt();
      List<String> configsOff = strings();
      return new FunctionDef(
          range,
          nameRange,
          name,
          returnType,
          params,
          varargs,
          isStatic,
          attributes,
          (Stmt.Block) body,
          configsOff);
    }

    StructDef struct() {
      SrcRange range = range();
      boolean union = in.bool();
      String tag = in.string();
      StructDef.Field[] fields = new StructDef.Field[in.count()];
      for (int i = 0; i < fields.length; i++) {
        fields[i] = new StructDef.Field(in.string(), type(), expr(), expr(), in.bool());
      }
      boolean packed = in.bool();
      Expr alignedTo = expr();
      return new StructDef(range, union, tag, List.of(fields), packed, alignedTo);
    }

    List<VarDecl> vars() {
      VarDecl[] out = new VarDecl[in.count()];
      for (int i = 0; i < out.length; i++) out[i] = var();
      return List.of(out);
    }

    VarDecl var() {
      return new VarDecl(range(), in.string(), type(), expr(), in.bool(), in.bool());
    }

    List<String> strings() {
      String[] out = new String[in.count()];
      for (int i = 0; i < out.length; i++) out[i] = in.string();
      return List.of(out);
    }

    SrcRange range() {
      return in.range();
    }

    BigInteger bigInt() {
      return in.bool() ? new BigInteger(in.bytes()) : null;
    }

    /** Lists of nodes keep nulls where the tree had them (List.of would refuse them). */
    List<Expr> exprs() {
      Expr[] out = new Expr[in.count()];
      for (int i = 0; i < out.length; i++) out[i] = expr();
      return listOf(out);
    }

    Expr expr() {
      int tag = in.varint();
      if (tag == 0) return null;
      SrcRange r = range();
      String m = in.string();
      return switch (tag) {
        case 1 -> new Expr.Ident(r, m, in.string(), ID_KINDS[in.varint()], type(), bigInt());
        case 2 -> new Expr.IntLit(r, m, bigInt(), in.bool(), in.varint());
        case 3 -> new Expr.CharLit(r, m, bigInt());
        case 4 -> new Expr.FloatLit(r, m, in.string());
        case 5 -> new Expr.StringLit(r, m, in.string());
        case 6 -> new Expr.Binary(r, m, in.string(), expr(), expr());
        case 7 -> new Expr.Unary(r, m, in.string(), expr());
        case 8 -> new Expr.Conditional(r, m, expr(), expr(), expr());
        case 9 -> new Expr.Cast(r, m, type(), expr());
        case 10 -> new Expr.SizeofType(r, m, type());
        case 11 -> new Expr.SizeofExpr(r, m, expr());
        case 12 -> new Expr.AlignofType(r, m, type());
        case 13 -> new Expr.Call(r, m, expr(), exprs());
        case 14 -> new Expr.Member(r, m, expr(), in.string(), in.bool());
        case 15 -> new Expr.Index(r, m, expr(), expr());
        case 16 -> initList(r, m);
        case 17 -> new Expr.CompoundLiteral(r, m, type(), (Expr.InitList) expr());
        case 18 -> new Expr.StmtExpr(r, m, (Stmt.Block) stmt());
        case 19 -> new Expr.Opaque(r, m, in.string());
        default -> throw new IllegalStateException("unknown expression tag " + tag);
      };
    }

    private Expr.InitList initList(SrcRange r, String m) {
      Expr.Designated[] items = new Expr.Designated[in.count()];
      for (int i = 0; i < items.length; i++) items[i] = new Expr.Designated(strings(), expr());
      return new Expr.InitList(r, m, List.of(items));
    }

    List<Stmt> stmts() {
      Stmt[] out = new Stmt[in.count()];
      for (int i = 0; i < out.length; i++) out[i] = stmt();
      return listOf(out);
    }

    Stmt stmt() {
      int tag = in.varint();
      if (tag == 0) return null;
      SrcRange r = range();
      return switch (tag) {
        case 1 -> new Stmt.Block(r, stmts());
        case 2 -> new Stmt.ExprStmt(r, expr());
        case 3 -> new Stmt.Decl(r, vars());
        case 4 -> new Stmt.If(r, expr(), stmt(), stmt());
        case 5 -> new Stmt.While(r, expr(), stmt());
        case 6 -> new Stmt.DoWhile(r, stmt(), expr());
        case 7 -> new Stmt.For(r, stmt(), expr(), expr(), stmt());
        case 8 -> new Stmt.Switch(r, expr(), stmt());
        case 9 -> new Stmt.Case(r, expr());
        case 10 -> new Stmt.Break(r);
        case 11 -> new Stmt.Continue(r);
        case 12 -> new Stmt.Return(r, expr());
        case 13 -> new Stmt.Goto(r, in.string());
        case 14 -> new Stmt.Label(r, in.string(), stmt());
        case 15 -> new Stmt.Empty(r);
        case 16 -> new Stmt.Opaque(r, in.string());
        default -> throw new IllegalStateException("unknown statement tag " + tag);
      };
    }

    CType type() {
      int tag = in.varint();
      return switch (tag) {
        case 0 -> null;
        case 1 -> new CType.Scalar(in.string());
        case 2 -> new CType.Pointer(type());
        case 3 -> new CType.Array(type(), expr());
        case 4 -> new CType.Record(in.bool(), in.string());
        case 5 -> new CType.Enum(in.string());
        case 6 -> new CType.Function(type(), types(), in.bool());
        case 7 -> new CType.Typedef(in.string(), type());
        case 8 -> new CType.Unknown(in.string());
        default -> throw new IllegalStateException("unknown type tag " + tag);
      };
    }

    List<CType> types() {
      CType[] out = new CType[in.count()];
      for (int i = 0; i < out.length; i++) out[i] = type();
      return listOf(out);
    }

    private static <T> List<T> listOf(T[] items) {
      for (T t : items) {
        if (t == null) return Collections.unmodifiableList(Arrays.asList(items));
      }
      return List.of(items);
    }
  }
}
