package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kmodcheck.ir.CompactIn;
import dev.kmodcheck.ir.CompactOut;
import dev.kmodcheck.ir.IrCodec;
import dev.kmodcheck.ir.TranslationUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Units read back from their binary form equal the parsed ones, for every C file of the test corpus
 * (every construct the rules are tested on) and the frontend's own snippets.
 */
class IrCodecTest {

  private static final Path CORPUS = Path.of("..", "test-corpus");

  private static TranslationUnit roundTrip(TranslationUnit unit) {
    CompactOut out = new CompactOut();
    IrCodec.encode(unit, out);
    CompactIn in = new CompactIn(out.toByteArray());
    TranslationUnit back = IrCodec.decode(in);
    assertTrue(in.atEnd(), "bytes left over");
    return back;
  }

  @TestFactory
  Stream<DynamicTest> everyCorpusUnitReadsBackEqual() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
    }
    assertTrue(files.size() > 20, "corpus not found from " + CORPUS.toAbsolutePath());
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    CORPUS.relativize(f).toString(),
                    () -> {
                      TranslationUnit unit =
                          FrontendTestSupport.FRONTEND.parse(
                              new SourceInput(f, CORPUS.relativize(f).toString(), null));
                      assertTrue(!unit.functions().isEmpty() || !unit.globals().isEmpty());
                      assertEquals(unit, roundTrip(unit));
                    }));
  }

  @Test
  void aCutUnitIsAnErrorNotAWrongUnit() throws IOException {
    Path f = CORPUS.resolve("examples/ringbuf/ringbuf_irq.c");
    TranslationUnit unit =
        FrontendTestSupport.FRONTEND.parse(new SourceInput(f, "ringbuf_irq.c", null));
    CompactOut out = new CompactOut();
    IrCodec.encode(unit, out);
    byte[] bytes = out.toByteArray();
    for (int n : new int[] {0, 1, bytes.length / 3, bytes.length / 2, bytes.length - 1}) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThrows(RuntimeException.class, () -> IrCodec.decode(new CompactIn(cut)), "cut at " + n);
    }
  }
}
