package dev.kmodcheck.frontend;

import java.nio.file.Path;

/**
 * Names files the way reports do: the .c file by its {@code relPath}, other files (headers in
 * build-aware mode) relative to the source root the .c file's relPath implies, or absolute when
 * outside it. Always '/'-separated.
 */
final class SourcePaths {

  static final String SHIM_NAME = "<kmodcheck-shim>/kernel-shim.h";

  private final String mainFile;
  private final String relPath;
  private final String rootPrefix;

  SourcePaths(String mainFile, String relPath) {
    this.mainFile = mainFile;
    this.relPath = relPath;
    String abs = mainFile.replace('\\', '/');
    String rel = relPath.replace('\\', '/');
    if (abs.endsWith("/" + rel)) {
      rootPrefix = abs.substring(0, abs.length() - rel.length());
    } else {
      Path parent = Path.of(mainFile).getParent();
      rootPrefix = parent == null ? "/" : parent.toString().replace('\\', '/') + "/";
    }
  }

  String relative(String cdtFileName) {
    if (cdtFileName.equals(mainFile)) {
      return relPath;
    }
    if (cdtFileName.equals(IncludeProvider.SHIM_PATH)) {
      return SHIM_NAME;
    }
    String f = cdtFileName.replace('\\', '/');
    return f.startsWith(rootPrefix) ? f.substring(rootPrefix.length()) : f;
  }
}
