package dev.kmodcheck.cli;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.config.ParseConfig;
import dev.kmodcheck.config.ProjectConfig;
import dev.kmodcheck.engine.RuleSettings;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.engine.Suppressed;
import dev.kmodcheck.frontend.ParseSetup;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.KernelVersion;
import dev.kmodcheck.kernel.Target;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One scan as the commands run it: the project configuration found and applied (rules, severities,
 * target, excludes, kernel knowledge), then the inline suppressions. Command-line flags win over
 * the configuration.
 */
final class ScanSession {

  /**
   * @param result the findings that stay (suppressed ones removed, comment problems added)
   * @param suppressed findings a comment suppressed
   * @param files the files scanned, relative to the source root as in findings
   */
  record Outcome(
      ProjectConfig config, ScanResult result, List<Suppressed> suppressed, List<String> files) {}

  private ScanSession() {}

  static Outcome run(ScanOptions o, List<Rule> allRules, PrintWriter err) {
    Path root = configSearchStart(o);
    ProjectConfig config = loadConfig(o, allRules, root);
    Target t = resolveTarget(o, config);
    int threads = o.jobs == null ? Runtime.getRuntime().availableProcessors() : o.jobs;
    if (threads < 1) throw new Main.UsageError("--jobs must be at least 1, got " + threads);
    ScanRequest.ProgramScope scope =
        switch (o.programScope) {
          case "all" -> ScanRequest.ProgramScope.ALL;
          case "directory" -> ScanRequest.ProgramScope.DIRECTORY;
          case "auto" -> ScanRequest.ProgramScope.AUTO;
          default ->
              throw new Main.UsageError(
                  "unknown --program-scope '" + o.programScope + "' (known: auto, all, directory)");
        };
    KernelKnowledge knowledge = config.knowledge();
    String summaries = o.kernelSummaries != null ? o.kernelSummaries : treeSummaries(root, err);
    if (summaries != null) {
      try {
        knowledge = knowledge.withKernelSummaries(KernelSummaries.choose(summaries));
      } catch (BadInputException e) {
        throw new Main.UsageError(e.getMessage());
      }
    }
    ScanRequest request =
        new ScanRequest(
            o.paths,
            o.sourceRoot,
            t,
            o.compileCommands,
            threads,
            scope,
            knowledge,
            config.excluded(),
            fileTimeoutMillis(o),
            parseSetup(o, config.parse()));
    ScanResult result;
    List<String> files;
    Progress progress = Progress.forTerminal(err);
    try {
      Scanner scanner =
          new Scanner(allRules)
              .settings(settings(config, allRules))
              .cache(o.cache)
              .deferCacheWrite(true);
      result = scanner.scan(request, progress);
      files = scanner.scannedFiles();
    } catch (BadInputException e) {
      throw new Main.UsageError(e.getMessage());
    } finally {
      progress.finish();
    }
    return new Outcome(config, result, result.suppressed(), files);
  }

  /** The configuration's disabled rules and severities, over every id it may name. */
  private static RuleSettings settings(ProjectConfig config, List<Rule> allRules) {
    Set<String> disabled = new TreeSet<>();
    Map<String, Severity> severities = new TreeMap<>();
    for (String id : ruleIds(allRules)) {
      if (!config.enabled(id)) disabled.add(id);
      config.severity(id).ifPresent(s -> severities.put(id, s));
    }
    return new RuleSettings(disabled, severities);
  }

  private static final Pattern MACRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The header-less preprocessing the command line asks for; bad flags are usage errors. */
  private static ParseSetup parseSetup(ScanOptions o, ParseConfig config) {
    if (o.minCoverage != null && !(o.minCoverage >= 0 && o.minCoverage <= 100)) {
      throw new Main.UsageError("--min-coverage must be from 0 to 100, got " + o.minCoverage);
    }
    List<Path> includes = new ArrayList<>(o.includeDirs == null ? List.of() : o.includeDirs);
    for (Path d : includes) {
      if (!Files.isDirectory(d)) throw new Main.UsageError("-I " + d + ": no such directory");
    }
    includes.addAll(config.includes());
    List<Path> forced = new ArrayList<>(config.forcedIncludes());
    for (Path f : o.forcedIncludes == null ? List.<Path>of() : o.forcedIncludes) {
      if (!Files.isRegularFile(f)) throw new Main.UsageError("-include " + f + ": no such file");
      forced.add(f);
    }
    // The configuration's first, so that the command line's win.
    Map<String, String> defines = new LinkedHashMap<>(config.defines());
    for (String d : o.defines == null ? List.<String>of() : o.defines) {
      int eq = d.indexOf('=');
      String name = eq < 0 ? d : d.substring(0, eq);
      if (!MACRO_NAME.matcher(name).matches()) {
        throw new Main.UsageError("-D " + d + ": '" + name + "' is not a macro name");
      }
      defines.put(name, eq < 0 ? "1" : d.substring(eq + 1));
    }
    for (String u : o.undefines == null ? List.<String>of() : o.undefines) {
      if (!MACRO_NAME.matcher(u).matches()) {
        throw new Main.UsageError("-U " + u + ": not a macro name");
      }
      defines.put(u, null);
    }
    KernelVersion version =
        o.kernelVersion == null && config.kernelVersion() != null
            ? config.kernelVersion()
            : kernelVersion(o);
    boolean kbuild = !o.noKbuild && !Boolean.FALSE.equals(config.kbuild());
    return new ParseSetup(version, includes, defines, forced, kbuild);
  }

