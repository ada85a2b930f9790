package dev.kmodcheck.frontend;

import static dev.kmodcheck.frontend.FrontendTestSupport.function;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.KernelVersion;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which CONFIG options a function's conditionals leave undefined, by where a name is defined. */
class ConfigsOffTest {

  @TempDir Path dir;

  @Test
  void optionsDefinedOnTheCommandLineOrInTheFileAreNotOff() throws Exception {
    Path file = dir.resolve("drivers/foo/foo.c");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        #define CONFIG_FOO_LOCAL 1
        #ifdef CONFIG_FOO_CMDLINE
        static int a(void) { return 1; }
        #endif
        #ifdef CONFIG_FOO_LOCAL
        static int b(void) { return 2; }
        #endif
        #if defined(CONFIG_FOO_OFF) || defined(CONFIG_FOO_CMDLINE)
        static int c(void) { return 3; }
        #endif
        #ifdef CONFIGURED
        static int d(void) { return 4; }
        #endif
        """);
    ParseSetup setup =
        new ParseSetup(
            KernelVersion.DEFAULT,
            List.of(),
            Map.of("CONFIG_FOO_CMDLINE", "1", "CONFIGURED", "1"),
            List.of(),
            false);
    TranslationUnit tu =
        new Frontend(Target.defaultTarget(), setup)
            .parse(new SourceInput(file, "drivers/foo/foo.c", null));
    assertEquals(List.of(), function(tu, "a").configsOff());
    assertEquals(List.of(), function(tu, "b").configsOff());
    assertEquals(List.of("CONFIG_FOO_OFF"), function(tu, "c").configsOff());
    assertEquals(List.of(), function(tu, "d").configsOff());
  }
}
