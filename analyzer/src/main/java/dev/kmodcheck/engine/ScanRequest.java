package dev.kmodcheck.engine;

import dev.kmodcheck.facts.Target;
import java.nio.file.Path;
import java.util.List;

/**
 * What to scan and how.
 *
 * @param inputs files and directories (directories are searched recursively for *.c, skipping
 *     hidden directories); in build-aware mode they filter the compile database's entries
 * @param sourceRoot report paths are relative to it
 * @param compileCommands compile_commands.json for build-aware mode, or null for header-less
 * @param jobs worker threads (at least 1)
 */
public record ScanRequest(
    List<Path> inputs, Path sourceRoot, Target target, Path compileCommands, int jobs) {}
