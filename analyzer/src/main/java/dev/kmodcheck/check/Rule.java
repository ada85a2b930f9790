package dev.kmodcheck.check;

/**
 * A check. Implementations are small, read facts and report findings; they are found with {@link
 * java.util.ServiceLoader} so that the analyzer never depends on the rules module. Metadata is the
 * class's {@link RuleInfo} annotation. A rule says what it checks by its type: a {@link UnitRule}
 * checks each translation unit alone, a {@link ProgramRule} needs the whole program (and makes the
 * engine keep the units in memory). A rule must be stateless or thread-safe.
 */
public sealed interface Rule permits UnitRule, ProgramRule {

  default RuleInfo info() {
    RuleInfo info = getClass().getAnnotation(RuleInfo.class);
    if (info == null) {
      throw new IllegalStateException(getClass().getName() + " lacks @RuleInfo");
    }
    return info;
  }
}
