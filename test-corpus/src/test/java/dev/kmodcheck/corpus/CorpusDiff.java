package dev.kmodcheck.corpus;

import dev.kmodcheck.check.Confidence;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.corpus.Expectations.Key;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares a file's findings with its expectations. The result lists unexpected findings as {@code
 * + file:line rule-id (message)}, missing ones as {@code - file:line rule-id}, and limitations that
 * are now reported as {@code ! file:line rule-id ...}; empty when they agree.
 */
final class CorpusDiff {

  private CorpusDiff() {}

  static List<String> compare(String file, Expectations exp, List<Finding> findings) {
    TreeMap<Key, List<Finding>> actual = new TreeMap<>();
    for (Finding f : findings) {
      if (!f.range().file().equals(file)) continue;
      boolean conditional = f.confidence() == Confidence.CONDITIONAL;
      actual
          .computeIfAbsent(
              new Key(f.range().line(), f.ruleId(), conditional), k -> new ArrayList<>())
          .add(f);
    }
    List<String> diff = new ArrayList<>();
    Map<Key, Integer> remaining = new HashMap<>(exp.expected());
    for (Map.Entry<Key, List<Finding>> e : actual.entrySet()) {
      Key key = e.getKey();
      int wanted = remaining.getOrDefault(key, 0);
      List<Finding> got = e.getValue();
      for (int i = wanted; i < got.size(); i++) {
        String prefix = exp.limitations().contains(key) ? "! " : "+ ";
        String note =
            exp.limitations().contains(key) ? " [limitation fixed: make it an expect]" : "";
        diff.add(prefix + file + ":" + key + " (" + got.get(i).message() + ")" + note);
      }
      remaining.put(key, Math.max(0, wanted - got.size()));
    }
    for (Map.Entry<Key, Integer> e : new TreeMap<>(remaining).entrySet()) {
      for (int i = 0; i < e.getValue(); i++) {
        diff.add("- " + file + ":" + e.getKey());
      }
    }
    // Report order: by line, so the diff reads alongside the file.
    diff.sort(
        (a, b) -> {
          int c = Integer.compare(lineOf(a), lineOf(b));
          return c != 0 ? c : a.compareTo(b);
        });
    return diff;
  }

  private static int lineOf(String diffLine) {
    String rest = diffLine.substring(2);
    int colon = rest.indexOf(':');
    int space = rest.indexOf(' ', colon);
    return Integer.parseInt(rest.substring(colon + 1, space));
  }
}
