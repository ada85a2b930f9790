package dev.kmodcheck.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kmodcheck.cache.ScanCache.Dep;
import dev.kmodcheck.cache.ScanCache.FileRecord;
import dev.kmodcheck.cache.ScanCache.Index;
import dev.kmodcheck.cache.ScanCache.Outcome;
import dev.kmodcheck.cache.ScanCache.ProgramRecord;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.ir.SrcRange;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheIndexCodecTest {

  private static final SrcRange AT = new SrcRange("drivers/x/a.c", 12, 3, 12, 40);

  private static Index sample() {
    Dep header = new Dep("/src/drivers/x/a.h", 120, 1_700_000_000_123L, "ab".repeat(32));
    Dep missing = new Dep("/src/drivers/x/gone.h", -1, -1, "-");
    Dep unreadable = new Dep("/src/drivers/x/locked.h", -1, -1, "?AccessDeniedException");
    Finding chain =
        new Finding(
            "sleep-in-atomic",
            Severity.ERROR,
            "mutex_lock() may sleep but is called with spinlock 'd->lock' held (día 1)",
            AT,
            "x_irq",
            List.of(
                new TraceStep(new SrcRange("drivers/x/a.c", 10, 2, 10, 20), "spin_lock(&d->lock)"),
                new TraceStep(AT, "mutex_lock(&d->m)")));
    Finding placeless =
        new Finding("kmalloc-too-big", Severity.WARNING, "m", null, null, List.of());
    Notification note =
        new Notification("warning", "parse-problems", "2 parse problems; first: x", AT);
    FileRecord a =
        new FileRecord(
            "drivers/x/a.c",
            "",
            new Dep("/src/drivers/x/a.c", 9000, 1_700_000_000_000L, "cd".repeat(32)),
            List.of(header, missing, unreadable),
            new Outcome(
                List.of(chain, placeless),
                List.of(note),
                310,
                7,
                2,
                List.of(new SrcRange("drivers/x/a.h", 4, 1, 4, 9)),
                List.of(new SrcRange("drivers/x/a.h", 8, 1, 12, 2)),
                new ScanCache.Lost(3, 140),
                List.of(2),
                false,
                true));
    FileRecord b =
        new FileRecord(
            "drivers/x/b.c",
            "gcc -Idrivers/x -c b.c",
            new Dep("/src/drivers/x/b.c", 0, 5, "ef".repeat(32)),
            List.of(header),
            new Outcome(
                List.of(),
                List.of(),
                0,
                0,
                0,
                List.of(),
                List.of(),
                ScanCache.Lost.NONE,
                List.of(),
                true,
                false));
    ProgramRecord p =
        new ProgramRecord(
            "drivers/x", List.of("drivers/x/a.c", "drivers/x/b.c"), List.of(chain), List.of(note));
    return new Index(Map.of(a.relPath(), a, b.relPath(), b), Map.of(p.name(), p));
  }

  @Test
  void anIndexReadsBackEqual() {
    Index index = sample();
    assertEquals(index, CacheIndexCodec.decode(CacheIndexCodec.encode(index)));
  }

  @Test
  void anEmptyIndexReadsBackEqual() {
    Index empty = new Index(Map.of(), Map.of());
    assertEquals(empty, CacheIndexCodec.decode(CacheIndexCodec.encode(empty)));
  }

  @Test
  void everyTruncationAndForeignBytesAreAMiss() {
    byte[] bytes = CacheIndexCodec.encode(sample());
    for (int n = 0; n < bytes.length; n++) {
      assertNull(CacheIndexCodec.decode(Arrays.copyOf(bytes, n)), "truncated to " + n);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertNull(CacheIndexCodec.decode(longer));
    assertNull(CacheIndexCodec.decode("not a cache index".getBytes()));
  }
}
