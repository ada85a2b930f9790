package dev.kmodcheck.cli;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.Version;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.RuleInfo;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.engine.Notification;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.KernelSummaryFile;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.Target;
import dev.kmodcheck.summarize.KernelSummaryBuilder;
import dev.kmodcheck.summarize.KernelSummaryCollector;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kmodcheck summarize TREE}: scans a kernel tree one directory at a time and writes the
 * may-sleep summary of every non-static function (docs/kernel-summaries.md), for module scans
 * without the kernel's sources ({@code --kernel-summaries}).
 */
@Command(
    name = "summarize",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Summarise a kernel tree's non-static functions (may sleep, how, under which gfp"
            + " argument) for scans of modules without the kernel sources.")
final class SummarizeCommand implements Callable<Integer> {

  /** Top-level directories that are not kernel code a module links against. */
  private static final Set<String> SKIPPED =
      Set.of("Documentation", "LICENSES", "samples", "scripts", "tools", "usr", "arch");

  /**
   * Debugging and sanitizer instrumentation, and 6.1's alternative slab allocators: compiled out of
   * production kernels (Debian builds SLUB) or running only once a bug was detected (kfence
   * reports, stack-depot saves for KASAN): followed by name, their bodies would make every free and
   * queue_work() "may sleep". Kernel-relative, a trailing '/' for a directory.
   */
  static final List<String> INSTRUMENTATION =
      List.of(
          "mm/kasan/",
          "mm/kmsan/",
          "mm/kfence/",
          "kernel/kcsan/",
          "lib/kunit/",
          "kernel/locking/lockdep.c",
          "kernel/locking/lockdep_proc.c",
          "kernel/kcov.c",
          "lib/stackdepot.c",
          "lib/debugobjects.c",
          "lib/fault-inject.c",
          "lib/ubsan.c",
          "mm/kmemleak.c",
          "mm/page_owner.c",
          "mm/slab.c",
          "mm/slob.c");

  /**
   * The one architecture summarised: the default target's (x86_64; KernelSummaries.DEFAULT_ARCH,
   * spelt out as a constant for the option's description).
   */
  private static final String ARCH = "arch/x86";

