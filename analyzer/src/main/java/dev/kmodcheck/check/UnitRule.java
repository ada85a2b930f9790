package dev.kmodcheck.check;

/**
 * A rule that checks one translation unit at a time, right after it is parsed, possibly in parallel
 * with other units; facts it shares with the unit's other rules come from {@link UnitContext#fact}.
 */
public non-sealed interface UnitRule extends Rule {
  void checkUnit(UnitContext ctx);
}
