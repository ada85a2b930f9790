package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A macro whose single expansion has 2^32 tokens: CDT builds the whole expansion before it looks at
 * its cancel flag, so neither the time budget nor a checkpoint can stop it; the worker is abandoned
 * and the expansion ends in an OutOfMemoryError. Run in its own small-heap JVM: the file must be
 * skipped, every other file reported, and no thread may die with a stack trace.
 */
class MemoryBombE2ETest {

  @TempDir Path dir;

  @Test
  void anExponentialMacroCostsOnlyItsOwnFile() throws Exception {
    StringBuilder bomb = new StringBuilder("#define A0(x) x + x\n");
    for (int i = 1; i <= 5; i++) {
      bomb.append("#define A")
          .append(i)
          .append("(x) A")
          .append(i - 1)
          .append("(A")
          .append(i - 1)
          .append("(x))\n");
    }
    bomb.append("int f(int v)\n{\n\treturn A5(v);\n}\n");
    Files.writeString(dir.resolve("bomb.c"), bomb);
    Files.writeString(
        dir.resolve("real.c"), "void *grab(void)\n{\n\treturn kmalloc(1 << 30, GFP_KERNEL);\n}\n");

    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx192m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.kmodcheck.cli.Main",
                    "check",
                    "--no-config",
                    "--file-timeout",
                    "3",
                    "--source-root",
                    dir.toString(),
                    "-f",
                    "text",
                    dir.toString()))
            .redirectErrorStream(false)
            .start();
    boolean finished = p.waitFor(120, TimeUnit.SECONDS);
    if (!finished) p.destroyForcibly();
    assertTrue(finished, "the scan ended");
    String out = read(p.getInputStream().readAllBytes());
    String err = read(p.getErrorStream().readAllBytes());
    assertEquals(1, p.exitValue(), () -> "stdout:\n" + out + "stderr:\n" + err);
    assertTrue(out.startsWith("real.c:3:9: error:"), out);
    assertTrue(err.contains("kmodcheck: warning: bomb.c: file skipped: "), err);
    assertTrue(err.contains("; 1 file skipped;"), err);
    assertFalse(err.contains("Exception in thread"), err);
    assertFalse(err.contains("\tat "), err);
  }

  private static String read(byte[] bytes) throws IOException {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
