package dev.kmodcheck.engine;

/** C files that are hard on the analyzer, for the fault-isolation tests of several modules. */
public final class PathologicalInputs {

  private PathologicalInputs() {}

  /**
   * A macro that expands into expressions nested 65,536 deep: CDT parses them in a second, but
   * translating them is quadratic (each node's location is found by walking up to the root), so
   * without a time budget this file alone takes minutes.
   */
  public static String deepMacroFile() {
    StringBuilder sb = new StringBuilder("#define A0(x) x x\n");
    for (int i = 1; i <= 4; i++) {
      sb.append("#define A")
          .append(i)
          .append("(x) A")
          .append(i - 1)
          .append("(A")
          .append(i - 1)
          .append("(x))\n");
    }
    for (int i = 0; i < 8; i++) {
      sb.append("int deep").append(i).append("(int v) { return v A4(+ v); }\n");
    }
    return sb.toString();
  }
}
