package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.ir.ParseProblem;
import dev.kmodcheck.ir.TranslationUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parse problems say how many whole functions they swallowed. */
class LostFunctionsTest {

  @TempDir Path dir;

  @Test
  void countsBodiesAfterAParenthesisAtDepthZero() {
    assertEquals(0, AstTranslator.functionBodies("int x = { 1, 2 };"));
    assertEquals(1, AstTranslator.functionBodies("MACRO(x) int f(void) { if (a) { b(); } }"));
    assertEquals(
        2, AstTranslator.functionBodies("int f(void) { g(\"){\"); } /* ) { */ int h(int a) {}"));
    assertEquals(0, AstTranslator.functionBodies("struct s { int (*fn)(void); };"));
  }

  @Test
  void aFileScopeProblemLosesTheFunctionsItSwallows() {
    TranslationUnit tu =
        FrontendTestSupport.parse(
            dir,
            "lost.c",
            """
            int kept(void) { return 0; }
            UNKNOWN_DECL(a, b) static int gone_1(void) { return 1; }
            static int gone_2(int x) { return x; }
            """);
    int lost = tu.problems().stream().mapToInt(ParseProblem::lostFunctions).sum();
    assertTrue(tu.functions().stream().anyMatch(f -> f.name().equals("kept")));
    assertEquals(
        3 - tu.functions().size(), lost, tu.problems() + " " + FrontendTestSupport.names(tu));
    assertTrue(lost >= 1, tu.problems().toString());
  }
}
