package dev.kmodcheck.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodcheck.BadInputException;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.kernel.KernelKnowledge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A project's {@code .kmodcheck.json} (docs/config.md): which rules run and how severe they are,
 * the target profile, paths not to scan, and the project's own kernel knowledge. Command-line flags
 * override it. Unknown keys are errors, so a typo never silently does nothing. The file is checked
 * against the published schema ({@link ConfigSchema}) first.
 *
 * @param file the configuration file, or null when there is none
 * @param target profile name, or null for the command line's (default x86_64)
 * @param failOn error, warning, note or none; null: the command line's
 * @param exclude globs relative to the file's directory
 * @param rules rule id to "off", "error", "warning" or "note"
 * @param parse header-less preprocessing ({@link ParseConfig})
 */
public record ProjectConfig(
    Path file,
    String target,
    Long pageSize,
    Integer maxOrder,
    String failOn,
    List<String> exclude,
    Map<String, String> rules,
    KernelKnowledge knowledge,
    ParseConfig parse) {

  public static final String FILE_NAME = ".kmodcheck.json";
  public static final String OFF = "off";

  /** No configuration: every rule at its own severity, the shipped knowledge. */
  public static ProjectConfig none() {
    return new ProjectConfig(
        null,
        null,
        null,
        null,
        null,
        List.of(),
        Map.of(),
        KernelKnowledge.builtin(),
        ParseConfig.NONE);
  }

  /** The nearest {@value #FILE_NAME} in {@code dir} or a directory above it. */
  public static Optional<Path> find(Path dir) {
    for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      Path candidate = d.resolve(FILE_NAME);
      if (Files.isRegularFile(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }

  /**
   * Reads and checks a configuration file.
   *
   * @param knownRules rule ids the {@code rules} object may name
   * @throws BadInputException "file: key: reason" in one line
   */
  public static ProjectConfig load(Path file, Collection<String> knownRules)
      throws BadInputException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException(file + ": cannot read the configuration file");
    }
    JsonNode root;
    try {
      root =
          new ObjectMapper()
              .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
              .readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String why =
          e.getOriginalMessage() == null
              ? ""
              : ": " + e.getOriginalMessage().lines().findFirst().orElse("");
      throw new BadInputException(file + ": not valid JSON" + where + why);
    }
    try {
      return parse(file, root, knownRules);
    } catch (ConfigError e) {
      throw new BadInputException(file + ": " + e.key() + ": " + e.getMessage());
    }
  }

  private static ProjectConfig parse(Path file, JsonNode root, Collection<String> knownRules)
      throws ConfigError {
    if (root == null || !root.isObject()) throw new ConfigError("(top level)", "must be an object");
    // Keys, types and value sets are the published schema's; what it cannot say (a glob that does
    // not compile, a rule id of this build, a knowledge cell's notation) is checked below.
    ConfigSchema.get().check(root);
    String target = text(root, "target");
    Long pageSize = number(root, "pageSize");
    Long maxOrder = number(root, "maxOrder");
    String failOn = text(root, "failOn");
    List<String> exclude = new ArrayList<>();
    JsonNode ex = root.get("exclude");
    if (ex != null) {
      for (int i = 0; i < ex.size(); i++) {
        JsonNode g = ex.get(i);
        String key = "exclude[" + i + "]";
        try {
          FileSystems.getDefault().getPathMatcher("glob:" + g.asText());
        } catch (IllegalArgumentException e) {
          throw new ConfigError(key, "not a valid glob: " + e.getMessage());
        }
        exclude.add(g.asText());
      }
    }
    Map<String, String> rules = new TreeMap<>();
    JsonNode rs = root.get("rules");
    if (rs != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = rs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = "rules." + e.getKey();
        if (!knownRules.contains(e.getKey())) {
          throw new ConfigError(key, "unknown rule (kmodcheck rules lists them)");
        }
        rules.put(e.getKey(), e.getValue().asText());
      }
    }
    KernelKnowledge knowledge = KernelKnowledge.builtin();
    JsonNode k = root.get("knowledge");
    if (k != null) {
      String where = file.getFileName().toString();
      Map<KernelKnowledge.Table, List<String>> rows = KnowledgeRows.read(k, where);
      try {
        knowledge = KernelKnowledge.withRows(rows, where);
      } catch (IllegalArgumentException e) {
        // A row the table rejects only in combination with the shipped rows (a duplicate).
        throw new ConfigError("knowledge", lastPart(e.getMessage()));
      }
    }
    return new ProjectConfig(
        file.toAbsolutePath().normalize(),
        target,
        pageSize,
        maxOrder == null ? null : maxOrder.intValue(),
        failOn,
        List.copyOf(exclude),
        Map.copyOf(rules),
        knowledge,
        root.get("parse") == null ? ParseConfig.NONE : ParseConfig.read(root.get("parse"), file));
  }

  /** "source:line: reason" from a table parser: the reason is what the user can act on. */
  private static String lastPart(String message) {
    if (message == null) return "rejected by the table";
    int i = message.lastIndexOf(": ");
    return i < 0 ? message : message.substring(i + 2);
  }

  private static String text(JsonNode root, String key) throws ConfigError {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new ConfigError(key, "must be a string");
    return v.asText();
  }

  private static Long number(JsonNode root, String key) throws ConfigError {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) return null;
    if (!v.isIntegralNumber()) throw new ConfigError(key, "must be an integer");
    return v.asLong();
  }

  /** Whether rule {@code id} runs. */
  public boolean enabled(String id) {
    return !OFF.equals(rules.get(id));
  }

  /** The severity the project gives rule {@code id}, if it changes it. */
  public Optional<Severity> severity(String id) {
    String v = rules.get(id);
    if (v == null || v.equals(OFF)) return Optional.empty();
    return Optional.of(Severity.valueOf(v.toUpperCase(Locale.ROOT)));
  }

  /**
   * Files (absolute, normalised) that {@code exclude} names. A glob matches the path relative to
   * the configuration's directory ('/' separated); a glob naming a directory excludes what is below
   * it. Files outside that directory are never excluded.
   */
  public Predicate<Path> excluded() {
    if (exclude.isEmpty() || file == null) return p -> false;
    Path base = file.getParent();
    List<PathMatcher> matchers = new ArrayList<>();
    for (String g : exclude) {
      String glob = g.startsWith("./") ? g.substring(2) : g;
      if (glob.endsWith("/")) glob = glob.substring(0, glob.length() - 1);
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob + "/**"));
    }
    return p -> {
      Path abs = p.toAbsolutePath().normalize();
      if (!abs.startsWith(base)) return false;
      Path rel = base.relativize(abs);
      return matchers.stream().anyMatch(m -> m.matches(rel));
    };
  }
}
