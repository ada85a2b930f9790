package dev.kmodcheck.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmodcheck.BadInputException;
import dev.kmodcheck.check.Finding;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings a project accepted when it adopted kmodcheck ({@code kmodcheck baseline}), so that
 * {@code check --baseline} reports and fails only on new ones (docs/ci.md).
 *
 * <p>Entries are matched by {@link Fingerprints} (rule, file, function, normalised text of the
 * line; no line numbers), as a multiset: a baseline holding a fingerprint twice absorbs two such
 * findings, a third is new. The file is versioned JSON, sorted, so it diffs well in review.
 */
public final class Baseline {

  /** Bumped on incompatible changes of the file format. */
  public static final int FORMAT_VERSION = 1;

  private static final String KIND = "kmodcheck-baseline";
  private static final Comparator<Entry> ORDER =
      Comparator.comparing(Entry::file)
          .thenComparing(Entry::ruleId)
          .thenComparing(Entry::function)
          .thenComparing(Entry::fingerprint);

  /**
   * One accepted finding. Only the fingerprint is matched; the other fields are for people reading
   * the file and for listing stale entries.
   */
  public record Entry(
      String fingerprint, String ruleId, String file, String function, String message) {}

  private final List<Entry> entries;

  private Baseline(List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(ORDER);
    this.entries = List.copyOf(sorted);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** A baseline of {@code findings}, whose fingerprints are {@code prints} index for index. */
  public static Baseline of(List<Finding> findings, List<String> prints) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      out.add(
          new Entry(
              prints.get(i),
              f.ruleId(),
              f.range() == null ? "" : f.range().file(),
              f.function() == null ? "" : f.function(),
              f.message()));
    }
    return new Baseline(out);
  }

  public void write(Writer out) throws IOException {
    ObjectNode root = PrettyJson.object();
    root.put("kind", KIND);
    root.put("formatVersion", FORMAT_VERSION);
    root.put("fingerprintFormat", Fingerprints.FORMAT_TAG);
    ArrayNode list = root.putArray("findings");
    for (Entry e : entries) {
      ObjectNode n = list.addObject();
      n.put("fingerprint", e.fingerprint());
      n.put("ruleId", e.ruleId());
      n.put("file", e.file());
      n.put("function", e.function());
      n.put("message", e.message());
    }
    PrettyJson.write(root, out);
  }

  /** Reads a baseline file; a missing or malformed one is bad input naming the file. */
  public static Baseline read(Path file) throws BadInputException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new BadInputException(
          file
              + ": no such baseline file (create it with 'kmodcheck baseline PATH... -o "
              + file
              + "')");
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(file + ": not a kmodcheck baseline (not readable JSON)");
    }
    if (root == null || !KIND.equals(root.path("kind").asText())) {
      throw new BadInputException(
          file + ": not a kmodcheck baseline (\"kind\" is not " + KIND + ")");
    }
    if (root.path("formatVersion").asInt() != FORMAT_VERSION) {
      throw new BadInputException(
          file
              + ": formatVersion "
              + root.path("formatVersion")
              + " is not supported (expected "
              + FORMAT_VERSION
              + ")");
    }
    if (!Fingerprints.FORMAT_TAG.equals(root.path("fingerprintFormat").asText())) {
      throw new BadInputException(
          file
              + ": made with fingerprint format "
              + root.path("fingerprintFormat")
              + "; recreate it with 'kmodcheck baseline'");
    }
    List<Entry> entries = new ArrayList<>();
    JsonNode list = root.path("findings");
    if (!list.isArray()) throw new BadInputException(file + ": findings: must be an array");
    for (int i = 0; i < list.size(); i++) {
      JsonNode n = list.get(i);
      String fp = n.path("fingerprint").asText("");
      if (!fp.matches("[0-9a-f]{16}:[1-9][0-9]*")) {
        throw new BadInputException(file + ": findings[" + i + "].fingerprint: malformed");
      }
      entries.add(
          new Entry(
              fp,
              n.path("ruleId").asText(""),
              n.path("file").asText(""),
              n.path("function").asText(""),
              n.path("message").asText("")));
    }
    return new Baseline(entries);
  }

  /**
   * @param fresh findings the baseline does not hold
   * @param known findings it holds
   * @param stale entries of scanned files no finding matched any more (fixed, or changed beyond
   *     recognition)
   */
  public record Match(List<Finding> fresh, List<Finding> known, List<Entry> stale) {}

  /**
   * Splits {@code findings} (fingerprints {@code prints}, index for index) by this baseline. Only
   * entries of {@code scannedFiles} can be stale: a scan of a few files (a pre-commit hook, a
   * changed-files job) says nothing about the others.
   */
  public Match match(List<Finding> findings, List<String> prints, Set<String> scannedFiles) {
    Map<String, Integer> remaining = new HashMap<>();
    for (Entry e : entries) remaining.merge(e.fingerprint(), 1, Integer::sum);
    List<Finding> fresh = new ArrayList<>();
    List<Finding> known = new ArrayList<>();
    Map<String, Integer> matched = new HashMap<>();
    for (int i = 0; i < findings.size(); i++) {
      String fp = prints.get(i);
      if (remaining.getOrDefault(fp, 0) > 0) {
        remaining.merge(fp, -1, Integer::sum);
        matched.merge(fp, 1, Integer::sum);
        known.add(findings.get(i));
      } else {
        fresh.add(findings.get(i));
      }
    }
    List<Entry> stale = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Entry e : entries) {
      int n = seen.merge(e.fingerprint(), 1, Integer::sum);
      if (n > matched.getOrDefault(e.fingerprint(), 0) && scannedFiles.contains(e.file())) {
        stale.add(e);
      }
    }
    return new Match(List.copyOf(fresh), List.copyOf(known), List.copyOf(stale));
  }
}
