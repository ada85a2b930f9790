package dev.kmodcheck.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {

  /** The report path cut as a string must be what Path.relativize gives. */
  @Test
  void relativeMatchesRelativize() {
    String[][] cases = {
      {"/", "/a.c"},
      {"/", "/drivers/net/usb/r8152.c"},
      {"/srv/linux", "/srv/linux/drivers/net/usb/r8152.c"},
      {"/srv/linux", "/srv/linux/a.c"},
      {"/srv/lin", "/srv/linux/a.c"},
      {"/srv/linux", "/elsewhere/a.c"},
      {"/srv/linux", "/srv/linux-other/a.c"},
      {"/tmp/d\u00eda", "/tmp/d\u00eda/x y/\u00e4.c"},
    };
    for (String[] c : cases) {
      Path root = Path.of(c[0]);
      Path file = Path.of(c[1]);
      String expected =
          (file.startsWith(root) ? root.relativize(file) : file).toString().replace('\\', '/');
      assertEquals(expected, InputFiles.relative(root, file), c[0] + " " + c[1]);
    }
  }

  @TempDir Path dir;

  private List<String> collected(Path input) throws Exception {
    ScanRequest request = new ScanRequest(List.of(input), dir, Target.defaultTarget(), null, 2);
    return InputFiles.collect(request).files().stream().map(SourceInput::relPath).toList();
  }

  /**
   * The parallel walk finds what a plain recursive listing finds: .c regular files, in path order,
   * not inside hidden directories, not a directory whose name ends in .c; many directories, so that
   * the walk's tasks run on several threads.
   */
  @Test
  void walkFindsEveryCFileOutsideHiddenDirectories() throws Exception {
    for (int i = 0; i < 40; i++) {
      for (int j = 0; j < 8; j++) {
        Path d = Files.createDirectories(dir.resolve("tree/d" + i + "/e" + j));
        Files.writeString(d.resolve("f" + j + ".c"), "");
        Files.writeString(d.resolve("f" + j + ".h"), "");
      }
    }
    Files.createDirectories(dir.resolve("tree/.git/objects"));
    Files.writeString(dir.resolve("tree/.git/objects/hidden.c"), "");
    Files.createDirectories(dir.resolve("tree/d1/.pc"));
    Files.writeString(dir.resolve("tree/d1/.pc/patched.c"), "");
    Files.createDirectories(dir.resolve("tree/d2/looks-like.c"));
    Files.writeString(dir.resolve("tree/d2/looks-like.c/inside.c"), "");
    Files.writeString(dir.resolve("tree/d3/.dotfile.c"), "");

    List<String> expected = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dir.resolve("tree"))) {
      all.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(".c"))
          .filter(f -> !inHiddenDirectory(dir.relativize(f)))
          .map(f -> dir.relativize(f).toString().replace('\\', '/'))
          .sorted()
          .forEach(expected::add);
    }
    // 320 files, the one inside the directory named like a .c file, the hidden file.
    assertEquals(322, expected.size(), "setup");
    assertEquals(expected, collected(dir.resolve("tree")));
  }

  private static boolean inHiddenDirectory(Path relative) {
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      if (relative.getName(i).toString().startsWith(".")) return true;
    }
    return false;
  }
}
