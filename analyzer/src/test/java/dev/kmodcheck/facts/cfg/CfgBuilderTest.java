package dev.kmodcheck.facts.cfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.ExprKey;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shape of the CFG for kernel C constructs. */
class CfgBuilderTest {

  @TempDir Path dir;

  private Cfg cfg(String code, String fn) throws Exception {
    Path file = dir.resolve("c.c");
    Files.writeString(file, code);
    TranslationUnit tu =
        new Frontend(Target.defaultTarget()).parse(new SourceInput(file, "c.c", null));
    FunctionDef def =
        tu.functions().stream().filter(f -> f.name().equals(fn)).findFirst().orElseThrow();
    return CfgBuilder.build(def);
  }

  /** Call names in the order a straight-line walk from entry meets them. */
  private static List<String> straightCalls(Cfg g) {
    List<String> out = new ArrayList<>();
    int n = g.entry();
    while (n != g.exit()) {
      assertFalse(g.kind(n) == Cfg.Kind.BRANCH || g.kind(n) == Cfg.Kind.SWITCH, "not straight");
      if (g.kind(n) == Cfg.Kind.CALL) out.add(((Expr.Call) g.payload(n)).calleeName());
      n = g.next(n);
    }
    return out;
  }

  private static boolean[] reachable(Cfg g) {
    boolean[] seen = new boolean[g.size()];
    Deque<Integer> work = new ArrayDeque<>();
    work.push(g.entry());
    seen[g.entry()] = true;
    while (!work.isEmpty()) {
      for (int s : g.successors(work.pop())) {
        if (!seen[s]) {
          seen[s] = true;
          work.push(s);
        }
      }
    }
    return seen;
  }

  private static List<String> reachableCalls(Cfg g) {
    boolean[] r = reachable(g);
    List<String> out = new ArrayList<>();
    for (int n = 0; n < g.size(); n++) {
      if (r[n] && g.kind(n) == Cfg.Kind.CALL) out.add(((Expr.Call) g.payload(n)).calleeName());
    }
    out.sort(null);
    return out;
  }

  private static List<String> branches(Cfg g) {
    List<String> out = new ArrayList<>();
    for (int n = g.size() - 1; n >= 0; n--) {
      if (g.kind(n) == Cfg.Kind.BRANCH) out.add(ExprKey.of((Expr) g.payload(n)));
    }
    return out;
  }

  @Test
  void evaluationOrderArgumentsStatementExpressionsAndConstantLoops() throws Exception {
    Cfg g =
        cfg(
            """
        void f(int x)
        {
        	outer(a(), b(c()));
        	int v = ({ int t = d(); t + e(); });
        	do { g(); } while (0);
        }
        """,
            "f");
    assertEquals(List.of("a", "c", "b", "outer", "d", "e", "g"), straightCalls(g));
  }

  @Test
  void shortCircuitConditionsAreBranchChains() throws Exception {
    Cfg g =
        cfg(
            """
        void f(int a, int b)
        {
        	if (a && !trylock())
        		x();
        	if (likely(b != 0) || a == 0)
        		y();
        }
        """,
            "f");
    assertEquals(List.of("a", "trylock()", "b", "a"), branches(g));
  }

  /** GNU "a ?: b" as a condition: a decides when true, else b; no branch without a test. */
  @Test
  void elvisConditionTestsItsOperands() throws Exception {
    Cfg g =
        cfg(
            """
        void f(int a, int b)
        {
        	if (a ?: b)
        		x();
        	if (!(a ?: check()))
        		y();
        }
        """,
            "f");
    assertEquals(List.of("a", "b", "a", "check()"), branches(g));
    for (int n = 0; n < g.size(); n++) {
      if (g.kind(n) == Cfg.Kind.BRANCH) assertTrue(g.payload(n) != null, "branch " + n);
    }
  }

  @Test
  void unreachableAfterReturnAndInfiniteLoopWithoutBreak() throws Exception {
    Cfg g =
        cfg(
            """
        int f(int a)
        {
        	if (a)
        		return 1;
        	else
        		return 2;
        	dead();
        }
        void h(void)
        {
        	while (1)
        		spin();
        	dead();
        }
        """,
            "f");
    assertFalse(reachableCalls(g).contains("dead"));
    Cfg h =
        cfg(
            """
        void h(void)
        {
        	while (1)
        		spin();
        	dead();
        }
        """,
            "h");
    assertEquals(List.of("spin"), reachableCalls(h));
    assertFalse(reachable(h)[h.exit()], "no path leaves while (1) without break");
  }

  @Test
  void switchDispatchesToEachCaseAndEndWithoutDefault() throws Exception {
    Cfg g =
        cfg(
            """
        void f(int c)
        {
        	switch (c) {
        	case 1:
        		one();
        	case 2:
        		two();
        		break;
        	}
        	end();
        }
        """,
            "f");
    int sw = -1;
    for (int n = 0; n < g.size(); n++) if (g.kind(n) == Cfg.Kind.SWITCH) sw = n;
    assertEquals(3, g.successors(sw).length, "case 1, case 2, and the end (no default)");
  }

  @Test
  void gotoBackwardsMakesALoop() throws Exception {
    Cfg g =
        cfg(
            """
        void f(int c)
        {
        again:
        	work();
        	if (retry())
        		goto again;
        	done();
        }
        """,
            "f");
    int work = -1;
    for (int n = 0; n < g.size(); n++) {
      if (g.kind(n) == Cfg.Kind.CALL && "work".equals(((Expr.Call) g.payload(n)).calleeName())) {
        work = n;
      }
    }
    // From the call after work(), work() is reachable again.
    boolean[] seen = new boolean[g.size()];
    Deque<Integer> q = new ArrayDeque<>();
    q.push(g.next(work));
    boolean back = false;
    while (!q.isEmpty()) {
      int n = q.pop();
      if (n == work) back = true;
      if (seen[n]) continue;
      seen[n] = true;
      for (int s : g.successors(n)) q.push(s);
    }
    assertTrue(back);
  }
}
