package dev.kmodcheck.ir;

import java.util.List;

/**
 * Everything the facts layer needs from one parsed .c file. Header-defined functions and types that
 * were parsed with it (build-aware mode) are included with their own file paths.
 *
 * <p>{@code file} is the path relative to the source root, '/'-separated. {@code lines} counts the
 * lines of the .c file itself. {@code buildConfigs} names, sorted, the CONFIG options its make
 * files build it under ({@code obj-$(CONFIG_FOO) += foo.o}), which a header-less parse leaves
 * undefined.
 */
public record TranslationUnit(
    String file,
    int lines,
    List<FunctionDef> functions,
    List<VarDecl> globals,
    List<StructDef> structs,
    List<FunctionDecl> declarations,
    List<ParseProblem> problems,
    List<String> buildConfigs) {

  /** A function prototype (no body), kept for extern/static linkage and parameter types. */
  public record FunctionDecl(SrcRange range, String name, CType type, boolean isStatic) {}
}
