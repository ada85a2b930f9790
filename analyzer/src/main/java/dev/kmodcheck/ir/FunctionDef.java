package dev.kmodcheck.ir;

import java.util.List;

/**
 * A function definition. {@code attributes} lists GCC attribute names and sparse annotations that
 * the shim maps to attributes (e.g. "acquires(lock)"), in source order. {@code configsOff} names,
 * sorted, the CONFIG options that preprocessor conditionals in or around the body test and that
 * were undefined in this parse: the body is the one a build without them compiles.
 */
public record FunctionDef(
    SrcRange range,
    SrcRange nameRange,
    String name,
    CType returnType,
    List<VarDecl> params,
    boolean varargs,
    boolean isStatic,
    List<String> attributes,
    Stmt.Block body,
    List<String> configsOff) {}
