package dev.kmodcheck.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The expectations a corpus file states in comments, read independently of the corpus harness
 * (whose parser is package-private): {@code // expect: rule-a, rule-b} on an offending line and the
 * {@code // kmodcheck-target|page-size|max-order:} settings in the header.
 */
record CorpusMarkers(String relPath, List<Marker> expected, List<String> targetOptions) {

  /** One expected finding; a line may expect the same rule twice, so this is a list element. */
  record Marker(String file, int line, String ruleId) implements Comparable<Marker> {
    @Override
    public int compareTo(Marker o) {
      int c = file.compareTo(o.file);
      if (c != 0) return c;
      c = Integer.compare(line, o.line);
      return c != 0 ? c : ruleId.compareTo(o.ruleId);
    }

    @Override
    public String toString() {
      return file + ":" + line + " " + ruleId;
    }
  }

  /** expect-summary: expected too, as the CLI's default scan uses the shipped kernel summaries. */
  private static final Pattern EXPECT =
      Pattern.compile("//\\s*expect(?:-summary)?:\\s*([^/]+?)\\s*(?://.*)?$");

  private static final Pattern SETTING =
      Pattern.compile(
          "^\\s*//\\s*kmodcheck-(target|page-size|max-order|kernel-summaries|kernel-version):\\s*(\\S+)\\s*$");

  /** True when the file is checked against the default target with no overrides. */
  boolean defaultTarget() {
    return targetOptions.isEmpty() || targetOptions.equals(List.of("--target", "x86_64"));
  }

  static CorpusMarkers read(Path root, Path file) {
    String rel = root.relativize(file).toString().replace('\\', '/');
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Marker> expected = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher s = SETTING.matcher(line);
      if (s.find()) {
        options.add("--" + s.group(1));
        options.add(s.group(2));
        continue;
      }
      Matcher m = EXPECT.matcher(line);
      if (m.find()) {
        for (String id : m.group(1).split(",")) expected.add(new Marker(rel, i + 1, id.strip()));
      }
    }
    return new CorpusMarkers(rel, List.copyOf(expected), List.copyOf(options));
  }

  /** Every .c file under the given directories, sorted. */
  static List<CorpusMarkers> readAll(Path root, Path... dirs) {
    List<CorpusMarkers> all = new ArrayList<>();
    for (Path dir : dirs) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".c"))
            .sorted()
            .forEach(p -> all.add(read(root, p)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all;
  }
}
