package dev.kmodcheck.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Everything reports and the CLI say about a rule: its {@link RuleInfo} plus the help text from
 * {@code docs/rules/<id>.md}, which the rules module ships as the resource {@code
 * dev/kmodcheck/rules/docs/<id>.md}.
 */
public record RuleDescriptor(
    String id,
    String name,
    Severity severity,
    String summary,
    List<String> tags,
    String precision,
    String helpMarkdown) {

  public static final String DOCS_PREFIX = "dev/kmodcheck/rules/docs/";

  public static RuleDescriptor of(Rule rule) {
    RuleInfo info = rule.info();
    String help = loadHelp(rule.getClass().getClassLoader(), info.id());
    return new RuleDescriptor(
        info.id(),
        info.name(),
        info.severity(),
        info.summary(),
        List.of(info.tags()),
        info.precision(),
        help);
  }

  private static String loadHelp(ClassLoader loader, String id) {
    try (InputStream in = loader.getResourceAsStream(DOCS_PREFIX + id + ".md")) {
      if (in == null) return null;
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The first paragraph of the help after its title: SARIF fullDescription. Falls back to the
   * summary.
   */
  public String fullDescription() {
    if (helpMarkdown == null) return summary;
    StringBuilder para = new StringBuilder();
    for (String line : helpMarkdown.split("\n")) {
      String t = line.strip();
      if (t.startsWith("#")) {
        if (para.length() > 0) break;
        continue;
      }
      if (t.isEmpty()) {
        if (para.length() > 0) break;
        continue;
      }
      if (para.length() > 0) para.append(' ');
      para.append(t);
    }
    return para.length() == 0 ? summary : para.toString();
  }

  /** Help as plain text: the markdown with heading marks and code fences removed. */
  public String helpText() {
    if (helpMarkdown == null) return summary;
    StringBuilder out = new StringBuilder();
    for (String line : helpMarkdown.split("\n")) {
      if (line.startsWith("```")) continue;
      out.append(line.replaceFirst("^#+\\s*", "")).append('\n');
    }
    return out.toString().strip();
  }
}
