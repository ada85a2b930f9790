package dev.kmodcheck.rules.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.kernel.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four DMA rules end to end on small files: which rule reports which origin, the message, and
 * the trace from the allocation or declaration to the sink. The corpus covers the lines.
 */
class DmaRulesTest {
  private static final List<Rule> RULES =
      List.of(new VmallocDma(), new StackDma(), new StaticDma(), new KvmallocDma());

  @TempDir Path dir;

  private List<Finding> scan(String code) throws Exception {
    Path file = dir.resolve("d.c");
    Files.writeString(file, code, StandardCharsets.UTF_8);
    return new Scanner(RULES)
        .scan(new ScanRequest(List.of(file), dir, Target.defaultTarget(), null, 1))
        .findings();
  }

  private static String brief(Finding f) {
    return f.range().line() + " " + f.ruleId() + " " + f.severity().label();
  }

  private static List<String> trace(Finding f) {
    return f.trace().stream().map(t -> t.range().line() + " " + t.message()).toList();
  }

  @Test
  void eachOriginKindGoesToItsRuleWithItsSeverity() throws Exception {
    List<Finding> found =
        scan(
            """
            static u8 table[64];
            void f(struct device *dev, struct usb_device *u)
            {
            	u8 local[8];
            	void *v = vmalloc(4096);
            	void *kv = kvmalloc(65536, GFP_KERNEL);

            	dma_map_single(dev, v, 4096, 1);
            	usb_control_msg(u, 0, 1, 0xc0, 0, 0, local, 8, 100);
            	dma_map_single(dev, table, 64, 1);
            	dma_map_single(dev, kv, 65536, 1);
            }
            """);
    assertEquals(
        List.of(
            "8 vmalloc-dma error",
            "9 stack-dma error",
            "10 static-dma warning",
            "11 kvmalloc-dma warning"),
        found.stream().map(DmaRulesTest::brief).toList());
  }

  @Test
  void theTraceLeadsFromTheAllocationThroughTheHelperToTheSink() throws Exception {
    List<Finding> found =
        scan(
            """
            struct priv { void *ring; };
            static void start(struct device *dev, struct priv *p)
            {
            	dma_map_single(dev, p->ring, 4096, 1);
            }
            void probe(struct device *dev, struct priv *p)
            {
            	void *buf = vzalloc(4096);

            	p->ring = buf;
            	start(dev, p);
            }
            """);
    assertEquals(1, found.size());
    Finding f = found.get(0);
    assertEquals(
        "'p->ring' points to vmalloc memory (vzalloc() at d.c:8) but is passed to"
            + " dma_map_single() for DMA: vmalloc memory is only virtually contiguous, so the"
            + " device would get the wrong pages",
        f.message());
    assertEquals("start", f.function());
    assertEquals(
        List.of(
            "8 vzalloc() allocates vmalloc memory: virtually contiguous only",
            "8 assigned to 'buf'",
            "10 stored in p->ring (field 'ring' of struct priv)",
            "4 passed to dma_map_single() as argument 2, which hands it to the device"),
        trace(f));
  }

  @Test
  void sinksThatHandleTheMemoryThemselvesAreNotReported() throws Exception {
    // The SPI core maps vmalloc buffers page by page; the copying USB helpers accept the stack;
    // a zero-length URB is never mapped; kvmalloc of a page at most never falls back.
    List<Finding> found =
        scan(
            """
            void f(struct spi_device *spi, struct usb_device *u, struct urb *urb,
            	struct device *dev)
            {
            	u8 *v = vmalloc(4096);
            	u8 local[8];
            	void *small = kvmalloc(4096, GFP_KERNEL);

            	spi_write(spi, v, 4096);
            	usb_control_msg_send(u, 0, 1, 0x40, 0, 0, local, 8, 100, GFP_KERNEL);
            	usb_fill_bulk_urb(urb, u, 0, local, 0, NULL, NULL);
            	dma_map_single(dev, small, 4096, 1);
            }
            """);
    assertEquals(List.of(), found.stream().map(DmaRulesTest::brief).toList());
  }

  @Test
  void traceStepsAreInSourceOrderOfTheFlow() throws Exception {
    List<Finding> found =
        scan(
            """
            static int xfer(struct usb_device *u, void *data)
            {
            	int n;

            	return usb_bulk_msg(u, 0, data, 4, &n, 100);
            }
            int cmd(struct usb_device *u)
            {
            	u8 c[4];

            	return xfer(u, c + 1);
            }
            """);
    assertEquals(1, found.size());
    List<TraceStep> steps = found.get(0).trace();
    assertEquals(List.of(9, 11, 5), steps.stream().map(s -> s.range().line()).toList());
  }
}
