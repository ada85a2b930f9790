package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Frontend serves every unit of a scan; nothing a unit leaves behind may change another's IR.
 * (A cache of translated header declarations once did: CDT resolves bindings lazily, so skipping a
 * header prototype changed the type a later parameter {@code struct dma_chan *} got, and two
 * records of one macro expansion were taken for one.)
 */
class SharedFrontendTest {

  @TempDir Path dir;

  @Test
  void aUnitParsedAfterOthersEqualsTheSameUnitParsedAlone() throws IOException {
    Files.writeString(
        dir.resolve("drv.h"),
        """
        #ifndef DRV_H
        #define DRV_H
        #define DECLARE_RING(name) union { struct { int head, tail; }; long both; } name
        struct drv_queue {
        \tint id;
        \tDECLARE_RING(ring);
        \tstruct dma_chan *chan;
        };
        int drv_start(struct dma_chan *chan, u32 flags);
        #endif
        """);
    String body =
        """
        #include "drv.h"
        int %s(struct dma_chan *chan)
        {
        \tstruct drv_queue *q = kzalloc(sizeof(*q), GFP_KERNEL);
        \treturn q ? drv_start(chan, 0) : -ENOMEM;
        }
        """;
    Files.writeString(dir.resolve("a.c"), body.formatted("drv_a"));
    Files.writeString(dir.resolve("b.c"), body.formatted("drv_b"));
    Frontend shared = new Frontend(Target.defaultTarget());
    shared.parse(new SourceInput(dir.resolve("a.c"), "a.c", null));
    SourceInput b = new SourceInput(dir.resolve("b.c"), "b.c", null);
    TranslationUnit afterOthers = shared.parse(b);
    TranslationUnit alone = new Frontend(Target.defaultTarget()).parse(b);
    assertEquals(alone, afterOthers);
  }
}
