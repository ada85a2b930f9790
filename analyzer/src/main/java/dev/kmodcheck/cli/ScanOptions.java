package dev.kmodcheck.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What to scan and how: the options {@code check} and {@code baseline} share. */
final class ScanOptions {

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to scan.")
  List<Path> paths;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Project configuration (default: the nearest .kmodcheck.json in the source root or a"
              + " directory above it).")
  Path config;

  @Option(names = "--no-config", description = "Ignore any .kmodcheck.json.")
  boolean noConfig;

  @Option(
      names = "--compile-commands",
      paramLabel = "FILE",
      description =
          "Build-aware mode: parse each file with the include paths and defines of its entry in"
              + " this compile_commands.json.")
  Path compileCommands;

  @Option(
      names = "--source-root",
      paramLabel = "DIR",
      description =
          "Report paths relative to DIR, which must contain every scanned file (default: the"
              + " current directory when it does, else the scanned files' closest common"
              + " directory).")
  Path sourceRoot;

  @Option(
      names = "--target",
      paramLabel = "NAME",
      description =
          "Target profile: x86_64, arm64-16k, arm64-64k, legacy-128k (default: the"
              + " configuration's, else x86_64).")
  String target;

  @Option(
      names = "--page-size",
      paramLabel = "BYTES",
      description = "Override the target's page size (a power of two, 4096..262144).")
  Long pageSize;

  @Option(
      names = "--max-order",
      paramLabel = "N",
      description = "Override the target's largest page-allocator order (0..20).")
  Integer maxOrder;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Keep per-file and per-program results in DIR and reuse them: a re-scan parses only"
              + " changed files (and re-checks their programs). Safe to share between runs; delete"
              + " it any time.")
  Path cache;

  @Option(
      names = {"-j", "--jobs"},
      paramLabel = "N",
      description = "Worker threads (default: the number of processors).")
  Integer jobs;

  @Option(
      names = "--kernel-summaries",
      paramLabel = "WHICH",
      description =
          "May-sleep summaries of kernel functions the scan has no source for: 6.1, 6.12 (the"
              + " shipped ones), none, or a FILE from 'kmodcheck summarize' (default: inside a"
              + " kernel tree, the shipped ones of its version or the nearest; else the newest).")
  String kernelSummaries;

  @Option(
      names = "--kernel-version",
      paramLabel = "X.Y[.Z]",
      description =
          "Header-less mode: the kernel release the module is read for. LINUX_VERSION_CODE,"
              + " KERNEL_VERSION() and the shim's API-generation macros (timer_setup, ...) follow"
              + " it, so every version check selects the branch a build for that release compiles"
              + " (default: 6.12, the release of the newest shipped kernel summaries).")
  String kernelVersion;

  @Option(
      names = {"-I", "--include-dir"},
      paramLabel = "DIR",
      description =
          "Header-less mode: search DIR for #include files (before the module's Makefile paths);"
              + " repeatable.")
  List<Path> includeDirs;

  @Option(
      names = {"-D", "--define"},
      paramLabel = "NAME[=VALUE]",
      description =
          "Header-less mode: define a macro (value 1 when none is given), after the module's"
              + " Makefile flags; -D CONFIG_FOO also sets CONFIG_FOO=y for the Makefile's"
              + " conditionals. Repeatable.")
  List<String> defines;

  @Option(
      names = {"-U", "--undefine"},
      paramLabel = "NAME",
      description = "Header-less mode: undefine a macro, after -D; repeatable.")
  List<String> undefines;

  @Option(
      names = {"-include", "--include"},
      paramLabel = "FILE",
      description = "Header-less mode: read FILE before each C file (after the shim); repeatable.")
  List<Path> forcedIncludes;

  @Option(
      names = "--no-kbuild",
      description =
          "Header-less mode: do not read the module's Kbuild files and Makefiles for -I/-D/-U/"
              + "-include flags.")
  boolean noKbuild;

  @Option(
      names = "--program-scope",
      paramLabel = "SCOPE",
      description =
          "Which files form one program for call chains and callbacks: all, directory (each"
              + " directory's files), or auto (all up to 2000 files, else directory; default).",
      defaultValue = "auto")
  String programScope;

  @Option(
      names = "--file-timeout",
      paramLabel = "SECONDS",
      description =
          "Skip a file (with an error notification) when parsing and checking it takes longer"
              + " than SECONDS; 0: no limit (default: ${DEFAULT-VALUE}).",
      defaultValue = "60")
  long fileTimeoutSeconds;

  @Option(
      names = "--strict",
      description =
          "Exit with 2 when a file was skipped, a rule failed on some code, or parse problems left"
              + " less than 95 %% of the functions analysed, after writing the reports (default:"
              + " only the summary and the notifications say so).")
  boolean strict;

  @Option(
      names = "--min-coverage",
      paramLabel = "PERCENT",
      description =
          "Exit with 2, after writing the reports, when parse problems left less than PERCENT of"
              + " the functions analysed (--strict: 95).")
  Double minCoverage;

  /** The same options for other paths (a scan of another revision of the same files). */
  ScanOptions withPaths(List<Path> otherPaths, Path otherRoot, Path otherConfig) {
    ScanOptions o = new ScanOptions();
    o.mixee = mixee;
    o.paths = otherPaths;
    o.config = otherConfig;
    o.noConfig = noConfig;
    o.compileCommands = compileCommands;
    o.sourceRoot = otherRoot;
    o.target = target;
    o.pageSize = pageSize;
    o.maxOrder = maxOrder;
    o.cache = null;
    o.jobs = jobs;
    o.kernelSummaries = kernelSummaries;
    o.programScope = programScope;
    o.fileTimeoutSeconds = fileTimeoutSeconds;
    o.strict = strict;
    o.minCoverage = minCoverage;
    o.kernelVersion = kernelVersion;
    o.includeDirs = includeDirs;
    o.defines = defines;
    o.undefines = undefines;
    o.forcedIncludes = forcedIncludes;
    o.noKbuild = noKbuild;
    return o;
  }
}