  private static final Pattern EXPORT = Pattern.compile("\\bEXPORT_SYMBOL\\w*\\(\\s*(\\w+)");
  private static final Pattern MAKE_VAR =
      Pattern.compile("^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\\s*=\\s*(\\S*)\\s*$");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "TREE", description = "Root of a kernel source tree.")
  Path tree;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Where to write the summaries (gzipped when FILE ends in .gz); required.",
      required = true)
  Path output;

  @Option(
      names = "--label",
      paramLabel = "NAME",
      description =
          "How traces name the kernel, e.g. 6.12 (default: VERSION.PATCHLEVEL of the tree's"
              + " Makefile).")
  String label;

  @Option(
      names = "--no-headers",
      description = "Leave out the inline functions of include/ and " + ARCH + "/include (faster).")
  boolean noHeaders;

  @Option(
      names = "--all",
      description =
          "Also write functions modules cannot call (neither exported with EXPORT_SYMBOL* nor"
              + " inline in a shared header): for scans of built-in code.")
  boolean all;

  @Option(
      names = {"-j", "--jobs"},
      paramLabel = "N",
      description = "Worker threads (default: the number of processors).")
  Integer jobs;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Path root = tree.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) throw new Main.UsageError(tree + ": not a directory");
    String version = makefileVersion(root);
    if (label == null) {
      Matcher m = Pattern.compile("^(\\d+\\.\\d+)").matcher(version);
      if (!m.find()) {
        throw new Main.UsageError(tree + ": no kernel version in its Makefile; give --label");
      }
      label = m.group(1);
    }
    int threads = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
    if (threads < 1) throw new Main.UsageError("--jobs must be at least 1, got " + threads);

    KernelSummaryBuilder builder = new KernelSummaryBuilder();
    SharedHeaders shared = new SharedHeaders();
    ScanRequest request =
        new ScanRequest(
            inputs(root, !noHeaders),
            root,
            Target.defaultTarget(),
            null,
            threads,
            ScanRequest.ProgramScope.DIRECTORY,
            KernelKnowledge.builtin().withKernelSummaries(KernelSummaries.none()),
            file -> instrumentation(root, file));
    long start = System.nanoTime();
    TreeNames names = treeNames(root, request);
    shared.defined = names.defined();
    Progress progress = Progress.forTerminal(err);
    ScanResult result;
    try {
      result = new Scanner(List.of(new Collect(builder, shared))).scan(request, progress);
    } catch (BadInputException e) {
      throw new Main.UsageError(e.getMessage());
    } finally {
      progress.finish();
    }
    // Which definition of a name is built for the target: x86's ioremap(), not UML's.
    builder.arches(KernelSummaries.DEFAULT_ARCH, BuildArches.read(root)::archOf);
    KernelKnowledge tables = KernelKnowledge.builtin();
    List<KernelSummaries.Function> functions =
        builder.solve(
            SleepApis.builtin(),
            name -> tables.atomicApis().call(name) != null,
            name -> tables.callbackApis().coversCall(name),
            names.exported(),
            k -> all || k != KernelSummaries.Kind.INTERNAL);

    Map<String, String> header = new LinkedHashMap<>();
    header.put(KernelSummaryFile.KERNEL, version);
    header.put(KernelSummaryFile.LABEL, label);
    header.put(KernelSummaryFile.ARCH, KernelSummaries.DEFAULT_ARCH);
    header.put(KernelSummaryFile.GENERATOR, generator());
    header.put(KernelSummaryFile.TOOL, "kmodcheck " + Version.version());
    header.put(KernelSummaryFile.FUNCTIONS, Integer.toString(functions.size()));
    write(functions, header);
    // A directory whose collection failed or timed out is missing from the file: say so, as a
    // shipped file that silently lacks half the tree would make module scans miss chains.
    List<Notification> lost =
        result.notifications().stream().filter(n -> "error".equals(n.level())).toList();
    for (Notification n : lost.subList(0, Math.min(20, lost.size()))) {
      err.println("kmodcheck: warning: " + n.location().file() + ": " + n.message());
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    err.println(
        "kmodcheck: summarised "
            + result.stats().files()
            + " files, "
            + builder.functionCount()
            + " functions; "
            + functions.size()
            + " functions a module can call have facts; wrote "
            + output
            + " ("
            + Files.size(output)
            + " bytes) in "
            + seconds
            + " s"
            + (lost.isEmpty() ? "" : "; " + lost.size() + " files or directories incomplete"));
    return lost.isEmpty() ? Main.EXIT_OK : Main.EXIT_USAGE;
  }

  /** The command as it would be typed for this tree, paths as the tree's own name. */
  private String generator() {
    StringBuilder sb = new StringBuilder("kmodcheck summarize ");
    sb.append(tree.toAbsolutePath().normalize().getFileName()).append(" --label ").append(label);
    if (noHeaders) sb.append(" --no-headers");
    if (all) sb.append(" --all");
    return sb.append(" -o ").append(output.getFileName()).toString();
  }

  private void write(List<KernelSummaries.Function> functions, Map<String, String> header)
      throws IOException {
    Path abs = output.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".kmodcheck-summaries", ".tmp");
    try {
      try (OutputStream raw = Files.newOutputStream(tmp);
          OutputStream out =
              output.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        KernelSummaryFile.write(w, header, functions);
      }
      try {
        // A temporary file is private; the summaries are meant to be shared and shipped.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep its defaults
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * What the tree's text says about names, read once before the scan: {@code exported}, the first
   * argument of every {@code EXPORT_SYMBOL*(...)} (header-less parsing expands the macro to
   * nothing; a module can call no other function of the kernel but header inlines); {@code
   * defined}, every name that a line starting a definition at column 0 puts before a '(' (an
   * over-approximation of the functions defined somewhere: a name outside it is a macro or
   * assembly, whose effect on locks the engine cannot see).
   */
  private record TreeNames(Set<String> exported, Set<String> defined) {}

  private static TreeNames treeNames(Path root, ScanRequest request) throws IOException {
    Set<String> exported = new TreeSet<>();
    Set<String> defined = new HashSet<>();
    try {
      for (String rel : Scanner.inputFiles(request)) {
        String text = Files.readString(root.resolve(rel), StandardCharsets.ISO_8859_1);
        definitionNames(text, defined);
        if (!text.contains("EXPORT_SYMBOL")) continue;
        Matcher m = EXPORT.matcher(text);
        while (m.find()) exported.add(m.group(1));
      }
    } catch (BadInputException e) {
      throw new Main.UsageError(e.getMessage());
    }
    return new TreeNames(exported, defined);
  }

  /** Names before '(' on lines that start at column 0 with an identifier and end without ';'. */
  static void definitionNames(String text, Set<String> out) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      int end = text.indexOf('\n', i);
      if (end < 0) end = n;
      char c0 = text.charAt(i);
      if (end > i && (Character.isLetter(c0) || c0 == '_')) {
        int last = end - 1;
        while (last > i && Character.isWhitespace(text.charAt(last))) last--;
        if (text.charAt(last) != ';') {
          for (int p = i; p < end; p++) {
            if (text.charAt(p) != '(') continue;
            int q = p;
            while (q > i && text.charAt(q - 1) == ' ') q--;
            int s = q;
            while (s > i
                && (Character.isLetterOrDigit(text.charAt(s - 1)) || text.charAt(s - 1) == '_')) {
              s--;
            }
            if (s < q) out.add(text.substring(s, q));
          }
        }
      }
      i = end + 1;
    }
  }

  /** "6.12.117" from the Makefile's VERSION, PATCHLEVEL, SUBLEVEL and EXTRAVERSION. */
  private static String makefileVersion(Path root) throws IOException {
    Path makefile = root.resolve("Makefile");
    if (!Files.isRegularFile(makefile)) return "unknown";
    Map<String, String> vars = new LinkedHashMap<>();
    try (Stream<String> lines = Files.lines(makefile, StandardCharsets.ISO_8859_1)) {
      lines
          .limit(20)
          .forEach(
              l -> {
                Matcher m = MAKE_VAR.matcher(l);
                if (m.find()) vars.putIfAbsent(m.group(1), m.group(2));
              });
    }
    if (!vars.containsKey("VERSION")) return "unknown";
    return vars.get("VERSION")
        + "."
        + vars.getOrDefault("PATCHLEVEL", "0")
        + "."
        + vars.getOrDefault("SUBLEVEL", "0")
        + vars.getOrDefault("EXTRAVERSION", "");
  }

  /**
   * The tree's code a module may call into: every top-level directory but documentation, tools and
   * other architectures; with {@code headers}, the shared headers too (their inline functions),
   * given as files since a directory scan takes only .c files.
   */
  private static List<Path> inputs(Path root, boolean headers) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> top = Files.list(root)) {
      top.filter(Files::isDirectory)
          .filter(d -> !d.getFileName().toString().startsWith("."))
          .filter(d -> !SKIPPED.contains(d.getFileName().toString()))
          .filter(d -> !(headers && d.getFileName().toString().equals("include")))
          .filter(SummarizeCommand::hasCFiles)
          .sorted()
          .forEach(out::add);
    }
    if (Files.isDirectory(root.resolve(ARCH))) out.add(root.resolve(ARCH));
    if (headers) {
      for (String dir : List.of("include", ARCH + "/include")) {
        Path d = root.resolve(dir);
        if (!Files.isDirectory(d)) continue;
        try (Stream<Path> walk = Files.walk(d)) {
          walk.filter(p -> p.toString().endsWith(".h") && Files.isRegularFile(p))
              .sorted()
              .forEach(out::add);
        }
      }
    }
    if (out.isEmpty()) throw new Main.UsageError(root + ": no source directories");
    return out;
  }

  /**
   * A top-level directory without C sources (a tool's scratch directory left in the tree) has
   * nothing to summarise; as an input it would stop the scan ("no .c files").
   */
  private static boolean hasCFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(p -> p.toString().endsWith(".c") && Files.isRegularFile(p));
    } catch (IOException | UncheckedIOException e) {
      // Unreadable: keep it, so that the scan names the problem.
      return true;
    }
  }

  private static boolean instrumentation(Path root, Path file) {
    if (!file.startsWith(root)) return false;
    String rel = root.relativize(file).toString().replace(File.separatorChar, '/');
    for (String p : INSTRUMENTATION) {
      if (p.endsWith("/") ? rel.startsWith(p) : rel.equals(p)) return true;
    }
    return false;
  }

  /** Which files are the shared headers (their inline functions are visible to every module). */
  private static final class SharedHeaders implements Predicate<String> {
    /** Names defined somewhere in the tree (see {@link TreeNames}). */
    volatile Set<String> defined = Set.of();

    @Override
    public boolean test(String file) {
      return file.endsWith(".h")
          && (file.startsWith("include/") || file.startsWith(ARCH + "/include/"));
    }
  }

  /** Hands each directory's program to the collector; reports nothing. */
  @RuleInfo(
      id = "kernel-summary",
      name = "KernelSummary",
      severity = Severity.NOTE,
      summary = "Collects the may-sleep facts of a kernel tree (kmodcheck summarize).")
  private static final class Collect implements ProgramRule {
    private final KernelSummaryBuilder builder;
    private final SharedHeaders shared;

    Collect(KernelSummaryBuilder builder, SharedHeaders shared) {
      this.builder = builder;
      this.shared = shared;
    }

    @Override
    public void checkProgram(ProgramContext ctx) {
      Program program = ctx.program();
      KernelSummaryCollector.collect(
          program,
          ctx.knowledge().sleepApis(),
          ctx::evaluator,
          shared,
          shared.defined::contains,
          builder);
    }
  }
}
