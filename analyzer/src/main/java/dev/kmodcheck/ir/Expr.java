package dev.kmodcheck.ir;

import java.math.BigInteger;
import java.util.List;

/**
 * Expressions of the frontend-independent IR. Every node carries its source range and, where the
 * node came out of a macro expansion, the name of the outermost macro ({@code macro}, or null), so
 * checks can match kernel APIs that real headers define as macros (spin_lock_irqsave, kcalloc on
 * 6.12).
 */
public sealed interface Expr {

  SrcRange range();

  /** Outermost macro expansion this node came from, or null. */
  String macro();

  /** What an identifier denotes, as resolved by the frontend. */
  enum IdKind {
    LOCAL,
    PARAM,
    GLOBAL,
    FUNCTION,
    ENUMERATOR,
    UNRESOLVED
  }

  /**
   * A name. {@code type} is the declared type of the variable or function (null if unknown); {@code
   * enumValue} is set for enumerators whose value the frontend computed.
   */
  record Ident(
      SrcRange range, String macro, String name, IdKind kind, CType type, BigInteger enumValue)
      implements Expr {}

  /**
   * An integer literal. {@code unsigned} and {@code longness} (0 none, 1 L, 2 LL) come from the
   * suffix; the value is exact.
   */
  record IntLit(SrcRange range, String macro, BigInteger value, boolean unsigned, int longness)
      implements Expr {}

  record CharLit(SrcRange range, String macro, BigInteger value) implements Expr {}

  record FloatLit(SrcRange range, String macro, String text) implements Expr {}

  record StringLit(SrcRange range, String macro, String text) implements Expr {}

  /**
   * Binary operators, spelled as in C: + - * / % << >> & | ^ && || == != < > <= >= , and the
   * assignments = += -= *= /= %= <<= >>= &= |= ^=.
   */
  record Binary(SrcRange range, String macro, String op, Expr left, Expr right) implements Expr {
    public boolean isAssignment() {
      return op.endsWith("=")
          && !op.equals("==")
          && !op.equals("!=")
          && !op.equals("<=")
          && !op.equals(">=");
    }
  }

  /** Unary operators: - + ! ~ * & ++pre --pre post++ post-- */
  record Unary(SrcRange range, String macro, String op, Expr operand) implements Expr {}

  record Conditional(SrcRange range, String macro, Expr cond, Expr then, Expr otherwise)
      implements Expr {}

  record Cast(SrcRange range, String macro, CType type, Expr operand) implements Expr {}

  record SizeofType(SrcRange range, String macro, CType type) implements Expr {}

  record SizeofExpr(SrcRange range, String macro, Expr operand) implements Expr {}

  record AlignofType(SrcRange range, String macro, CType type) implements Expr {}

  /**
   * A call. {@code callee} is usually an {@link Ident}; {@link #calleeName()} gives the direct
   * name. {@code macro} is the macro whose expansion produced the call, if any.
   */
  record Call(SrcRange range, String macro, Expr callee, List<Expr> args) implements Expr {
    /** The called function's name for a direct call, else null. */
    public String calleeName() {
      return callee instanceof Ident id ? id.name() : null;
    }
  }

  /** {@code base.field} or {@code base->field}. */
  record Member(SrcRange range, String macro, Expr base, String field, boolean arrow)
      implements Expr {}

  record Index(SrcRange range, String macro, Expr array, Expr index) implements Expr {}

  /** A brace initializer; each item may carry designators (".field" or "[index]"). */
  record InitList(SrcRange range, String macro, List<Designated> items) implements Expr {}

  /** One initializer item: designators such as ".ops" or "[3]" (empty when positional). */
  record Designated(List<String> designators, Expr value) {}

  record CompoundLiteral(SrcRange range, String macro, CType type, InitList init) implements Expr {}

  /** GNU statement expression {@code ({ ... })}. */
  record StmtExpr(SrcRange range, String macro, Stmt.Block body) implements Expr {}

  /** Something the frontend could not translate (a problem node, an unsupported construct). */
  record Opaque(SrcRange range, String macro, String text) implements Expr {}
}
