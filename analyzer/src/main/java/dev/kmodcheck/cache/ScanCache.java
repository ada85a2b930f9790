package dev.kmodcheck.cache;

import dev.kmodcheck.Version;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.ir.CompactIn;
import dev.kmodcheck.ir.CompactOut;
import dev.kmodcheck.ir.IrCodec;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.TranslationUnit;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The {@code --cache DIR} store: what each file's parse and per-file rules produced, and what each
 * program's whole-program rules produced, keyed by file contents and by everything else that
 * decides the results (tool build, target, rules, kernel tables, program scope, compile command).
 *
 * <p>A file is unchanged when its size and modification time match the record (as git and make
 * assume), else when its content hash does; the same holds for every header its parse looked for (a
 * header that appears or disappears counts as a change). A program whose files are all unchanged is
 * not parsed at all; in a program with a changed file only the changed files are parsed, the
 * others' translation units are read back from the store, and the whole-program rules run again
 * over all of them.
 *
 * <p>Layout: {@code DIR/<fingerprint>/index.bin}, all records in the compact form of {@link
 * CacheIndexCodec}, rewritten atomically after a scan that changed any; {@code
 * DIR/<fingerprint>/units/<key>.bin}, each file's translation unit ({@link
 * dev.kmodcheck.ir.IrCodec}) named by the key of the parse it came from ({@link #unitKey}). An
 * index or unit that cannot be read (another tool build, a damaged file) is a miss, never an error.
 * A scan stopped between writing units and the index may leave units no record names: they cost
 * space only.
 */
public final class ScanCache {

  /** A dependency: a header path and its signature then ({@code hash} "-" when it was absent). */
  public record Dep(String path, long size, long mtime, String hash) {}

  /** What processing one file gave, minus its translation unit. */
  public record Outcome(
      List<Finding> findings,
      List<Notification> notifications,
      long lines,
      int ownFunctions,
      int ownProblems,
      List<SrcRange> functionKeys,
      List<SrcRange> problemKeys,
      Lost ownLost,
      List<Integer> problemKeysLost,
      boolean skipped,
      boolean commentFree) {}

  public record FileRecord(
      String relPath, String command, Dep source, List<Dep> deps, Outcome outcome) {}

  public record ProgramRecord(
      String name, List<String> files, List<Finding> findings, List<Notification> notifications) {}

  /** Functions and lines a file's own parse problems cost it. */
  public record Lost(int functions, long lines) {
    public static final Lost NONE = new Lost(0, 0);
  }

  public record Index(Map<String, FileRecord> files, Map<String, ProgramRecord> programs) {}

  private static final String INDEX = "index.bin";
  private static final String UNITS = "units";
  private static final int UNITS_MAGIC = 0x4b4d5531; // "KMU1"

  private final Path dir;
  private final Index previous;

  /** Sized for a whole tree's files and headers: growing it under parallel stats was costly. */
  private final Map<String, Dep> signatures = new ConcurrentHashMap<>(1 << 16);

  private Map<Path, BasicFileAttributes> known = Map.of();

  private ScanCache(Path dir, Index previous) {
    this.dir = dir;
    this.previous = previous;
  }

  /**
   * The name of the store for scans that {@code settings} describe (everything besides the files
   * that decides their results); the tool's version and build count too, since a development build
   * keeps its version number while its code changes.
   */
  public static String fingerprint(String settings) {
    String all = Version.version() + '\n' + ToolBuild.identity() + '\n' + settings;
    return hash(all.getBytes(StandardCharsets.UTF_8)).substring(0, 24);
  }

  /** Opens (creating) the store for scans with this fingerprint. */
  public static ScanCache open(Path root, String fingerprint) throws IOException {
    return open(root, fingerprint, readIndex(root, fingerprint));
  }

  /**
   * Opens (creating) the store with an index read before ({@link #readIndex(Path, String)}), which
   * a re-scan does while it walks the tree.
   */
  public static ScanCache open(Path root, String fingerprint, Index read) throws IOException {
    Path dir = root.resolve(fingerprint);
    Files.createDirectories(dir);
    Index index = read != null ? read : new Index(Map.of(), Map.of());
    return new ScanCache(dir, index);
  }

  /** The stored index for this fingerprint; null when there is none or it cannot be read. */
  public static Index readIndex(Path root, String fingerprint) {
    return readIndex(root.resolve(fingerprint).resolve(INDEX));
  }

  /** The record of {@code relPath} if it still describes the file and its headers, else null. */
  public FileRecord unchanged(String relPath, Path file, String command) {
    FileRecord r = previous.files().get(relPath);
    if (r == null || !Objects.equals(r.command(), command)) return null;
    if (!same(r.source(), file.toString())) return null;
    for (Dep d : r.deps()) {
      if (!same(d, d.path())) return null;
    }
    return r;
  }

  /**
   * Whether the stored index has records for exactly these files (report paths) and programs (by
   * name): then a scan that took everything from it need not rewrite it.
   */
  public boolean covers(Set<String> files, Set<String> programs) {
    return previous.files().keySet().equals(files) && previous.programs().keySet().equals(programs);
  }

  /** The program's record if it covers exactly these files, else null. */
  public ProgramRecord program(String name, List<String> files) {
    ProgramRecord r = previous.programs().get(name);
    return r != null && r.files().equals(files) ? r : null;
  }

  /**
   * Attributes the scan's directory walk already read (absolute normalized paths): those files are
   * not stat'ed again, a third of a re-scan's checks on a whole tree.
   */
  public void knownAttributes(Map<Path, BasicFileAttributes> attributes) {
    this.known = attributes;
  }

  /** The file's current signature (stat, and a content hash unless the record's stat matches). */
  public Dep signature(String path) {
    return signatures.computeIfAbsent(path, p -> compute(p, null, known));
  }

  private boolean same(Dep recorded, String path) {
    Dep now = signatures.computeIfAbsent(path, p -> compute(p, recorded, known));
    return now.hash().equals(recorded.hash());
  }

  private static Dep compute(String path, Dep recorded, Map<Path, BasicFileAttributes> known) {
    try {
      BasicFileAttributes a = known.get(Path.of(path));
      if (a == null) a = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
      long size = a.size();
      long mtime = a.lastModifiedTime().toMillis();
      if (recorded != null && recorded.size() == size && recorded.mtime() == mtime) {
        return recorded;
      }
      return new Dep(path, size, mtime, hash(Files.readAllBytes(Path.of(path))));
    } catch (NoSuchFileException e) {
      return new Dep(path, -1, -1, "-");
    } catch (IOException | RuntimeException e) {
      // Unreadable now: never equal to a recorded hash, so the file is processed (and reported).
      return new Dep(path, -1, -1, "?" + e.getClass().getSimpleName());
    }
  }

  /**
   * Which parse a unit came from: the file's report path, its and every header's content hash. A
   * stored unit is used only for a file whose record has the same key, so never after a header
   * changed; the key also names the stored unit's file (content-addressed: an edit writes one).
   */
  public static String unitKey(FileRecord r) {
    StringBuilder sb = new StringBuilder(r.relPath()).append('\n').append(r.source().hash());
    for (Dep d : r.deps()) sb.append('\n').append(d.path()).append(' ').append(d.hash());
    return hash(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 40);
  }

  /** Stores a file's translation unit under its key; best effort (a failure costs a re-parse). */
  public void saveUnit(String key, TranslationUnit unit) {
    Path file = unitFile(key);
    if (Files.isRegularFile(file)) return;
    CompactOut out = new CompactOut();
    out.varint(UNITS_MAGIC);
    IrCodec.encode(unit, out);
    // Units repeat their headers' declarations and types: compressed at the fastest level they
    // take a third of the space.
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      ByteArrayOutputStream packed = new ByteArrayOutputStream();
      try (DeflaterOutputStream z = new DeflaterOutputStream(packed, deflater, 1 << 16)) {
        z.write(out.toByteArray());
      }
      Files.createDirectories(file.getParent());
      writeAtomically(file, packed.toByteArray());
    } catch (IOException | RuntimeException e) {
      // Not stored: a later re-scan parses this file instead.
    } finally {
      deflater.end();
    }
  }

  /**
   * The unit stored under {@code key}, or null when none is stored or it cannot be read; an
   * unreadable one is deleted, so that the parse that replaces it is stored again.
   */
  public TranslationUnit unit(String key) {
    Path file = unitFile(key);
    if (!Files.isRegularFile(file)) return null;
    TranslationUnit unit = readUnit(file);
    if (unit == null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException | RuntimeException e) {
        // Stays unreadable: its file is parsed on every re-scan, nothing worse.
      }
    }
    return unit;
  }

  private static TranslationUnit readUnit(Path file) {
    try (InputStream z =
        new InflaterInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      CompactIn in = new CompactIn(z.readAllBytes());
      if (in.varint() != UNITS_MAGIC) return null;
      TranslationUnit unit = IrCodec.decode(in);
      return in.atEnd() ? unit : null;
    } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
      return null;
    }
  }

  private Path unitFile(String key) {
    return dir.resolve(UNITS).resolve(key + ".bin");
  }

  /**
   * Deletes the stored units of the previous records this index replaces or drops (edited and
   * removed files' old parses). Records taken over unchanged are the very objects read, so only
   * changed files cost a key computation: no listing of the store on a re-scan.
   */
  private void pruneUnits(Index index) {
    for (Map.Entry<String, FileRecord> e : previous.files().entrySet()) {
      FileRecord now = index.files().get(e.getKey());
      if (now == e.getValue()) continue;
      String old = unitKey(e.getValue());
      if (now != null && unitKey(now).equals(old)) continue;
      try {
        Files.deleteIfExists(unitFile(old));
      } catch (IOException | RuntimeException ex) {
        // Left behind: it costs space, never a wrong result (keys name their parse).
      }
    }
  }

  /** Replaces the index with this scan's records, atomically. */
  public void save(Index index) throws IOException {
    writeIndex(dir.resolve(INDEX), index);
    pruneUnits(index);
  }

  private static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Index readIndex(Path file) {
    if (!Files.isRegularFile(file)) return null;
    try {
      return CacheIndexCodec.decode(Files.readAllBytes(file));
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      return null;
    }
  }

  private static void writeIndex(Path file, Index index) throws IOException {
    writeAtomically(file, CacheIndexCodec.encode(index));
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), ".tmp-", ".bin");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
