package dev.kmodcheck.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a corpus file says about itself in comments: the findings each line must produce ({@code //
 * expect: rule-a, rule-b}), the findings a line should produce but does not yet ({@code //
 * limitation: rule-id: reason}), and the target profile ({@code // kmodcheck-target: arm64-64k},
 * {@code // kmodcheck-page-size: 16384}, {@code // kmodcheck-max-order: 11}) in the first lines.
 *
 * <p>Kernel summaries: {@code // kmodcheck-kernel-summaries: 6.1} (or 6.12, none) in the first
 * lines chooses them, as {@code --kernel-summaries} does (default: the newest shipped). {@code //
 * expect-summary: rule-id} marks a finding that only a kernel summary can explain (a chain through
 * a kernel function the file has no body for): expected with summaries, and the file is scanned a
 * second time with {@code none}, where that line must have no finding at all.
 *
 * <p>{@code // expect: rule-id(conditional)} expects an atomic-context finding graded conditional
 * (its chain needs conditions the tool cannot decide); a plain {@code rule-id} expects a certain
 * one, or a finding of a rule that does not grade.
 *
 * <p>{@code // kmodcheck-kernel-version: 4.14} scans the file as {@code --kernel-version} does
 * (default: the scan's default release).
 *
 * @param expected (line, rule) -> how many findings; a multiset so duplicates are caught
 * @param kernelSummaries the summaries to scan with, or null for the default
 * @param summaryExpected the part of {@code expected} that comes from {@code expect-summary}
 * @param kernelVersion the release to read the file for, or null for the default
 */
record Expectations(
    String target,
    Long pageSize,
    Integer maxOrder,
    TreeMap<Key, Integer> expected,
    List<Key> limitations,
    List<String> okFunctions,
    String kernelSummaries,
    TreeMap<Key, Integer> summaryExpected,
    String kernelVersion) {

  /**
   * A finding's identity for comparison; {@code conditional}: an atomic-context finding whose chain
   * depends on conditions the tool cannot decide, written {@code rule-id(conditional)}.
   */
  record Key(int line, String ruleId, boolean conditional) implements Comparable<Key> {
    Key(int line, String ruleId) {
      this(line, ruleId, false);
    }

    @Override
    public int compareTo(Key o) {
      int c = Integer.compare(line, o.line);
      if (c == 0) c = ruleId.compareTo(o.ruleId);
      return c != 0 ? c : Boolean.compare(conditional, o.conditional);
    }

    @Override
    public String toString() {
      return line + " " + ruleId + (conditional ? CONDITIONAL : "");
    }
  }

  static final String CONDITIONAL = "(conditional)";

  /** Settings must come before the code so that they read as a file header. */
  static final int HEADER_LINES = 20;

  private static final Pattern EXPECT =
      Pattern.compile("//\\s*expect(-summary)?:\\s*([^/]+?)\\s*(?://.*)?$");
  private static final Pattern LIMITATION =
      Pattern.compile("//\\s*limitation:\\s*([a-z0-9-]+)\\s*:\\s*\\S.*$");
  private static final Pattern SETTING =
      Pattern.compile(
          "^\\s*//\\s*kmodcheck-(target|page-size|max-order|kernel-summaries|kernel-version):\\s*(\\S+)\\s*$");
  private static final Pattern RULE_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  // Kernel style: a definition starts at column 0, e.g. "static void *foo_ok(struct dev *d)".
  private static final Pattern OK_FUNCTION =
      Pattern.compile("^[A-Za-z_][^;=()]*?\\b([A-Za-z_]\\w*_ok)\\s*\\(");

  static Expectations parse(String fileName, List<String> lines) {
    String target = "x86_64";
    Long pageSize = null;
    Integer maxOrder = null;
    TreeMap<Key, Integer> expected = new TreeMap<>();
    List<Key> limitations = new ArrayList<>();
    List<String> okFunctions = new ArrayList<>();
    String summaries = null;
    String kernelVersion = null;
    TreeMap<Key, Integer> summaryExpected = new TreeMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = lines.get(i);
      Matcher setting = SETTING.matcher(line);
      if (setting.find()) {
        if (lineNo > HEADER_LINES) {
          throw new IllegalArgumentException(
              fileName
                  + ":"
                  + lineNo
                  + ": kmodcheck-"
                  + setting.group(1)
                  + " must be in the first "
                  + HEADER_LINES
                  + " lines");
        }
        switch (setting.group(1)) {
          case "target" -> target = setting.group(2);
          case "page-size" -> pageSize = Long.parseLong(setting.group(2));
          case "kernel-summaries" -> summaries = setting.group(2);
          case "kernel-version" -> kernelVersion = setting.group(2);
          default -> maxOrder = Integer.parseInt(setting.group(2));
        }
        continue;
      }
      Matcher expect = EXPECT.matcher(line);
      if (expect.find()) {
        for (String id : expect.group(2).split(",")) {
          String rule = id.strip();
          boolean conditional = rule.endsWith(CONDITIONAL);
          if (conditional) rule = rule.substring(0, rule.length() - CONDITIONAL.length()).strip();
          Key key = new Key(lineNo, ruleId(fileName, lineNo, rule), conditional);
          expected.merge(key, 1, Integer::sum);
          if (expect.group(1) != null) summaryExpected.merge(key, 1, Integer::sum);
        }
      }
      Matcher limitation = LIMITATION.matcher(line);
      if (limitation.find()) {
        limitations.add(new Key(lineNo, ruleId(fileName, lineNo, limitation.group(1))));
      } else if (line.contains("limitation:")) {
        throw new IllegalArgumentException(
            fileName + ":" + lineNo + ": write '// limitation: rule-id: reason'");
      }
      Matcher ok = OK_FUNCTION.matcher(line);
      if (ok.find()) okFunctions.add(ok.group(1));
    }
    if ("none".equals(summaries) && !summaryExpected.isEmpty()) {
      throw new IllegalArgumentException(
          fileName + ": expect-summary needs kernel summaries, but the file chooses none");
    }
    return new Expectations(
        target,
        pageSize,
        maxOrder,
        expected,
        limitations,
        okFunctions,
        summaries,
        summaryExpected,
        kernelVersion);
  }

  /** The expectations of a scan without kernel summaries: no expect-summary finding. */
  Expectations withoutSummaries() {
    TreeMap<Key, Integer> rest = new TreeMap<>(expected);
    summaryExpected.forEach((k, n) -> rest.merge(k, -n, Integer::sum));
    rest.values().removeIf(n -> n <= 0);
    return new Expectations(
        target,
        pageSize,
        maxOrder,
        rest,
        limitations,
        okFunctions,
        "none",
        new TreeMap<>(),
        kernelVersion);
  }

  private static String ruleId(String fileName, int lineNo, String id) {
    if (!RULE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          fileName + ":" + lineNo + ": '" + id + "' is not a rule id (expect: a, b)");
    }
    return id;
  }
}
