package dev.kmodcheck.engine;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.frontend.CompileCommand;
import dev.kmodcheck.frontend.CompileCommands;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.SrcRange;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/** Turns the command line's paths (and compile database) into the sorted list of files to parse. */
final class InputFiles {

  private InputFiles() {}

  /**
   * The files to parse, the directory report paths are relative to, and what could not be read
   * while searching directories (warnings, so that nothing is left out silently).
   */
  record Collected(
      Path root,
      List<SourceInput> files,
      List<Notification> unread,
      Map<Path, BasicFileAttributes> attributes) {}

  /**
   * The root {@link #collect} will choose, when it is known before the walk: the requested one, or
   * the current directory when it contains every input path (then it contains every file found);
   * null otherwise (a compile database's files may lie anywhere).
   */
  static Path rootBeforeWalk(ScanRequest request) {
    if (request.sourceRoot() != null) return request.sourceRoot().toAbsolutePath().normalize();
    if (request.compileCommands() != null || request.inputs().isEmpty()) return null;
    Path cwd = Path.of("").toAbsolutePath().normalize();
    for (Path p : request.inputs()) {
      if (!p.toAbsolutePath().normalize().startsWith(cwd)) return null;
    }
    return cwd;
  }

  static Collected collect(ScanRequest request) throws BadInputException {
    Path requestedRoot =
        request.sourceRoot() == null ? null : request.sourceRoot().toAbsolutePath().normalize();
    if (requestedRoot != null && !Files.isDirectory(requestedRoot)) {
      throw new BadInputException("source root is not a directory: " + request.sourceRoot());
    }
    List<Path> inputs = new ArrayList<>();
    for (Path p : request.inputs()) {
      Path abs = p.toAbsolutePath().normalize();
      if (!Files.exists(abs)) throw new BadInputException("no such file or directory: " + p);
      if (!Files.isReadable(abs)) throw new BadInputException("cannot read: " + p);
      inputs.add(abs);
    }
    // Sorted by absolute path: the order of work and of merged results never depends on the
    // order of the command line, the file system or the threads.
    Map<Path, CompileCommand> files = new TreeMap<>();
    // The identity (device and inode) of each file found, from the walk's own attributes.
    Map<Path, Object> identities = new HashMap<>();
    // What the walk saw of each file (size, time), so that the cache need not stat it again.
    Map<Path, BasicFileAttributes> attributes = new HashMap<>();
    List<Notification> unread = new ArrayList<>();
    List<Named> notes = new ArrayList<>();
    if (request.compileCommands() != null) {
      String ccName = String.valueOf(request.compileCommands().getFileName());
      Map<Path, CompileCommand> byFile = new LinkedHashMap<>();
      for (CompileCommand cc : CompileCommands.read(request.compileCommands())) {
        byFile.putIfAbsent(cc.file().toAbsolutePath().normalize(), cc);
      }
      // A file named on the command line that the database does not build is not parsed (its
      // flags are unknown) but is named, so a changed-files job sees why it has no findings.
      for (Path in : inputs) {
        if (!Files.isDirectory(in) && !byFile.containsKey(in) && !request.excluded().test(in)) {
          notes.add(new Named(in, "warning", NOT_BUILT, "not scanned: no entry in " + ccName));
        }
      }
      for (Map.Entry<Path, CompileCommand> e : byFile.entrySet()) {
        Path file = e.getKey();
        if (!inputs.isEmpty() && inputs.stream().noneMatch(file::startsWith)) continue;
        if (request.excluded().test(file)) continue;
        if (!Files.isRegularFile(file)) {
          throw new BadInputException(
              request.compileCommands() + ": entry names a missing file: " + file);
        }
        files.put(file, e.getValue());
      }
      noteExcludedNames(inputs, request, notes);
      if (files.isEmpty() && notes.isEmpty()) {
        throw new BadInputException(
            request.compileCommands() + ": no entry for the given paths " + request.inputs());
      }
    } else {
      if (inputs.isEmpty()) throw new BadInputException("no input paths given");
      for (Path in : inputs) {
        int before = files.size();
        if (Files.isDirectory(in)) {
          walk(in, files, identities, attributes, unread);
          if (files.size() == before) {
            throw new BadInputException("no .c files under " + in);
          }
        } else {
          files.put(in, null);
        }
      }
      files.keySet().removeIf(request.excluded());
      noteExcludedNames(inputs, request, notes);
      dropLinkedCopies(files, identities);
      if (files.isEmpty() && notes.isEmpty()) {
        throw new BadInputException("every file to scan is excluded by the configuration");
      }
    }
    Path root =
        requestedRoot != null
            ? requestedRoot
            : defaultRoot(
                files.isEmpty() ? notes.stream().map(Named::file).toList() : files.keySet());
    List<SourceInput> out = new ArrayList<>(files.size());
    for (Map.Entry<Path, CompileCommand> e : files.entrySet()) {
      Path file = e.getKey();
      // Findings are reported for the project's files only, which are those below the root:
      // a scanned file outside it would be dropped silently.
      if (!file.startsWith(root)) {
        throw new BadInputException(
            file
                + " is outside the source root "
                + root
                + "; give --source-root a directory that contains every scanned file");
      }
      out.add(new SourceInput(file, relative(root, file), e.getValue()));
    }
    for (Named n : notes) {
      unread.add(
          new Notification(
              n.level(),
              n.kind(),
              n.message(),
              new SrcRange(relative(root, n.file()), 0, 0, 0, 0)));
    }
    unread.sort(Comparator.comparing(Notification::message));
    // The attributes of the files kept (a retainAll against the sorted map cost as much as the
    // walk on a whole tree).
    Map<Path, BasicFileAttributes> kept = new HashMap<>(files.size() * 2);
    for (Path f : files.keySet()) {
      BasicFileAttributes a = attributes.get(f);
      if (a != null) kept.put(f, a);
    }
    return new Collected(root, out, List.copyOf(unread), kept);
  }

