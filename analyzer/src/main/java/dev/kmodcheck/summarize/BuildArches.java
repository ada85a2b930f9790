package dev.kmodcheck.summarize;

import dev.kmodcheck.kernel.Target;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which architecture a kernel source file is built for, read from the tree's Kconfig and Makefile
 * text (docs/kernel-summaries.md, "Generating them"): a file under {@code arch/B/} belongs to B
 * ({@code arch/B/um/} to um, user-mode Linux); a file or directory that the Makefiles list only
 * under {@code obj-$(CONFIG_X)} (or {@code lib-}, or as part of such a composite object) where X
 * exists only for B belongs to B. X exists only for B when it is defined only in B's Kconfig files,
 * or when it has no prompt and no default and only B's Kconfig files {@code select} it
 * (lib/Kconfig's INDIRECT_IOMEM, selected by arch/um/Kconfig). Anything else is generic (null). A
 * reading of the text, not of the build: conditions written as {@code ifdef} blocks in Makefiles,
 * {@code depends on} and {@code imply} are not followed.
 */
public final class BuildArches {

  private static final Pattern ASSIGN =
      Pattern.compile("^([A-Za-z0-9_.-]+?)-(\\S+?)\\s*(?:\\+=|:=|\\?=|=)\\s*(.*)$");
  private static final Pattern CONFIG = Pattern.compile("CONFIG_(\\w+)");
  private static final Set<String> SKIPPED_TOP = Set.of("Documentation", "tools", "samples");

  /**
   * Per kernel-relative file ("lib/x.c") or directory ("lib/sub/"): the configs of each listing.
   */
  private final Map<String, List<Set<String>>> listings = new HashMap<>();

  /** Per config: its architecture, or absent when it is not one architecture's. */
  private final Map<String, String> configArch = new HashMap<>();

  private BuildArches() {}

  /** Reads every Kconfig*, Makefile and Kbuild file of {@code root}. */
  public static BuildArches read(Path root) throws IOException {
    BuildArches b = new BuildArches();
    Map<String, Config> configs = new HashMap<>();
    List<Path> kconfigs = new ArrayList<>();
    List<Path> makefiles = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile)
          .forEach(
              p -> {
                String rel = rel(root, p);
                if (rel.startsWith(".") || SKIPPED_TOP.contains(rel.split("/", 2)[0])) return;
                String name = p.getFileName().toString();
                if (name.startsWith("Kconfig")) kconfigs.add(p);
                else if (name.equals("Makefile") || name.equals("Kbuild")) makefiles.add(p);
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    kconfigs.sort(null);
    makefiles.sort(null);
    for (Path k : kconfigs)
      readKconfig(rel(root, k), Files.readAllLines(k, StandardCharsets.ISO_8859_1), configs);
    configs.forEach(
        (name, c) -> {
          String arch = c.arch();
          if (arch != null) b.configArch.put(name, arch);
        });
    for (Path m : makefiles) {
      String dir = rel(root, m.getParent());
      b.readMakefile(
          dir.isEmpty() ? "" : dir + "/", Files.readString(m, StandardCharsets.ISO_8859_1));
    }
    return b;
  }

  private static String rel(Path root, Path p) {
    return root.relativize(p).toString().replace(File.separatorChar, '/');
  }

  /**
   * The architecture {@code file} (kernel-relative) is built for, or null: its own path first, then
   * its own listings, then its directories' listings, nearest first.
   */
  public String archOf(String file) {
    String byPath = Target.kernelArchOf(file);
    if (byPath != null) return byPath;
    String key = file;
    while (true) {
      List<Set<String>> ls = listings.get(key);
      if (ls != null) {
        String arch = onlyArch(ls);
        if (arch != null) return arch;
      }
      int slash = key.lastIndexOf('/', key.endsWith("/") ? key.length() - 2 : key.length() - 1);
      if (slash < 0) return null;
      key = key.substring(0, slash + 1);
    }
  }

  /** The architecture every listing needs (one of its configs is that architecture's), or null. */
  private String onlyArch(List<Set<String>> ls) {
    String found = null;
    for (Set<String> listing : ls) {
      String arch = null;
      for (String config : new TreeSet<>(listing)) {
        arch = configArch.get(config);
        if (arch != null) break;
      }
      if (arch == null || (found != null && !found.equals(arch))) return null;
      found = arch;
    }
    return found;
  }

  /** What the Kconfig files say about one symbol. */
  private static final class Config {
    final Set<String> definedIn = new HashSet<>();
    final Set<String> selectedFrom = new HashSet<>();

    /** Has a prompt or a default: may be on without a select. */
    boolean settable;

    String arch() {
      if (definedIn.size() == 1 && !definedIn.contains("")) return definedIn.iterator().next();
      if (settable || selectedFrom.size() != 1 || selectedFrom.contains("")) return null;
      return selectedFrom.iterator().next();
    }
  }

  private static void readKconfig(String rel, List<String> lines, Map<String, Config> configs) {
    String arch = Target.kernelArchOf(rel);
    String where = arch == null ? "" : arch;
    Config current = null;
    int helpIndent = -1;
    for (String raw : lines) {
      int indent = indent(raw);
      String line = raw.strip();
      if (helpIndent >= 0) {
        // Help text runs while it is indented deeper than its keyword (or blank).
        if (line.isEmpty() || indent > helpIndent) continue;
        helpIndent = -1;
      }
      line = withoutComment(line);
      if (line.isEmpty()) continue;
      String[] w = line.split("\\s+", 3);
      switch (w[0]) {
        case "config", "menuconfig" -> {
          current = w.length > 1 ? configs.computeIfAbsent(w[1], k -> new Config()) : null;
          if (current != null) current.definedIn.add(where);
        }
        case "help", "---help---" -> helpIndent = indent;
        case "bool", "tristate", "string", "hex", "int" -> {
          if (current != null && w.length > 1 && w[1].startsWith("\"")) current.settable = true;
        }
        case "prompt", "def_bool", "def_tristate" -> {
          if (current != null) current.settable = true;
        }
        case "default" -> {
          if (current != null && !(w.length > 1 && w[1].equals("n") && w.length == 2)) {
            current.settable = true;
          }
        }
        case "select" -> {
          if (w.length > 1)
            configs.computeIfAbsent(w[1], k -> new Config()).selectedFrom.add(where);
        }
        case "depends", "imply", "range", "option", "modules", "transitional", "visible" -> {
          // attributes of the current entry that do not make it settable
        }
        default -> current = null; // menu, choice, if, source, comment, endmenu, ...
      }
    }
  }

  /**
   * The line up to a '#' outside a string: drivers/spi/Kconfig comments out a prompt as {@code #
   * bool "SPI Master Support"}, which is no prompt and no entry.
   */
  private static String withoutComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') quoted = !quoted;
      else if (c == '#' && !quoted) return line.substring(0, i).strip();
    }
    return line;
  }

  private static int indent(String line) {
    int n = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ' ') n++;
      else if (c == '\t') n = (n / 8 + 1) * 8;
      else break;
    }
    return n;
  }

  /** Reads {@code obj-...}, {@code lib-...} and composite-object lines of one Makefile. */
  void readMakefile(String dir, String text) {
    Map<String, List<Set<String>>> top = new HashMap<>();
    Map<String, List<Object[]>> parts = new HashMap<>(); // composite -> {part, configs}
    for (String line : text.replace("\\\n", " ").split("\n")) {
      int hash = line.indexOf('#');
      if (hash >= 0) line = line.substring(0, hash);
      Matcher m = ASSIGN.matcher(line.strip());
      if (!m.matches()) continue;
      String var = m.group(1);
      String suffix = m.group(2);
      if (!suffix.equals("y")
          && !suffix.equals("m")
          && !suffix.equals("objs")
          && !suffix.startsWith("$(")) {
        continue;
      }
      Set<String> configs = new HashSet<>();
      Matcher c = CONFIG.matcher(suffix);
      while (c.find()) configs.add(c.group(1));
      boolean listing = var.equals("obj") || var.equals("lib");
      for (String item : m.group(3).trim().split("\\s+")) {
        if (item.isEmpty() || item.contains("$")) continue;
        if (listing) {
          if (item.endsWith(".o") || item.endsWith("/")) {
            top.computeIfAbsent(item, k -> new ArrayList<>()).add(configs);
          }
        } else if (item.endsWith(".o")) {
          parts
              .computeIfAbsent(var + ".o", k -> new ArrayList<>())
              .add(new Object[] {item, configs});
        }
      }
    }
    top.forEach(
        (item, ls) -> {
          for (Set<String> configs : ls) {
            add(dir, item, configs);
            for (Object[] part : parts.getOrDefault(item, List.of())) {
              @SuppressWarnings("unchecked")
              Set<String> own = (Set<String>) part[1];
              Set<String> both = new HashSet<>(configs);
              both.addAll(own);
              add(dir, (String) part[0], both);
            }
          }
        });
  }

  private void add(String dir, String item, Set<String> configs) {
    String key =
        item.endsWith(".o") ? dir + item.substring(0, item.length() - 2) + ".c" : dir + item;
    listings.computeIfAbsent(key, k -> new ArrayList<>()).add(configs);
  }

  /** For tests: the architecture of each config the Kconfig files tie to one. */
  Map<String, String> configArches() {
    return Collections.unmodifiableMap(configArch);
  }
}
