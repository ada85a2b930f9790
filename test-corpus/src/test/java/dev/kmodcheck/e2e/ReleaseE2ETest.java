package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball ({@code mvn package}) installed as a user would: unpacked, linked onto PATH,
 * run from elsewhere with only a Java runtime; and the pre-commit hooks, run the way pre-commit
 * runs them.
 */
class ReleaseE2ETest {

  private static final Path EXAMPLE = Cli.CORPUS.resolve("examples/ringbuf");

  @TempDir Path tmp;
  private Path install;
  private Path bin;

  @BeforeEach
  void unpack() throws IOException {
    Path tarball = null;
    try (Stream<Path> s = Files.list(Cli.REPO.resolve("rules/target"))) {
      tarball =
          s.filter(p -> p.getFileName().toString().matches("kmodcheck-.*\\.tar\\.gz"))
              .findFirst()
              .orElse(null);
    } catch (NoSuchFileException e) {
      // not built
    }
    if (tarball == null)
      ExternalTools.unavailable("the release tarball is not built (mvn package)");
    install = tmp.resolve("opt");
    Files.createDirectories(install);
    ExternalTools.Result r =
        ExternalTools.run(
            List.of("tar", "xzf", tarball.toString(), "-C", install.toString()), tmp, 60);
    assertEquals(0, r.code(), r.out());
    // As an install links it: /usr/local/bin/kmodcheck -> /opt/kmodcheck-x/bin/kmodcheck.
    bin = Files.createDirectories(tmp.resolve("bin"));
    try (Stream<Path> s = Files.list(install)) {
      Path home = s.findFirst().orElseThrow();
      Files.createSymbolicLink(bin.resolve("kmodcheck"), home.resolve("bin/kmodcheck"));
    }
  }

  /**
   * Runs the installed launcher with a PATH of the JDK's bin and the system's, from {@code dir}.
   */
  private ExternalTools.Result kmodcheck(Path dir, String home, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("env");
    command.add("HOME=" + home);
    command.add("XDG_CACHE_HOME=");
    command.add("JAVA_HOME=");
    command.add(
        "PATH=" + bin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
    command.add("kmodcheck");
    command.addAll(args);
    return ExternalTools.run(command, dir, 300);
  }

  private Map<String, Long> listing() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(install)) {
      for (Path p : s.toList()) out.put(install.relativize(p).toString(), Files.size(p));
    }
    return out;
  }

  @Test
  void theInstalledLauncherRunsWithOnlyJavaAndWritesNothingBesideItself() throws Exception {
    Map<String, Long> before = listing();
    assertTrue(
        before.keySet().stream().anyMatch(p -> p.endsWith("lib/kmodcheck.jar")), before.toString());
    assertTrue(before.keySet().stream().anyMatch(p -> p.endsWith("docs/ci.md")), before.toString());
    String launcher = Files.readString(bin.resolve("kmodcheck"));
    assertFalse(launcher.contains("mvn"), "the release launcher never builds");
    Path home = Files.createDirectories(tmp.resolve("home"));
    List<String> args =
        List.of("check", "-f", "json", "--source-root", Cli.CORPUS.toString(), EXAMPLE.toString());
    ExternalTools.Result first = kmodcheck(tmp, home.toString(), args);
    assertEquals(1, first.code(), first.out());
    JsonNode expected =
        Cli.check(Cli.CORPUS, List.of("-f", "json"), EXAMPLE).json().path("findings");
    JsonNode got =
        Cli.parse(first.out().substring(0, first.out().lastIndexOf('}') + 1)).path("findings");
    assertEquals(expected, got);
    // The class-data-sharing archive went to the user's cache, and a second run uses it.
    Path cache = home.resolve(".cache/kmodcheck");
    try (Stream<Path> s = Files.list(cache)) {
      assertEquals(1, s.filter(p -> p.toString().endsWith(".jsa")).count());
    }
    assertEquals(1, kmodcheck(tmp, home.toString(), args).code());
    // Without a usable home it runs without the archive.
    ExternalTools.Result homeless = kmodcheck(tmp, "/nonexistent/home", List.of("rules"));
    assertEquals(0, homeless.code(), homeless.out());
    assertEquals(before, listing(), "nothing was written into the installed tree");
  }

  /** pre-commit runs the entry with the staged files appended, one run for all (require_serial). */
  @Test
  void thePreCommitHooksCheckTheStagedFiles() throws Exception {
    JsonNode hooks =
        new ObjectMapper(new YAMLFactory())
            .readTree(Cli.REPO.resolve(".pre-commit-hooks.yaml").toFile());
    assertEquals(2, hooks.size());
    for (JsonNode hook : hooks) {
      assertTrue(Pattern.compile(hook.path("files").asText()).matcher("drivers/x/y.c").find());
      assertTrue(hook.path("require_serial").asBoolean(), hook.toString());
      String[] entry = hook.path("entry").asText().split(" ");
      assertEquals("kmodcheck", entry[0]);
      if (hook.path("language").asText().equals("script")) {
        // A script hook's entry is a file of the hook repository.
        assertTrue(Files.isExecutable(Cli.REPO.resolve(entry[0])), hook.toString());
        continue;
      }
      assertEquals("system", hook.path("language").asText());
      List<String> args = new ArrayList<>(List.of(entry).subList(1, entry.length));
      try (Stream<Path> s = Files.list(EXAMPLE)) {
        s.filter(p -> p.toString().endsWith(".c"))
            .sorted()
            .forEach(p -> args.add(Cli.CORPUS.relativize(p).toString()));
      }
      ExternalTools.Result r = kmodcheck(Cli.CORPUS, tmp.resolve("home").toString(), args);
      assertEquals(1, r.code(), r.out());
      assertTrue(r.out().contains("[sleeping-alloc-in-atomic]"), r.out());
    }
  }
}