  /** Notification kind: a file named on the command line that the configuration excludes. */
  static final String EXCLUDED = "file-excluded";

  /** Notification kind: a file named on the command line without a compile database entry. */
  static final String NOT_BUILT = "not-in-compile-commands";

  /** A notification about an input file, placed once the source root is known. */
  private record Named(Path file, String level, String kind, String message) {}

  /**
   * Pre-commit hooks and changed-files jobs pass file lists that may include excluded files: each
   * is skipped with a note (an excluded directory's files go without one, as the user asked).
   */
  private static void noteExcludedNames(List<Path> inputs, ScanRequest request, List<Named> notes) {
    for (Path in : inputs) {
      if (!Files.isDirectory(in) && request.excluded().test(in)) {
        notes.add(
            new Named(
                in, "note", EXCLUDED, "not scanned: excluded by the configuration's exclude"));
      }
    }
  }

  /**
   * The current directory when it contains every file (paths then read as typed), else the closest
   * directory containing them all (scanning ~/src/mydrv from elsewhere).
   */
  private static Path defaultRoot(Collection<Path> files) {
    Path cwd = Path.of("").toAbsolutePath().normalize();
    if (files.stream().allMatch(f -> f.startsWith(cwd))) return cwd;
    Path common = null;
    for (Path f : files) {
      Path dir = f.getParent();
      if (common == null) {
        common = dir;
      } else {
        while (!dir.startsWith(common)) common = common.getParent();
      }
    }
    return common;
  }

  /**
   * Searches {@code dir} for .c files, following symbolic links (a linked directory or file is
   * scanned like a real one; a link back up the tree is a loop and is not entered again).
   * Directories are read in parallel: on a whole tree the walk (a stat per entry) was a sixth of a
   * cached re-scan. What it finds does not depend on the order: the maps are sorted later.
   */
  private static void walk(
      Path dir,
      Map<Path, CompileCommand> out,
      Map<Path, Object> identities,
      Map<Path, BasicFileAttributes> attributes,
      List<Notification> unread)
      throws BadInputException {
    // Sized for a whole tree: growing it under parallel inserts was a tenth of the walk.
    Map<Path, BasicFileAttributes> found = new ConcurrentHashMap<>(1 << 15);
    Queue<Notification> failed = new ConcurrentLinkedQueue<>();
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try {
      BasicFileAttributes top = Files.readAttributes(dir, BasicFileAttributes.class);
      pool.invoke(new DirectoryWalk(dir, List.of(new Visited(dir, top.fileKey())), found, failed));
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException("cannot read directory " + dir + ": " + e.getMessage(), e);
    } catch (InvalidPathException e) {
      throw new BadInputException(
          "cannot decode a file name under "
              + dir
              + " in this locale ("
              + e.getInput()
              + "); run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8",
          e);
    } finally {
      pool.shutdown();
    }
    for (Map.Entry<Path, BasicFileAttributes> e : found.entrySet()) {
      Path f = e.getKey();
      BasicFileAttributes a = e.getValue();
      out.put(f, null);
      Object key = a.fileKey();
      if (key != null) identities.put(f, key);
      attributes.put(f, a);
    }
    unread.addAll(failed);
  }

  /** A directory on the way down, for loop detection: its path and its identity. */
  private record Visited(Path dir, Object key) {}