  private static KernelVersion kernelVersion(ScanOptions o) {
    if (o.kernelVersion == null) return KernelVersion.DEFAULT;
    return KernelVersion.parse(o.kernelVersion)
        .orElseThrow(
            () ->
                new Main.UsageError(
                    "--kernel-version must be X.Y or X.Y.Z (each part 0..255), got '"
                        + o.kernelVersion
                        + "'"));
  }

  private static long fileTimeoutMillis(ScanOptions o) {
    long seconds = o.fileTimeoutSeconds;
    if (seconds < 0 || seconds > 86_400) {
      throw new Main.UsageError(
          "--file-timeout must be from 0 (no limit) to 86400 seconds, got " + seconds);
    }
    return seconds * 1000;
  }

  static List<String> ruleIds(List<Rule> rules) {
    return Scanner.ruleIds(rules);
  }

  private static ProjectConfig loadConfig(ScanOptions o, List<Rule> rules, Path searchFrom) {
    if (o.noConfig) {
      if (o.config != null)
        throw new Main.UsageError("--config and --no-config exclude each other");
      return ProjectConfig.none();
    }
    Path file = o.config;
    if (file == null) {
      file = ProjectConfig.find(searchFrom).orElse(null);
      if (file == null) return ProjectConfig.none();
    } else if (!Files.isRegularFile(file)) {
      throw new Main.UsageError(file + ": no such configuration file");
    }
    try {
      return ProjectConfig.load(file, ruleIds(rules));
    } catch (BadInputException e) {
      throw new Main.UsageError(e.getMessage());
    }
  }

  /**
   * Where the search for .kmodcheck.json starts: the source root as the scan will choose it (the
   * given one; else the current directory when it holds every path; else their common directory).
   */
  /**
   * The shipped summaries for the kernel tree the scan lies in (its own version, else the nearest,
   * said on stderr), or null outside a kernel tree: the default then applies.
   */
  private static String treeSummaries(Path root, PrintWriter err) {
    KernelTree.Found tree = KernelTree.find(root);
    if (tree == null) return null;
    List<String> shipped = KernelSummaries.SHIPPED;
    if (shipped.contains(tree.version())) return tree.version();
    String nearest = KernelTree.nearest(tree.version(), shipped);
    err.println(
        "kmodcheck: note: "
            + tree.root()
            + " is a linux "
            + tree.version()
            + " tree, which has no shipped kernel summaries; using the nearest, "
            + nearest
            + " (choose with --kernel-summaries)");
    err.flush();
    return nearest;
  }

  private static Path configSearchStart(ScanOptions o) {
    if (o.sourceRoot != null) return o.sourceRoot.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    List<Path> dirs = new ArrayList<>();
    for (Path p : o.paths) {
      Path abs = p.toAbsolutePath().normalize();
      dirs.add(Files.isDirectory(abs) || abs.getParent() == null ? abs : abs.getParent());
    }
    if (dirs.stream().allMatch(d -> d.startsWith(cwd))) return cwd;
    Path common = dirs.get(0);
    for (Path d : dirs) {
      while (common != null && !d.startsWith(common)) common = common.getParent();
    }
    return common == null ? cwd : common;
  }

  private static Target resolveTarget(ScanOptions o, ProjectConfig config) {
    String name =
        o.target != null ? o.target : config.target() != null ? config.target() : "x86_64";
    Target t =
        Target.named(name)
            .orElseThrow(
                () ->
                    new Main.UsageError(
                        "unknown target '"
                            + name
                            + "' (known: "
                            + String.join(", ", Target.profiles().keySet())
                            + ")"));
    // The configuration's overrides belong to its profile, not to one chosen on the command line.
    boolean configProfile = o.target == null;
    Long pageSize = o.pageSize != null ? o.pageSize : configProfile ? config.pageSize() : null;
    Integer maxOrder = o.maxOrder != null ? o.maxOrder : configProfile ? config.maxOrder() : null;
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
}
