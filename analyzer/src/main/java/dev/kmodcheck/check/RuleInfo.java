package dev.kmodcheck.check;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A rule's metadata, in one place on the rule class (as Error Prone's {@code @BugPattern}). It
 * flows into {@code kmodcheck rules}, {@code explain} and SARIF {@code rules[]}; the long help text
 * is {@code docs/rules/<id>.md}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RuleInfo {
  /** Stable id used in reports, suppressions and configuration, e.g. "kmalloc-size-limit". */
  String id();

  /** PascalCase name for SARIF {@code rules[].name}, e.g. "KmallocSizeLimit". */
  String name();

  Severity severity();

  /** One sentence: SARIF shortDescription. */
  String summary();

  /** SARIF properties.tags (GitHub shows at most 10). */
  String[] tags() default {};

  /** SARIF properties.precision: very-high, high, medium, low. */
  String precision() default "high";
}
