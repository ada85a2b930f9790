package dev.kmodcheck.facts.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.DmaSink;
import dev.kmodcheck.kernel.DmaSinks;
import dev.kmodcheck.kernel.KernelApis;
import dev.kmodcheck.kernel.OriginKind;
import dev.kmodcheck.kernel.Target;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointerOriginsTest {
  private static final Frontend FRONTEND = new Frontend(Target.defaultTarget());

  @TempDir Path dir;

  /** Parses {@code files} (name, content pairs) header-less and computes the fact. */
  private PointerOrigins origins(String... files) throws IOException {
    List<TranslationUnit> units = new ArrayList<>();
    for (int i = 0; i < files.length; i += 2) {
      Path file = dir.resolve(files[i]);
      Files.writeString(file, files[i + 1], StandardCharsets.UTF_8);
      if (files[i].endsWith(".c")) {
        units.add(FRONTEND.parse(new SourceInput(file, files[i], null)));
      }
    }
    Target target = Target.defaultTarget();
    return PointerOrigins.compute(
        new Program(units),
        KernelApis.builtin(),
        DmaSinks.builtin(),
        target.pageSize(),
        (unit, fn) -> new ValueEvaluator(target, TypeLayout.forUnit(target, unit), unit, fn));
  }

  private static String kinds(DmaUse use) {
    return use.origins().stream().map(o -> o.kind().name()).collect(Collectors.joining(","));
  }

  @Test
  void shippedSinkTableCoversTheDocumentedSinksAndExemptions() {
    DmaSinks sinks = DmaSinks.builtin();
    assertEquals(List.of(1), sinks.call("dma_map_single", 4).args());
    assertEquals(List.of(3, 4), sinks.call("usb_fill_control_urb", 8).args());
    assertEquals(Map.of(4, 5), sinks.call("usb_fill_control_urb", 8).lengthArgs());
    assertEquals(DmaSink.Kind.PAGE_OF, sinks.call("dma_map_page", 5).kind());
    assertEquals(DmaSink.Kind.EXEMPT, sinks.call("usb_control_msg_send", 10).kind());
    assertEquals(DmaSink.Kind.EXEMPT, sinks.call("spi_write_then_read", 5).kind());
    assertEquals(DmaSink.Kind.FIELD, sinks.field("urb", "transfer_buffer").kind());
    assertNull(sinks.field("urb", "context"));
    assertNull(sinks.call("i2c_smbus_read_byte", 1));
    // The SPI core maps vmalloc buffers page by page (6.1 drivers/spi/spi.c:1044-1090).
    assertEquals(
        Set.of(OriginKind.VMALLOC, OriginKind.KVMALLOC),
        sinks.field("spi_transfer", "tx_buf").tolerates());
    assertTrue(sinks.call("dma_map_single", 4).tolerates().isEmpty());
    for (DmaSink s : sinks.all()) {
      assertTrue(s.source().startsWith("§5"), s.name() + " cites kernel-facts §5");
    }
  }

  @Test
  void malformedRowsNameTheTableAndLine() {
    String table = "# comment\ndma_map_single\t*\tARG\t-\t-\tno args\n";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DmaSinks.parse(
                    new ByteArrayInputStream(table.getBytes(StandardCharsets.UTF_8)), "t.tsv"));
    assertTrue(e.getMessage().startsWith("t.tsv:2: no buffer argument"), e.getMessage());
  }

  @Test
  void localFlowThroughAliasCastAndOffsetKeepsTheAllocation() throws IOException {
    PointerOrigins po =
        origins(
            "a.c",
            """
            void f(struct device *dev, int off)
            {
            	char *p = vzalloc(4096);
            	void *q = (void *)p;

            	dma_map_single(dev, q + off, 64, 1);
            }
            """);
    assertEquals(1, po.uses().size());
    DmaUse use = po.uses().get(0);
    assertEquals("VMALLOC", kinds(use));
    List<String> steps =
        use.origin(OriginKind.VMALLOC).steps().stream().map(OriginStep::message).toList();
    assertEquals(
        List.of(
            "vzalloc() allocates vmalloc memory: virtually contiguous only",
            "assigned to 'p'",
            "assigned to 'q'"),
        steps);
  }

  @Test
  void aStrongUpdateReplacesTheOldOriginAndBranchesMerge() throws IOException {
    PointerOrigins po =
        origins(
            "a.c",
            """
            void f(struct device *dev, int big)
            {
            	char *p = vmalloc(64);
            	char *q;

            	p = kmalloc(64, GFP_KERNEL);
            	dma_map_single(dev, p, 64, 1);
            	if (big)
            		q = vmalloc(64);
            	else
            		q = kmalloc(64, GFP_KERNEL);
            	dma_map_single(dev, q, 64, 1);
            }
            """);
    assertEquals(2, po.uses().size());
    assertEquals("LINEAR", kinds(po.uses().get(0)));
    assertEquals("VMALLOC,LINEAR", kinds(po.uses().get(1)));
  }

  @Test
  void fieldsAreKeyedByStructTypeAcrossFiles() throws IOException {
    String header =
        """
        struct a { void *buf; };
        struct b { void *buf; };
        """;
    PointerOrigins po =
        origins(
            "d.h",
            header,
            "alloc.c",
            """
            #include "d.h"
            void setup(struct a *x, struct b *y)
            {
            	x->buf = vmalloc(100);
            	y->buf = kmalloc(100, GFP_KERNEL);
            }
            """,
            "map.c",
            """
            #include "d.h"
            void go(struct device *dev, struct a *x, struct b *y)
            {
            	dma_map_single(dev, x->buf, 100, 1);
            	dma_map_single(dev, y->buf, 100, 1);
            }
            """);
    assertEquals(2, po.uses().size());
    assertEquals("VMALLOC", kinds(po.uses().get(0)));
    assertEquals("LINEAR", kinds(po.uses().get(1)));
  }

  @Test
  void stackOriginsOfArraysAddressesAndParametersButNotOfPointersTheyHold() throws IOException {
    PointerOrigins po =
        origins(
            "a.c",
            """
            struct cmd { int op; };
            static void submit(struct usb_device *u, void *data)
            {
            	int n;

            	usb_bulk_msg(u, 0, data, 4, &n, 10);
            }
            void f(struct usb_device *u)
            {
            	char buf[8];
            	struct cmd c;
            	char *heap = kmalloc(8, GFP_KERNEL);

            	submit(u, &buf[2]);
            	usb_control_msg(u, 0, 1, 2, 3, 4, &c, sizeof(c), 100);
            	usb_control_msg(u, 0, 1, 2, 3, 4, heap, 8, 100);
            	usb_control_msg_send(u, 0, 1, 2, 3, 4, buf, 8, 100, GFP_KERNEL);
            }
            """);
    assertEquals(3, po.uses().size());
    DmaUse inHelper = po.uses().get(0);
    assertEquals("submit", inHelper.function().name());
    assertEquals("STACK", kinds(inHelper));
    assertEquals(
        "passed to submit() as 'data'", inHelper.origin(OriginKind.STACK).steps().get(1).message());
    assertEquals("STACK", kinds(po.uses().get(1)));
    assertEquals("LINEAR", kinds(po.uses().get(2)));
  }

  @Test
  void kvmallocOriginsCarryTheirProvableSizeAndFlags() throws IOException {
    PointerOrigins po =
        origins(
            "a.c",
            """
            void f(struct device *dev, unsigned long n)
            {
            	void *big = kvzalloc(8 * 4096, GFP_KERNEL);
            	void *small = kvmalloc(128, GFP_KERNEL);
            	void *unknown = kvmalloc(n, GFP_KERNEL);

            	dma_map_single(dev, big, 1, 1);
            	dma_map_single(dev, small, 1, 1);
            	dma_map_single(dev, unknown, 1, 1);
            }
            """);
    long page = Target.defaultTarget().pageSize();
    List<Origin> kv = po.uses().stream().map(u -> u.origin(OriginKind.KVMALLOC)).toList();
    assertTrue(kv.get(0).mayBeVmalloc(page));
    assertEquals(32768, kv.get(0).size().intValue());
    assertFalse(kv.get(1).mayBeVmalloc(page));
    assertNull(kv.get(2).size());
    assertFalse(kv.get(2).mayBeVmalloc(page));
  }

  @Test
  void perPageMappingAndIsVmallocAddrChecksAreRecognised() throws IOException {
    PointerOrigins po =
        origins(
            "a.c",
            """
            void f(struct device *dev, struct scatterlist *sg)
            {
            	char *buf = vmalloc(8192);

            	sg_set_page(sg, vmalloc_to_page(buf), 4096, 0);
            	dma_map_page(dev, virt_to_page(buf), 0, 4096, 1);
            }
            void g(struct device *dev, char *p)
            {
            	char *buf = vmalloc(64);

            	if (!is_vmalloc_addr(p))
            		dma_map_single(dev, buf, 64, 1);
            }
            """);
    assertEquals(2, po.uses().size());
    assertEquals("dma_map_page", po.uses().get(0).sink().name());
    assertTrue(po.uses().get(0).checksVmalloc(), "vmalloc_to_page in f");
    assertTrue(po.uses().get(1).checksVmalloc());
  }

  @Test
  void kernelStructFieldsAreLinkedWithinOneFileOnly() throws IOException {
    // struct fb_info is declared but not defined by the scan: each driver file has its own
    // instances.
    PointerOrigins po =
        origins(
            "a.c",
            """
            struct fb_info;
            void a_probe(struct fb_info *info)
            {
            	info->screen_base = vzalloc(4096);
            }
            void a_start(struct fb_info *info)
            {
            	virt_to_phys(info->screen_base);
            }
            """,
            "b.c",
            """
            struct fb_info;
            void b_start(struct fb_info *info)
            {
            	virt_to_phys(info->screen_base);
            }
            """);
    assertEquals(1, po.uses().size());
    assertEquals("a_start", po.uses().get(0).function().name());
  }

  @Test
  void aFieldHoldingLinearAndVmallocMemoryPassesOnOnlyTheLinearWitness() throws IOException {
    PointerOrigins po =
        origins(
            "a.c",
            """
            struct mem { void *va; };
            struct ring { struct mem m; void *own; };
            void setup(struct ring *r, struct ring *s)
            {
            	r->m.va = vzalloc(8192);
            	s->m.va = kzalloc(64, GFP_KERNEL);
            	r->own = vzalloc(8192);
            }
            void go(struct device *dev, struct mem *m, struct ring *r)
            {
            	dma_map_single(dev, m->va, 64, 1);
            	dma_map_single(dev, r->own, 64, 1);
            }
            """);
    assertEquals(2, po.uses().size());
    assertEquals("LINEAR", kinds(po.uses().get(0)));
    assertEquals("VMALLOC", kinds(po.uses().get(1)));
  }
}
