package dev.kmodcheck.check;

/**
 * A check. Implementations are small, read facts and report findings; they are found with {@link
 * java.util.ServiceLoader} so that the analyzer never depends on the rules module. Metadata is the
 * class's {@link RuleInfo} annotation.
 *
 * <p>{@link #checkUnit} runs once per translation unit, possibly in parallel with other units, right
 * after parsing; {@link #checkProgram} runs once per program after its units are parsed, for checks
 * that need whole-program facts, possibly in parallel with other rules on the same program (facts
 * they share come from {@link ProgramContext#fact}). A rule must be stateless or thread-safe.
 */
public interface Rule {

  default void checkUnit(UnitContext ctx) {}

  default void checkProgram(ProgramContext ctx) {}

  default RuleInfo info() {
    RuleInfo info = getClass().getAnnotation(RuleInfo.class);
    if (info == null) {
      throw new IllegalStateException(getClass().getName() + " lacks @RuleInfo");
    }
    return info;
  }
}
