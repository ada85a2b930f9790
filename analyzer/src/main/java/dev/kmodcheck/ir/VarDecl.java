package dev.kmodcheck.ir;

/**
 * A variable declaration (local, global or parameter). {@code init} is null when absent. {@code
 * isStatic} is the storage class; {@code isExtern} marks a declaration without definition.
 */
public record VarDecl(
    SrcRange range, String name, CType type, Expr init, boolean isStatic, boolean isExtern) {}
