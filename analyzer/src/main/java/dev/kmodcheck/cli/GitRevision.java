package dev.kmodcheck.cli;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.ir.SrcRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What {@code --diff-base} and {@code --new-since} ask of git: the lines changed since a revision,
 * and the files of a revision. git runs as a separate program in the source root; its failures (no
 * repository, an unknown revision, no git) are bad input, one line each.
 */
final class GitRevision {

  private GitRevision() {}

  private static final Pattern HUNK = Pattern.compile("^@@ -\\S+ \\+(\\d+)(?:,(\\d+))? @@");

  /**
   * Lines added or changed since {@code rev} (the working tree against it, uncommitted changes
   * included), by path relative to {@code root}, as {@code git diff --relative} names them.
   */
  static Map<String, BitSet> changedLines(Path root, String rev, String option) {
    String diff =
        git(
            root,
            option,
            "-c",
            "core.quotePath=false",
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--relative",
            "--unified=0",
            "--end-of-options",
            rev,
            "--");
    return parseDiff(diff);
  }

  /** The added lines of each file of a unified diff (new side, 1-based). */
  static Map<String, BitSet> parseDiff(String diff) {
    Map<String, BitSet> out = new HashMap<>();
    BitSet current = null;
    for (String line : diff.split("\n", -1)) {
      if (line.startsWith("+++ ")) {
        String name = line.substring(4);
        if (name.startsWith("\"")) name = unquote(name);
        current =
            name.startsWith("b/")
                ? out.computeIfAbsent(name.substring(2), k -> new BitSet())
                : null;
        continue;
      }
      Matcher m = HUNK.matcher(line);
      if (current != null && m.find()) {
        int start = Integer.parseInt(m.group(1));
        int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        current.set(start, start + count);
      }
    }
    return out;
  }

  /** A name git quoted C-style (non-ASCII bytes as octal escapes, which are UTF-8). */
  static String unquote(String quoted) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String s = quoted.substring(1, quoted.length() - 1);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      char n = s.charAt(++i);
      if (n >= '0' && n <= '7' && i + 2 < s.length()) {
        bytes.write(Integer.parseInt(s.substring(i, i + 3), 8));
        i += 2;
      } else {
        bytes.write(
            switch (n) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              default -> n;
            });
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** Whether the finding's place or one of its evidence steps lies on a changed line. */
  static boolean touches(Finding f, Map<String, BitSet> changed) {
    if (touches(f.range(), changed)) return true;
    for (TraceStep step : f.trace()) if (touches(step.range(), changed)) return true;
    return false;
  }

  private static boolean touches(SrcRange r, Map<String, BitSet> changed) {
    if (r == null || r.line() < 1) return false;
    BitSet lines = changed.get(r.file());
    if (lines == null) return false;
    int next = lines.nextSetBit(r.line());
    return next >= 0 && next <= Math.max(r.line(), r.endLine());
  }

  /** Fails (bad input) unless {@code rev} names a commit of the repository holding {@code dir}. */
  static void verify(Path dir, String rev, String option) {
    if (rev.startsWith("-")) throw new Main.UsageError(option + ": not a revision: " + rev);
    try {
      git(dir, option, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}");
    } catch (Main.UsageError e) {
      if (e.getMessage().endsWith(": ")) {
        throw new Main.UsageError(option + ": unknown revision '" + rev + "' in " + dir);
      }
      throw e;
    }
  }

  /** Whether {@code path} (relative to the top, '' for the top) exists in {@code rev}. */
  static boolean exists(Path top, String rev, String path) {
    try {
      git(top, "", "cat-file", "-e", rev + ":" + path);
      return true;
    } catch (Main.UsageError e) {
      return false;
    }
  }

  /** The top directory of the work tree that holds {@code dir}. */
  static Path topLevel(Path dir, String option) {
    return Path.of(git(dir, option, "rev-parse", "--show-toplevel").strip())
        .toAbsolutePath()
        .normalize();
  }

  /**
   * Writes the files of {@code rev} under each of {@code paths} (relative to the work tree's top,
   * '/'-separated) into {@code into}, laid out as in the work tree.
   */
  static void extract(Path top, String rev, List<String> paths, Path into, String option) {
    List<String> args = new ArrayList<>(List.of("archive", "--format=zip", rev, "--"));
    args.addAll(paths);
    byte[] zip = gitBytes(top, option, args.toArray(String[]::new));
    Path base = into.toAbsolutePath().normalize();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path target = base.resolve(e.getName()).normalize();
        // git writes relative names; anything else is not written outside the directory.
        if (!target.startsWith(base)) continue;
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    } catch (IOException e) {
      throw new Main.UsageError(
          option + ": cannot unpack the files of " + rev + ": " + e.getMessage());
    }
  }

  private static String git(Path dir, String option, String... args) {
    return new String(gitBytes(dir, option, args), StandardCharsets.UTF_8);
  }

  private static byte[] gitBytes(Path dir, String option, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
              .start();
    } catch (IOException e) {
      throw new Main.UsageError(option + " needs git, which could not be run: " + e.getMessage());
    }
    try {
      // Standard error is read on the side: a full pipe would stop git.
      CompletableFuture<byte[]> err =
          CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      byte[] out = readAll(p.getInputStream());
      int code = p.waitFor();
      if (code != 0) {
        String why =
            new String(err.join(), StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
        throw new Main.UsageError(option + ": git " + args[0] + " failed in " + dir + ": " + why);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }

  private static File nullFile() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
