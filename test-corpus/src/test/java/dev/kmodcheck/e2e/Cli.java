package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodcheck.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the real command line (picocli, rules found by ServiceLoader) in-process and captures what a
 * shell would see: exit code, standard output and standard error.
 */
final class Cli {

  /** The test-corpus module directory; the pom passes it so tests do not depend on the cwd. */
  static final Path CORPUS =
      Path.of(System.getProperty("kmodcheck.corpus", ".")).toAbsolutePath().normalize();

  /** The repository root, home of docs/. */
  static final Path REPO = CORPUS.getParent();

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Cli() {}

  record Run(int code, String out, String err) {

    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }

    JsonNode json() {
      try {
        return MAPPER.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("stdout is not JSON:\n" + out, e);
      }
    }

    /** Asserts the exit code, showing both streams when it is wrong. */
    Run expectCode(int expected) {
      assertEquals(expected, code, () -> "exit code\n--- stdout\n" + out + "--- stderr\n" + err);
      return this;
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  static Run run(List<String> args) {
    return run(args.toArray(String[]::new));
  }

  /** {@code check --source-root root extra... paths...}. */
  static Run check(Path root, List<String> options, Path... paths) {
    List<String> args = new ArrayList<>(List.of("check", "--source-root", root.toString()));
    args.addAll(options);
    Arrays.stream(paths).map(Path::toString).forEach(args::add);
    return run(args);
  }

  /** The whole corpus: the C cases and the README's example module. */
  static Path[] corpusInputs() {
    return new Path[] {CORPUS.resolve("c"), CORPUS.resolve("examples")};
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
