package dev.kmodcheck.frontend;

import java.nio.file.Path;

/**
 * One .c file to parse. {@code relPath} is how reports name it ('/'-separated, relative to the
 * source root when the file is under it). {@code command} is its compile command in build-aware
 * mode, or null for header-less mode.
 */
public record SourceInput(Path path, String relPath, CompileCommand command) {}
