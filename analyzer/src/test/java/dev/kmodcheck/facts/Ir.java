package dev.kmodcheck.facts;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.Stmt;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.VarDecl;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/** Concise builders of hand-made IR for facts tests. */
final class Ir {
  static final SrcRange R = new SrcRange("t.c", 1, 1, 1, 2);

  private Ir() {}

  static Expr.IntLit lit(long v) {
    return new Expr.IntLit(R, null, BigInteger.valueOf(v), false, 0);
  }

  static Expr.IntLit lit(String v, boolean unsigned, int longness) {
    return new Expr.IntLit(R, null, new BigInteger(v), unsigned, longness);
  }

  static Expr.IntLit ul(long v) {
    return new Expr.IntLit(R, null, BigInteger.valueOf(v), true, 1);
  }

  static Expr bin(Expr l, String op, Expr r) {
    return new Expr.Binary(R, null, op, l, r);
  }

  static Expr un(String op, Expr e) {
    return new Expr.Unary(R, null, op, e);
  }

  static Expr cast(CType t, Expr e) {
    return new Expr.Cast(R, null, t, e);
  }

  static Expr cond(Expr c, Expr a, Expr b) {
    return new Expr.Conditional(R, null, c, a, b);
  }

  static Expr call(String name, Expr... args) {
    return new Expr.Call(R, null, id(name, Expr.IdKind.UNRESOLVED, null), Arrays.asList(args));
  }

  static Expr.Ident id(String name, Expr.IdKind kind, CType type) {
    return new Expr.Ident(R, null, name, kind, type, null);
  }

  static Expr.Ident local(String name, CType type) {
    return id(name, Expr.IdKind.LOCAL, type);
  }

  static Expr.Ident param(String name, CType type) {
    return id(name, Expr.IdKind.PARAM, type);
  }

  static Expr.Ident global(String name, CType type) {
    return id(name, Expr.IdKind.GLOBAL, type);
  }

  static Expr.Ident unresolved(String name) {
    return id(name, Expr.IdKind.UNRESOLVED, null);
  }

  static Expr.Ident enumerator(String name, long v) {
    return new Expr.Ident(R, null, name, Expr.IdKind.ENUMERATOR, INT, BigInteger.valueOf(v));
  }

  static Expr sizeofT(CType t) {
    return new Expr.SizeofType(R, null, t);
  }

  static Expr sizeofE(Expr e) {
    return new Expr.SizeofExpr(R, null, e);
  }

  static Expr alignofT(CType t) {
    return new Expr.AlignofType(R, null, t);
  }

  static Expr member(Expr base, String field, boolean arrow) {
    return new Expr.Member(R, null, base, field, arrow);
  }

  static Expr index(Expr a, Expr i) {
    return new Expr.Index(R, null, a, i);
  }

  static Expr str(String spelling) {
    return new Expr.StringLit(R, null, spelling);
  }

  static CType s(String name) {
    return new CType.Scalar(name);
  }

  static final CType INT = s("int");
  static final CType CHAR = s("char");
  static final CType SIZE_T = new CType.Typedef("size_t", s("unsigned long"));

  static CType ptr(CType t) {
    return new CType.Pointer(t);
  }

  static CType arr(CType t, long n) {
    return new CType.Array(t, lit(n));
  }

  static CType flex(CType t) {
    return new CType.Array(t, null);
  }

  static CType struct(String tag) {
    return new CType.Record(false, tag);
  }

  static CType union(String tag) {
    return new CType.Record(true, tag);
  }

  static StructDef.Field f(String name, CType type) {
    return new StructDef.Field(name, type, null, null, false);
  }

  static StructDef.Field bits(String name, CType type, long width) {
    return new StructDef.Field(name, type, lit(width), null, false);
  }

  static StructDef.Field aligned(String name, CType type, long align) {
    return new StructDef.Field(name, type, null, lit(align), false);
  }

  static StructDef.Field packedField(String name, CType type) {
    return new StructDef.Field(name, type, null, null, true);
  }

  static StructDef def(String tag, StructDef.Field... fields) {
    return new StructDef(R, false, tag, List.of(fields), false, null);
  }

  static StructDef packedDef(String tag, StructDef.Field... fields) {
    return new StructDef(R, false, tag, List.of(fields), true, null);
  }

  static StructDef alignedDef(String tag, long align, StructDef.Field... fields) {
    return new StructDef(R, false, tag, List.of(fields), false, lit(align));
  }

  static StructDef unionDef(String tag, StructDef.Field... fields) {
    return new StructDef(R, true, tag, List.of(fields), false, null);
  }

  static VarDecl var(String name, CType type, Expr init) {
    return new VarDecl(R, name, type, init, false, false);
  }

  static VarDecl staticVar(String name, CType type, Expr init) {
    return new VarDecl(R, name, type, init, true, false);
  }

  static Stmt decl(VarDecl... vars) {
    return new Stmt.Decl(R, List.of(vars));
  }

  static Stmt stmt(Expr e) {
    return new Stmt.ExprStmt(R, e);
  }

  static FunctionDef fn(Stmt... body) {
    return new FunctionDef(
        R,
        R,
        "f",
        s("void"),
        List.of(),
        false,
        false,
        List.of(),
        new Stmt.Block(R, List.of(body)),
        List.of());
  }
}
