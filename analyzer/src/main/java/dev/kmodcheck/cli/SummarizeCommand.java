package dev.kmodcheck.cli;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.Version;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.engine.ScanRequest;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.Scanner;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.KernelSummaries;
import dev.kmodcheck.kernel.KernelSummaryFile;
import dev.kmodcheck.kernel.SleepApis;
import dev.kmodcheck.kernel.Target;
import dev.kmodcheck.summarize.BuildArches;
import dev.kmodcheck.summarize.KernelSummaryBuilder;
import dev.kmodcheck.summarize.KernelSummaryRule;
import dev.kmodcheck.summarize.KernelTree;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
      description =
          "Leave out the inline functions of include/ and "
              + KernelTree.ARCH
              + "/include (faster).")
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
    String version = KernelTree.makefileVersion(root);
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
    long start;
    KernelTree.TreeNames names;
    ScanResult result;
    try {
      ScanRequest request =
          new ScanRequest(
              KernelTree.inputs(root, !noHeaders),
              root,
              Target.defaultTarget(),
              null,
              threads,
              ScanRequest.ProgramScope.DIRECTORY,
              KernelKnowledge.builtin().withKernelSummaries(KernelSummaries.none()),
              file -> KernelTree.instrumentation(root, file));
      start = System.nanoTime();
      names = KernelTree.treeNames(root, request);
      Progress progress = Progress.forTerminal(err);
      try {
        result =
            new Scanner(List.of(new KernelSummaryRule(builder, names.defined())))
                .scan(request, progress);
      } finally {
        progress.finish();
      }
    } catch (BadInputException e) {
      throw new Main.UsageError(e.getMessage());
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
}
