package dev.kmodcheck.report;

import dev.kmodcheck.engine.ScanResult;
import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a report so that readers never see half of one: the text goes to a temporary file next to
 * the target, is flushed to disk, and is renamed over the target. A run that fails or is killed
 * leaves the previous report as it was. {@code -} means standard output, written directly. Output
 * is UTF-8.
 */
public final class AtomicOutput {

  /** The destination name that means standard output. */
  public static final String STDOUT = "-";

  /** Like {@link java.util.function.Consumer}, but may throw IOException. */
  @FunctionalInterface
  public interface IOConsumer<T> {
    void accept(T value) throws IOException;
  }

  private AtomicOutput() {}

  /** Writes {@code report} of {@code result} to {@code target} ("-": stdout). */
  public static void writeReport(Path target, ReportWriter report, ScanResult result)
      throws IOException {
    write(target, out -> report.write(result, out));
  }

  /**
   * Runs {@code body} against a writer for {@code target} ("-": stdout) and, for a file, replaces
   * the target only if {@code body} completed. Failures are IOExceptions whose message names the
   * target and the reason in one line.
   */
  public static void write(Path target, IOConsumer<Writer> body) throws IOException {
    write(target, body, System.out);
  }

  static void write(Path target, IOConsumer<Writer> body, OutputStream stdout) throws IOException {
    if (target.toString().equals(STDOUT)) {
      writeStream(stdout, body);
      return;
    }
    Path file = target.toAbsolutePath().normalize();
    Path dir = file.getParent();
    if (Files.isDirectory(file)) throw failure(target, "it is a directory");
    if (dir == null || !Files.isDirectory(dir)) {
      throw failure(target, "directory " + dir + " does not exist");
    }
    Path tmp = createTemp(target, file);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          Writer out =
              new BufferedWriter(
                  new OutputStreamWriter(
                      Channels.newOutputStream(channel), StandardCharsets.UTF_8))) {
        body.accept(out);
        out.flush();
        channel.force(true);
      }
      keepPermissions(file, tmp);
      try {
        move(tmp, file);
      } catch (IOException e) {
        throw failure(target, reason(e), e);
      }
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The original failure matters more than a leftover temporary file.
        }
      }
    }
  }

  private static void writeStream(OutputStream stream, IOConsumer<Writer> body) throws IOException {
    // Not closed: closing would close stdout for the rest of the process.
    Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
    body.accept(out);
    out.flush();
    if (stream instanceof PrintStream ps && ps.checkError()) {
      throw new IOException("cannot write report to standard output");
    }
  }

  /**
   * A new hidden file in the target's directory (a rename is atomic only within one file system).
   * Created with default permissions, unlike Files.createTempFile's owner-only ones, so the final
   * report is as readable as a plainly written file.
   */
  private static Path createTemp(Path target, Path file) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String name =
          "."
              + file.getFileName()
              + "."
              + Long.toHexString(ThreadLocalRandom.current().nextLong())
              + ".tmp";
      Path tmp = file.resolveSibling(name);
      try {
        Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 10) throw failure(target, "cannot create a temporary file", e);
      } catch (IOException e) {
        throw failure(target, reason(e), e);
      }
    }
  }

  private static void move(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Replacing a report must not change who may read it. */
  private static void keepPermissions(Path file, Path tmp) {
    try {
      PosixFileAttributeView old = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (old != null && Files.exists(file)) {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
      }
    } catch (IOException | UnsupportedOperationException ignored) {
      // Best effort: default permissions are fine.
    }
  }

  /** Makes the rename itself durable; not possible on every platform, so best effort. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // e.g. Windows cannot open a directory as a channel; the data itself was synced.
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof NoSuchFileException) return "no such file or directory";
    if (e instanceof FileNotFoundException) return e.getMessage();
    if (e instanceof FileSystemException fse && fse.getReason() != null) return fse.getReason();
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static IOException failure(Path target, String why) {
    return new IOException("cannot write report to " + target + ": " + why);
  }

  private static IOException failure(Path target, String why, IOException cause) {
    return new IOException("cannot write report to " + target + ": " + why, cause);
  }
}
