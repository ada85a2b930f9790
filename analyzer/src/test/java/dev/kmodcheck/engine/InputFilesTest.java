package dev.kmodcheck.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InputFilesTest {

  /** The report path cut as a string must be what Path.relativize gives. */
  @Test
  void relativeMatchesRelativize() {
    String[][] cases = {
      {"/", "/a.c"},
      {"/", "/drivers/net/usb/r8152.c"},
      {"/work/linux", "/work/linux/drivers/net/usb/r8152.c"},
      {"/work/linux", "/work/linux/a.c"},
      {"/work/lin", "/work/linux/a.c"},
      {"/work/linux", "/elsewhere/a.c"},
      {"/work/linux", "/work/linux-other/a.c"},
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
}
