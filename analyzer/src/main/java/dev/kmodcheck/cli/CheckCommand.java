package dev.kmodcheck.cli;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.facts.Target;
import dev.kmodcheck.frontend.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Scan C files and directories (recursively, *.c) and report findings.")
final class CheckCommand implements Callable<Integer> {

  enum Format {
    text,
    json,
    sarif
  }

  enum FailOn {
    error,
    warning,
    note,
    none
  }

  private final List<Rule> rules;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to scan.")
  List<Path> paths;

  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE (atomically) instead of standard output.")
  Path output;

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
      description = "Target profile: x86_64, arm64-16k, arm64-64k, legacy-128k (default: ${DEFAULT-VALUE}).",
      defaultValue = "x86_64")
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
      names = "--fail-on",
      paramLabel = "LEVEL",
      description =
          "Exit with 1 when a finding at or above LEVEL exists: ${COMPLETION-CANDIDATES}"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "warning")
  FailOn failOn;

  @Option(
      names = {"-j", "--jobs"},
      paramLabel = "N",
      description = "Worker threads (default: the number of processors).")
  Integer jobs;

  @Option(
      names = "--program-scope",
      paramLabel = "SCOPE",
      description =
          "Which files form one program for call chains and callbacks: all, directory (each"
              + " directory's files), or auto (all up to 2000 files, else directory; default).",
      defaultValue = "auto")
  String programScope;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also list parse problems and other notifications in text output.")
  boolean verbose;

  CheckCommand(List<Rule> rules) {
    this.rules = rules;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Target t = resolveTarget();
    int threads = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
    if (threads < 1) throw new Main.UsageError("--jobs must be at least 1, got " + threads);
    checkOutputWritable();
    ScanRequest.ProgramScope scope =
        switch (programScope) {
          case "all" -> ScanRequest.ProgramScope.ALL;
          case "directory" -> ScanRequest.ProgramScope.DIRECTORY;
          case "auto" -> ScanRequest.ProgramScope.AUTO;
          default ->
              throw new Main.UsageError(
                  "unknown --program-scope '" + programScope + "' (known: auto, all, directory)");
        };
    ScanRequest request =
        new ScanRequest(paths, sourceRoot, t, compileCommands, threads, scope);
    ScanResult result;
    Progress progress = Progress.forTerminal(err);
    try {
      result = new Scanner(rules).scan(request, progress);
    } catch (BadInputException e) {
      throw new Main.UsageError(e.getMessage());
    } finally {
      progress.finish();
    }
    Reports.write(result, format.name(), output, verbose, spec.commandLine().getOut());
    err.println(Reports.summaryLine(result));
    return exitCode(result.findings());
  }

  /** A whole-tree scan takes a while: refuse an unwritable -o before it, not after. */
  private void checkOutputWritable() {
    if (output == null || output.toString().equals("-")) return;
    Path abs = output.toAbsolutePath();
    if (java.nio.file.Files.isDirectory(abs)) {
      throw new Main.UsageError("cannot write report to " + output + ": it is a directory");
    }
    Path dir = abs.getParent();
    if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
      throw new Main.UsageError(
          "cannot write report to " + output + ": directory " + dir + " does not exist");
    }
  }

  private Target resolveTarget() {
    Target t =
        Target.named(target)
            .orElseThrow(
                () ->
                    new Main.UsageError(
                        "unknown target '"
                            + target
                            + "' (known: "
                            + String.join(", ", Target.profiles().keySet())
                            + ")"));
    if (pageSize != null
        && (pageSize < 4096 || pageSize > 262144 || Long.bitCount(pageSize) != 1)) {
      throw new Main.UsageError(
          "--page-size must be a power of two from 4096 to 262144, got " + pageSize);
    }
    if (maxOrder != null && (maxOrder < 0 || maxOrder > 20)) {
      throw new Main.UsageError("--max-order must be from 0 to 20, got " + maxOrder);
    }
    return t.withOverrides(pageSize, maxOrder);
  }

  private int exitCode(List<Finding> findings) {
    if (failOn == FailOn.none) return Main.EXIT_OK;
    Severity threshold = Severity.valueOf(failOn.name().toUpperCase(java.util.Locale.ROOT));
    return findings.stream().anyMatch(f -> f.severity().atLeast(threshold))
        ? Main.EXIT_FINDINGS
        : Main.EXIT_OK;
  }
}
