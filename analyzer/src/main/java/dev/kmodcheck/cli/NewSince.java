package dev.kmodcheck.cli;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.report.Baseline;
import dev.kmodcheck.report.Fingerprints;
import dev.kmodcheck.report.SourceLines;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code --new-since REV}: the findings of this scan that a scan of the same files at revision REV
 * does not have. The files of REV (the scanned directories, and the directory of each scanned file,
 * for its headers) are unpacked into a temporary directory laid out as the work tree and scanned
 * with the same options and configuration; its findings serve as a baseline, matched by fingerprint
 * (which holds no line numbers and the same relative paths).
 */
final class NewSince {

  static final String OPTION = "--new-since";

  private NewSince() {}

  /** Fails before the scan when the revision cannot be used. */
  static void check(ScanOptions scan, String rev) {
    if (scan.compileCommands != null) {
      throw new Main.UsageError(
          OPTION
              + " cannot be combined with --compile-commands (the database names this"
              + " checkout's files); use --diff-base");
    }
    Path cwd = Path.of("").toAbsolutePath();
    GitRevision.verify(scan.sourceRoot != null ? scan.sourceRoot : cwd, rev, OPTION);
  }

  /** The findings of {@code current} absent from the scan of {@code rev}. */
  static List<Finding> fresh(
      ScanOptions scan,
      List<Rule> rules,
      ScanSession.Outcome current,
      String rev,
      PrintWriter err) {
    ScanResult now = current.result();
    Path root = now.sourceRoot().toAbsolutePath().normalize();
    Path top = GitRevision.topLevel(root, OPTION);
    Path tmp;
    try {
      tmp = Files.createTempDirectory("kmodcheck-new-since");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      List<String> specs = new ArrayList<>();
      List<Path> oldPaths = new ArrayList<>();
      for (Path p : scan.paths) {
        Path abs = p.toAbsolutePath().normalize();
        if (!abs.startsWith(top)) {
          throw new Main.UsageError(OPTION + ": " + p + " is outside the git work tree " + top);
        }
        Path dir = Files.isDirectory(abs) ? abs : abs.getParent();
        String spec = top.relativize(dir).toString().replace(File.separatorChar, '/');
        if (spec.isEmpty()) spec = ".";
        if (GitRevision.exists(top, rev, spec) && !specs.contains(spec)) specs.add(spec);
        oldPaths.add(tmp.resolve(top.relativize(abs)));
      }
      if (!specs.isEmpty()) GitRevision.extract(top, rev, specs, tmp, OPTION);
      // A path REV lacks, or a directory without C files then, has nothing to compare with.
      oldPaths.removeIf(p -> !hasCFiles(p));
      // Nothing of the scanned files existed at REV: every finding is new.
      if (oldPaths.isEmpty()) return now.findings();
      Path oldRoot = tmp.resolve(top.relativize(root));
      Files.createDirectories(oldRoot);
      Path config = current.config().file();
      if (config != null && config.startsWith(top)) {
        // This checkout's configuration, where the scan of REV finds it (its excludes are
        // relative to its place).
        Path copy = tmp.resolve(top.relativize(config));
        Files.createDirectories(copy.getParent());
        Files.copy(config, copy, StandardCopyOption.REPLACE_EXISTING);
        config = copy;
      }
      ScanSession.Outcome then =
          ScanSession.run(scan.withPaths(oldPaths, oldRoot, config), rules, err);
      List<Finding> old = then.result().findings();
      List<String> oldPrints =
          Fingerprints.compute(old, new SourceLines(then.result().sourceRoot()));
      List<String> prints = Fingerprints.compute(now.findings(), new SourceLines(root));
      return Baseline.of(old, oldPrints).match(now.findings(), prints, Set.of()).fresh();
    } catch (IOException e) {
      throw new Main.UsageError(
          OPTION + ": cannot prepare the files of " + rev + ": " + e.getMessage());
    } finally {
      deleteTree(tmp);
    }
  }

  private static boolean hasCFiles(Path p) {
    if (Files.isRegularFile(p)) return true;
    if (!Files.isDirectory(p)) return false;
    try (Stream<Path> s = Files.walk(p)) {
      return s.anyMatch(f -> f.toString().endsWith(".c") && Files.isRegularFile(f));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind is the system's to clean.
    }
  }
}
