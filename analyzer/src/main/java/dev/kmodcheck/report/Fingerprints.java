package dev.kmodcheck.report;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.engine.ScanResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Stable identities of findings that survive edits elsewhere in a file, for JSON {@code
 * fingerprint}, SARIF {@code partialFingerprints.primaryLocationLineHash} and (later) baselines.
 *
 * <p>A fingerprint is {@code <16 lowercase hex digits>:<n>}. The hex part is the first 64 bits of
 * SHA-256 over (format tag, rule id, file, function, whitespace-normalised text of the finding's
 * first source line) - no line or column numbers, so inserting lines above a finding does not
 * change it. When the source line cannot be read (file gone, line out of range), the finding's
 * message is hashed in its place, tagged so the two kinds never collide. {@code n} counts findings
 * with the same hex part, from 1, in {@link Finding#ORDER}; it tells apart e.g. two identical calls
 * in one function. Shape and hash input are a compatibility promise: change {@link #FORMAT_TAG} if
 * they ever change.
 */
public final class Fingerprints {

  /** Part of every hash input; bump it if the recipe changes so old baselines stop matching. */
  public static final String FORMAT_TAG = "kmodcheck-fp-v1";

  private Fingerprints() {}

  /** Fingerprints of {@code result.findings()}, index for index, reading sources below its root. */
  public static List<String> compute(ScanResult result) {
    return compute(result.findings(), new SourceLines(result.sourceRoot()));
  }

  /** Fingerprints of {@code findings}, index for index; occurrence numbers follow ORDER. */
  public static List<String> compute(List<Finding> findings, SourceLines sources) {
    Integer[] order = new Integer[findings.size()];
    Arrays.setAll(order, i -> i);
    // A stable sort keeps equal findings in input order, so even exact duplicates number stably.
    Arrays.sort(order, Comparator.comparing(findings::get, Finding.ORDER));
    // Hashing reads each finding's source file: in parallel (a whole-tree scan names hundreds).
    String[] bases = new String[findings.size()];
    IntStream.range(0, bases.length)
        .parallel()
        .forEach(i -> bases[i] = baseHash(findings.get(i), sources));
    String[] out = new String[findings.size()];
    Map<String, Integer> seen = new HashMap<>();
    for (int i : order) {
      String base = bases[i];
      int n = seen.merge(base, 1, Integer::sum);
      out[i] = base + ":" + n;
    }
    return List.of(out);
  }

  /** The line-number-independent hash of one finding, without its occurrence number. */
  public static String baseHash(Finding finding, SourceLines sources) {
    String file = finding.range() == null ? "" : finding.range().file();
    int line = finding.range() == null ? 0 : finding.range().line();
    Optional<String> text = sources.line(file, line);
    String evidence =
        text.map(t -> "line\u0000" + normalizeWhitespace(t))
            .orElseGet(() -> "message\u0000" + finding.message());
    String input =
        String.join(
            "\u0000",
            FORMAT_TAG,
            finding.ruleId(),
            file,
            finding.function() == null ? "" : finding.function(),
            evidence);
    return hex64(input);
  }

  /** Trims and collapses every run of whitespace to one space: re-indenting is not a change. */
  public static String normalizeWhitespace(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  private static String hex64(String input) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
    StringBuilder hex = new StringBuilder(16);
    for (int i = 0; i < 8; i++) {
      hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16));
      hex.append(Character.forDigit(digest[i] & 0xf, 16));
    }
    return hex.toString();
  }

  /** Findings paired with their fingerprints, in {@link Finding#ORDER}; reports iterate this. */
  static List<Fingerprinted> sorted(ScanResult result) {
    List<Finding> findings = new ArrayList<>(result.findings());
    findings.sort(Finding.ORDER);
    List<String> prints = compute(findings, new SourceLines(result.sourceRoot()));
    List<Fingerprinted> out = new ArrayList<>(findings.size());
    for (int i = 0; i < findings.size(); i++) {
      out.add(new Fingerprinted(findings.get(i), prints.get(i)));
    }
    return out;
  }

  record Fingerprinted(Finding finding, String fingerprint) {}
}
