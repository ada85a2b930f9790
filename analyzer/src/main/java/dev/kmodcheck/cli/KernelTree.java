package dev.kmodcheck.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel tree a scan lies in, and the shipped kernel summaries that fit it. Summaries of
 * another version cite bodies the scanned tree does not have (a 6.1 scan explained by 6.12 code),
 * so a scan inside a tree uses that tree's version when no {@code --kernel-summaries} is given.
 */
final class KernelTree {
  /** The top Makefile's first lines carry the version; a module's Makefile has none. */
  private static final int HEAD_BYTES = 4096;

  private static final Pattern VERSION = Pattern.compile("(?m)^VERSION\\s*=\\s*(\\d+)\\s*$");
  private static final Pattern PATCHLEVEL = Pattern.compile("(?m)^PATCHLEVEL\\s*=\\s*(\\d+)\\s*$");

  /**
   * @param root the kernel tree's top directory
   * @param version "6.12": VERSION.PATCHLEVEL of its top Makefile
   */
  record Found(Path root, String version) {}

  private KernelTree() {}

  /**
   * The nearest directory from {@code start} up that is the top of a kernel tree (a Makefile with
   * VERSION and PATCHLEVEL, beside a Kbuild file or a scripts directory), or null.
   */
  static Found find(Path start) {
    for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      String v = version(d);
      if (v != null) return new Found(d, v);
    }
    return null;
  }

  private static String version(Path dir) {
    Path makefile = dir.resolve("Makefile");
    if (!Files.isRegularFile(makefile)) return null;
    if (!Files.isRegularFile(dir.resolve("Kbuild")) && !Files.isDirectory(dir.resolve("scripts"))) {
      return null;
    }
    String head;
    try (InputStream in = Files.newInputStream(makefile)) {
      head = new String(in.readNBytes(HEAD_BYTES), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      // An unreadable Makefile is no tree we can name; the default summaries then apply.
      return null;
    }
    Matcher v = VERSION.matcher(head);
    Matcher p = PATCHLEVEL.matcher(head);
    if (!v.find() || !p.find()) return null;
    return Integer.parseInt(v.group(1)) + "." + Integer.parseInt(p.group(1));
  }

  /**
   * The shipped version closest to {@code version} ("6.6" -> "6.1"): by distance in (VERSION,
   * PATCHLEVEL) order, a tie going to the newer, so that any tree gets summaries.
   */
  static String nearest(String version, List<String> shipped) {
    long want = rank(version);
    String best = null;
    long bestDistance = Long.MAX_VALUE;
    for (String s : shipped) {
      long distance = Math.abs(rank(s) - want);
      if (distance < bestDistance || (distance == bestDistance && rank(s) > rank(best))) {
        best = s;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** PATCHLEVELs stay below 1000, so VERSION counts for more than any of them. */
  private static long rank(String version) {
    String[] parts = version.split("\\.", 2);
    return Long.parseLong(parts[0]) * 1000 + Long.parseLong(parts[1]);
  }
}
