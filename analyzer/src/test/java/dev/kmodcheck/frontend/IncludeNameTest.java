package dev.kmodcheck.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kmodcheck.ir.TranslationUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Include names no file system accepts are missing headers, not parser failures. */
class IncludeNameTest {

  @TempDir Path dir;

  @Test
  void aNulInAnIncludeNameIsAMissingHeader() {
    TranslationUnit tu =
        FrontendTestSupport.parse(
            dir,
            "nul.c",
            "#include \"ring\u0000buf.h\"\n#include <a\u0000b.h>\nint f(void) { return 0; }\n");
    assertEquals(1, tu.functions().size());
  }
}
