package dev.kmodcheck.engine;

import dev.kmodcheck.frontend.ParseSetup;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * What to scan and how.
 *
 * @param inputs files and directories (directories are searched recursively for *.c, skipping
 *     hidden directories); in build-aware mode they filter the compile database's entries
 * @param sourceRoot report paths are relative to it; null: the current directory when it contains
 *     every scanned file, else their closest common directory
 * @param compileCommands compile_commands.json for build-aware mode, or null for header-less
 * @param jobs worker threads (at least 1)
 * @param scope which files form one program for whole-program rules (call chains, callbacks)
 * @param knowledge the kernel tables to analyse against (shipped rows plus a project's own)
 * @param excluded files (absolute, normalised paths) not to scan even when a directory or the
 *     compile database lists them: a project's {@code exclude} globs
 * @param fileTimeoutMillis how long one file may take (parse and rules) before it is skipped; 0: no
 *     limit. A program's whole-program rules get this much per file of the program.
 * @param parseSetup how header-less parses are preprocessed (kernel version)
 */
public record ScanRequest(
    List<Path> inputs,
    Path sourceRoot,
    Target target,
    Path compileCommands,
    int jobs,
    ProgramScope scope,
    KernelKnowledge knowledge,
    Predicate<Path> excluded,
    long fileTimeoutMillis,
    ParseSetup parseSetup) {

  /** The default per-file budget: far above any file of linux 6.1 (docs/evaluation.md). */
  public static final long DEFAULT_FILE_TIMEOUT_MILLIS = 60_000;

  public ScanRequest {
    if (knowledge == null) knowledge = KernelKnowledge.builtin();
    if (excluded == null) excluded = p -> false;
    if (parseSetup == null) parseSetup = ParseSetup.DEFAULT;
    if (fileTimeoutMillis < 0) {
      throw new IllegalArgumentException("negative file timeout: " + fileTimeoutMillis);
    }
  }

  public ScanRequest(
      List<Path> inputs,
      Path sourceRoot,
      Target target,
      Path compileCommands,
      int jobs,
      ProgramScope scope,
      KernelKnowledge knowledge,
      Predicate<Path> excluded) {
    this(
        inputs,
        sourceRoot,
        target,
        compileCommands,
        jobs,
        scope,
        knowledge,
        excluded,
        DEFAULT_FILE_TIMEOUT_MILLIS,
        null);
  }

  /** The same request with another per-file budget. */
  public ScanRequest withFileTimeoutMillis(long millis) {
    return new ScanRequest(
        inputs,
        sourceRoot,
        target,
        compileCommands,
        jobs,
        scope,
        knowledge,
        excluded,
        millis,
        parseSetup);
  }

  /** The same request with another header-less parse setup. */
  public ScanRequest withParseSetup(ParseSetup setup) {
    return new ScanRequest(
        inputs,
        sourceRoot,
        target,
        compileCommands,
        jobs,
        scope,
        knowledge,
        excluded,
        fileTimeoutMillis,
        setup);
  }

  public ScanRequest(
      List<Path> inputs,
      Path sourceRoot,
      Target target,
      Path compileCommands,
      int jobs,
      ProgramScope scope) {
    this(inputs, sourceRoot, target, compileCommands, jobs, scope, null, null);
  }

  public ScanRequest(
      List<Path> inputs, Path sourceRoot, Target target, Path compileCommands, int jobs) {
    this(inputs, sourceRoot, target, compileCommands, jobs, ProgramScope.AUTO);
  }

  /**
   * Whole-program rules hold every parsed file of a program in memory; a whole kernel tree does not
   * fit, and its modules rarely call each other's static code anyway.
   */
  public enum ProgramScope {
    /** All files of the scan are one program. */
    ALL,
    /** Each directory's .c files are one program (a kernel module is usually one directory). */
    DIRECTORY,
    /** ALL up to {@link #AUTO_LIMIT} files, DIRECTORY above. */
    AUTO;

    public static final int AUTO_LIMIT = 2000;

    ProgramScope resolve(int files) {
      if (this != AUTO) return this;
      return files <= AUTO_LIMIT ? ALL : DIRECTORY;
    }
  }
}
