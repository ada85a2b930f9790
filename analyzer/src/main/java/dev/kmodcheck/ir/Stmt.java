package dev.kmodcheck.ir;

import java.util.List;

/** Statements of the IR; enough to build a control-flow graph over kernel C. */
public sealed interface Stmt {

  SrcRange range();

  record Block(SrcRange range, List<Stmt> stmts) implements Stmt {}

  record ExprStmt(SrcRange range, Expr expr) implements Stmt {}

  /** A local declaration (one statement may declare several variables). */
  record Decl(SrcRange range, List<VarDecl> vars) implements Stmt {}

  record If(SrcRange range, Expr cond, Stmt then, Stmt otherwise) implements Stmt {}

  record While(SrcRange range, Expr cond, Stmt body) implements Stmt {}

  record DoWhile(SrcRange range, Stmt body, Expr cond) implements Stmt {}

  /** Any part may be null. */
  record For(SrcRange range, Stmt init, Expr cond, Expr step, Stmt body) implements Stmt {}

  record Switch(SrcRange range, Expr selector, Stmt body) implements Stmt {}

  /** {@code value} is null for {@code default:}. */
  record Case(SrcRange range, Expr value) implements Stmt {}

  record Break(SrcRange range) implements Stmt {}

  record Continue(SrcRange range) implements Stmt {}

  record Return(SrcRange range, Expr value) implements Stmt {}

  record Goto(SrcRange range, String label) implements Stmt {}

  record Label(SrcRange range, String name, Stmt body) implements Stmt {}

  record Empty(SrcRange range) implements Stmt {}

  /** Something the frontend could not translate; it may hide calls. */
  record Opaque(SrcRange range, String text) implements Stmt {}
}
