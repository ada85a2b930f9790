package dev.kmodcheck.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SrcRangeTest {

  /** What a record with SrcRange's components generates. */
  private record Generated(String file, int line, int column, int endLine, int endColumn) {}

  /**
   * The written-out equals and hashCode behave as the generated ones did, values included, so that
   * nothing ordered by hash changes with them.
   */
  @Test
  void equalsAndHashCodeAreTheRecordOnes() {
    int[][] positions = {{0, 0, 0, 0}, {3, 4, 5, 6}, {1, 1, 1, 2}, {65535, 80, 70000, -1}};
    for (String file : new String[] {"", "drivers/net/usb/r8152.c", "a\u00e4.c"}) {
      for (int[] p : positions) {
        SrcRange r = new SrcRange(file, p[0], p[1], p[2], p[3]);
        Generated g = new Generated(file, p[0], p[1], p[2], p[3]);
        assertEquals(g.hashCode(), r.hashCode(), r.toString());
        assertEquals(r, new SrcRange(new String(file), p[0], p[1], p[2], p[3]));
        for (int i = 0; i < 4; i++) {
          int[] q = p.clone();
          q[i]++;
          assertNotEquals(r, new SrcRange(file, q[0], q[1], q[2], q[3]));
        }
        assertNotEquals(r, new SrcRange(file + "x", p[0], p[1], p[2], p[3]));
        assertNotEquals(r, g);
      }
    }
  }

  @Test
  void projectFilesAreThoseNamedRelativeToTheSourceRoot() {
    assertTrue(at("drivers/net/usb/r8152.c").inProject());
    assertTrue(at("include/ootdev/ootdev.h").inProject());
    assertFalse(at("/usr/src/linux/include/linux/slab.h").inProject());
    assertFalse(at("../linux/include/linux/slab.h").inProject());
    assertFalse(at("C:/src/linux/include/linux/slab.h").inProject());
    assertFalse(at("<kmodcheck-shim>/kernel-shim.h").inProject());
  }

  private static SrcRange at(String file) {
    return new SrcRange(file, 1, 1, 1, 2);
  }
}
