package dev.kmodcheck.frontend;

import dev.kmodcheck.ir.ParseProblem;
import dev.kmodcheck.ir.StructDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.ir.VarDecl;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * File-scope declarations of headers, translated once and shared by every unit that includes the
 * header. A module header's structs and prototypes are included by every .c file of its driver,
 * and resolving their member and declarator bindings in CDT was a third of the translation time.
 *
 * <p>Keyed by the declaration's place in the header (path, offset, length) and by the definitions
 * of the macros it expands, so a unit that defines such a macro differently (a -D option, a
 * #define before the #include) gets its own translation. Declarations with a preprocessor
 * directive inside are never shared: another unit may select other members.
 */
final class HeaderDeclarations {

  record Key(String file, String macros, int offset, int length) {}

  /** What one declaration added to the unit, in the order the translator added it. */
  record Translated(
      List<StructDef> structs,
      List<TranslationUnit.FunctionDecl> declarations,
      List<VarDecl> globals,
      List<ParseProblem> problems) {}

  private final ConcurrentHashMap<Key, Translated> byPlace = new ConcurrentHashMap<>();

  Translated get(Key key) {
    return byPlace.get(key);
  }

  void put(Key key, Translated translated) {
    byPlace.putIfAbsent(key, translated);
  }
}
