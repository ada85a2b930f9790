package dev.kmodcheck.facts;

import static dev.kmodcheck.facts.Ir.bin;
import static dev.kmodcheck.facts.Ir.cond;
import static dev.kmodcheck.facts.Ir.lit;
import static dev.kmodcheck.facts.Ir.param;
import static dev.kmodcheck.facts.Ir.un;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kmodcheck.ir.CType;
import dev.kmodcheck.ir.Expr;
import dev.kmodcheck.kernel.Target;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Branch conditions taken as known by {@link ValueEvaluator#withAssumptions}. */
class ValueEvaluatorAssumptionsTest {

  private static final CType INT = new CType.Scalar("int");
  private final Expr atomic = param("atomic", INT);
  private final Expr flags = param("flags", INT);
  private final ValueEvaluator plain =
      new ValueEvaluator(Target.defaultTarget(), new TypeLayout(Map.of(), Map.of()), null);

  private static BigInteger value(ValueEvaluator ev, Expr e) {
    CValue v = ev.eval(e);
    return v == null ? null : v.value();
  }

  @Test
  void ternaryConditionFromAssumption() {
    Expr e = cond(atomic, lit(0x820), lit(0xcc0));
    assertNull(plain.eval(e));
    assertEquals(
        BigInteger.valueOf(0x820), value(plain.withAssumptions(Map.of("atomic", true)), e));
    assertEquals(
        BigInteger.valueOf(0xcc0), value(plain.withAssumptions(Map.of("atomic", false)), e));
  }

  @Test
  void negationBothWays() {
    Expr notAtomic = cond(un("!", atomic), lit(1), lit(2));
    assertEquals(
        BigInteger.valueOf(2), value(plain.withAssumptions(Map.of("atomic", true)), notAtomic));
    Expr onAtomic = cond(atomic, lit(1), lit(2));
    assertEquals(
        BigInteger.valueOf(2), value(plain.withAssumptions(Map.of("!(atomic)", true)), onAtomic));
  }

  @Test
  void oppositeComparisonReadsTheSameAssumption() {
    // A path that took "flags > 4" stores the key of flags > 4; flags <= 4 and 4 < flags ask it.
    Expr greater = bin(flags, ">", lit(4));
    Conditions.Key k = Conditions.key(greater);
    ValueEvaluator ev = plain.withAssumptions(Map.of(k.text(), true));
    assertEquals(BigInteger.TWO, value(ev, cond(bin(flags, "<=", lit(4)), lit(1), lit(2))));
    assertEquals(BigInteger.ONE, value(ev, cond(bin(lit(4), "<", flags), lit(1), lit(2))));
    assertNull(ev.eval(cond(bin(flags, ">=", lit(5)), lit(1), lit(2))), "not the same text");
  }

  @Test
  void comparisonKeysShareTextWithOppositePolarity() {
    assertEquals(
        Conditions.key(bin(flags, "==", lit(2))).text(),
        Conditions.key(bin(flags, "!=", lit(2))).text());
    assertEquals(true, Conditions.key(bin(flags, "!=", lit(2))).negated());
    assertEquals(false, Conditions.key(bin(lit(2), "==", flags)).negated());
    assertEquals(
        Conditions.key(bin(flags, "<", lit(2))).text(),
        Conditions.key(bin(lit(2), ">", flags)).text());
    assertEquals(true, Conditions.key(bin(lit(2), "<=", flags)).negated());
    assertEquals(
        Conditions.key(bin(flags, "<", lit(2))).text(),
        Conditions.key(bin(lit(2), "<=", flags)).text());
  }

  @Test
  void logicalOperatorsUseAssumedOperands() {
    Expr masked = bin(flags, "&", lit(4));
    ValueEvaluator ev = plain.withAssumptions(Map.of("(flags & 4)", true, "atomic", false));
    assertEquals(BigInteger.ONE, value(ev, bin(masked, "||", atomic)));
    assertEquals(BigInteger.ZERO, value(ev, bin(masked, "&&", atomic)));
    assertNull(plain.eval(bin(masked, "||", atomic)));
  }

  @Test
  void sameAssumptionsGiveTheSameEvaluator() {
    ValueEvaluator ev = plain.withAssumptions(Map.of("atomic", true));
    assertSame(ev, ev.withAssumptions(Map.of("atomic", true)));
    assertSame(plain, plain.withAssumptions(Map.of()));
    assertEquals(Map.of(), ev.withAssumptions(Map.of()).assumptions());
  }
}
