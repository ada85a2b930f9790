package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {

  @TempDir Path dir;

  private List<Path> filesIn(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }

  @Test
  void writesAndReplaces() throws IOException {
    Path target = dir.resolve("report.sarif");
    AtomicOutput.write(target, w -> w.write("first ä\n"));
    assertEquals("first ä\n", Files.readString(target, StandardCharsets.UTF_8));
    AtomicOutput.write(target, w -> w.write("second\n"));
    assertEquals("second\n", Files.readString(target));
    assertEquals(List.of(target), filesIn(dir), "no temporary file may stay behind");
  }

  @Test
  void failingWriterKeepsThePreviousReport() throws IOException {
    Path target = dir.resolve("report.json");
    Files.writeString(target, "old report\n");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicOutput.write(
                    target,
                    w -> {
                      w.write("half of a new rep");
                      w.flush();
                      throw new IOException("disk on fire");
                    }));
    assertEquals("disk on fire", e.getMessage());
    assertEquals("old report\n", Files.readString(target));
    assertEquals(List.of(target), filesIn(dir));
  }

  @Test
  void runtimeFailureAlsoKeepsThePreviousReport() throws IOException {
    Path target = dir.resolve("report.txt");
    Files.writeString(target, "old\n");
    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicOutput.write(
                target,
                w -> {
                  w.write("new");
                  throw new IllegalStateException("bug");
                }));
    assertEquals("old\n", Files.readString(target));
    assertEquals(List.of(target), filesIn(dir));
  }

  @Test
  void missingDirectoryIsAClearError() {
    Path target = dir.resolve("no/such/dir/report.sarif");
    IOException e = assertThrows(IOException.class, () -> AtomicOutput.write(target, w -> {}));
    assertTrue(
        e.getMessage().startsWith("cannot write report to " + target + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void directoryTargetIsAClearError() throws IOException {
    Path target = Files.createDirectory(dir.resolve("out"));
    IOException e = assertThrows(IOException.class, () -> AtomicOutput.write(target, w -> {}));
    assertEquals("cannot write report to " + target + ": it is a directory", e.getMessage());
  }

  @Test
  void readOnlyDirectoryIsAClearError() throws IOException {
    Path ro = Files.createDirectory(dir.resolve("ro"));
    assertTrue(ro.toFile().setWritable(false));
    try {
      // root ignores permissions; then there is nothing to test here.
      Assumptions.assumeFalse(Files.isWritable(ro), "running as root");
      Path target = ro.resolve("report.json");
      IOException e = assertThrows(IOException.class, () -> AtomicOutput.write(target, w -> {}));
      assertEquals("cannot write report to " + target + ": permission denied", e.getMessage());
    } finally {
      ro.toFile().setWritable(true);
    }
  }

  @Test
  void dashMeansStdout() throws IOException {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    AtomicOutput.write(Path.of(AtomicOutput.STDOUT), w -> w.write("to stdout ä\n"), stdout);
    assertEquals("to stdout ä\n", stdout.toString(StandardCharsets.UTF_8));
    assertTrue(filesIn(dir).isEmpty());
  }
}
