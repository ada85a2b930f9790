package dev.kmodcheck.frontend;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The part of one compile_commands.json entry that matters for parsing: the file, and the
 * preprocessor options in command-line order. Paths are absolute (resolved against {@code
 * directory}).
 *
 * @param defines {@code -D} names to values ("1" when no value was given); a null value marks an
 *     {@code -U}
 */
public record CompileCommand(
    Path file,
    Path directory,
    List<Path> quoteIncludes,
    List<Path> includes,
    List<Path> systemIncludes,
    Map<String, String> defines,
    List<Path> forcedIncludes) {}
