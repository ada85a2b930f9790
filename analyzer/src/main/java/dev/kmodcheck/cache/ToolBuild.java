package dev.kmodcheck.cache;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which build of the tool is running, for cache keys: a development build keeps its version number
 * while its code changes, so the jar's size and modification time count too.
 */
final class ToolBuild {

  private static final String IDENTITY = compute();

  private ToolBuild() {}

  static String identity() {
    return IDENTITY;
  }

  private static String compute() {
    try {
      Path where =
          Path.of(ToolBuild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(where)) {
        return where + " " + Files.size(where) + " " + Files.getLastModifiedTime(where).toMillis();
      }
      // Classes run from a build directory (tests): the classes of this very build.
      Path self = where.resolve(ToolBuild.class.getName().replace('.', '/') + ".class");
      return where + " " + Files.getLastModifiedTime(self).toMillis();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