  /** One directory's entries: .c files recorded, subdirectories walked as tasks of their own. */
  private static final class DirectoryWalk extends RecursiveAction {
    private final Path dir;
    private final List<Visited> ancestors;
    private final Map<Path, BasicFileAttributes> found;
    private final Queue<Notification> failed;

    DirectoryWalk(
        Path dir,
        List<Visited> ancestors,
        Map<Path, BasicFileAttributes> found,
        Queue<Notification> failed) {
      this.dir = dir;
      this.ancestors = ancestors;
      this.found = found;
      this.failed = failed;
    }

    @Override
    protected void compute() {
      List<DirectoryWalk> subdirs = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          BasicFileAttributes a = attributesOf(entry);
          if (a == null) continue;
          String name = entry.getFileName().toString();
          if (a.isDirectory()) {
            // .git, .pc (quilt) and other hidden trees hold copies, not sources.
            if (name.startsWith(".")) continue;
            Visited here = new Visited(entry, a.fileKey());
            if (loops(here)) continue; // a loop holds nothing new
            List<Visited> path = new ArrayList<>(ancestors.size() + 1);
            path.addAll(ancestors);
            path.add(here);
            subdirs.add(new DirectoryWalk(entry, path, found, failed));
          } else if (a.isRegularFile() && name.endsWith(".c")) {
            found.put(entry, a);
          }
        }
      } catch (IOException e) {
        unreadable(dir, e);
      } catch (DirectoryIteratorException e) {
        throw new UncheckedIOException(e.getCause());
      }
      invokeAll(subdirs);
    }

    /** The entry's attributes through links; a dangling link's own; null when unreadable. */
    private BasicFileAttributes attributesOf(Path entry) {
      try {
        return Files.readAttributes(entry, BasicFileAttributes.class);
      } catch (IOException e) {
        try {
          return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException again) {
          unreadable(entry, e);
          return null;
        }
      }
    }

    private boolean loops(Visited here) {
      for (Visited up : ancestors) {
        if (here.key() != null && up.key() != null) {
          if (here.key().equals(up.key())) return true;
        } else if (sameFile(here.dir(), up.dir())) {
          return true;
        }
      }
      return false;
    }

    private static boolean sameFile(Path a, Path b) {
      try {
        return Files.isSameFile(a, b);
      } catch (IOException e) {
        return false;
      }
    }

    /**
     * Anything unreadable deep in a tree should not stop a whole-tree scan, but is named: its .c
     * files are not scanned.
     */
    private void unreadable(Path p, IOException e) {
      if (isBrokenLink(p)) return;
      failed.add(
          new Notification(
              "warning",
              "input-unreadable",
              "not searched for .c files: " + p + " (" + reason(e) + ")",
              SrcRange.UNKNOWN));
    }
  }

  /** A dangling link is no source: kernel trees have a few (e.g. into a build directory). */
  private static boolean isBrokenLink(Path f) {
    return Files.isSymbolicLink(f) && !Files.exists(f);
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) return "permission denied";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * A file reached through several links is scanned once, under the first of its paths in sort
   * order, so findings are neither doubled nor dependent on the order of the directory walk. Files
   * are told apart by the identity the walk saw (device and inode, no system call more: resolving
   * every path of a whole-tree scan took a third of a cached re-scan), else by their real path.
   */
  private static void dropLinkedCopies(Map<Path, CompileCommand> files, Map<Path, Object> ids) {
    Set<Object> seen = new HashSet<>();
    files.keySet().removeIf(f -> !seen.add(identity(f, ids)));
  }

  private static Object identity(Path f, Map<Path, Object> ids) {
    Object key = ids.get(f);
    if (key != null) return key;
    try {
      key = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      key = null;
    }
    return key != null ? key : realPath(f);
  }

  private static Path realPath(Path f) {
    try {
      return f.toRealPath();
    } catch (IOException e) {
      return f;
    }
  }

  /** The report path: relative to the source root when below it, else absolute; '/'-separated. */
  static String relative(Path root, Path file) {
    if (!file.startsWith(root)) return file.toString().replace(File.separatorChar, '/');
    // Both absolute and normalized: the file's name is the root's, a separator and the rest. Cut
    // as a string: Path.relativize re-splits both paths, a third of a cached re-scan's walk.
    String r = root.toString();
    String f = file.toString();
    char sep = File.separatorChar;
    boolean rootEndsInSep = r.endsWith(File.separator); // the file system root
    String rest;
    if (f.length() > r.length()
        && f.startsWith(r)
        && (rootEndsInSep || f.charAt(r.length()) == sep)) {
      rest = f.substring(rootEndsInSep ? r.length() : r.length() + 1);
    } else {
      rest = root.relativize(file).toString();
    }
    return rest.replace(sep, '/');
  }
}
