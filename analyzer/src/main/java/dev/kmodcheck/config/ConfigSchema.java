package dev.kmodcheck.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The published JSON Schema of {@code .kmodcheck.json} (resource {@value #RESOURCE}, also what
 * editors read through the file's {@code $schema} key), used as the first check of a configuration.
 * Its findings become the loader's one-line "key: reason" errors.
 */
final class ConfigSchema {

  static final String RESOURCE = "/dev/kmodcheck/config/kmodcheck.schema.json";

  private static volatile ConfigSchema instance;

  private final JsonNode tree;
  private final JsonSchema schema;

  private ConfigSchema(JsonNode tree) {
    this.tree = tree;
    // Draft 2020-12's meta-schema is built into the library: nothing is fetched.
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(tree);
  }

  static ConfigSchema get() {
    ConfigSchema s = instance;
    if (s == null) {
      try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
        if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
        s = new ConfigSchema(new ObjectMapper().readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      instance = s;
    }
    return s;
  }

  /** The schema itself, for tests that compare it with the code's tables. */
  JsonNode tree() {
    return tree;
  }

  /** Throws the first violation (in document order of the keys), worded for a person. */
  void check(JsonNode config) throws ConfigError {
    Set<ValidationMessage> messages = schema.validate(config);
    if (messages.isEmpty()) return;
    List<ValidationMessage> sorted = new ArrayList<>(messages);
    // The deepest, most specific message first: oneOf only says "none of the forms matched", and
    // an alternative's type mismatch is no news when another form got further into the value.
    sorted.sort(
        Comparator.comparing((ValidationMessage m) -> "oneOf".equals(m.getType()))
            .thenComparing(m -> -m.getInstanceLocation().getNameCount())
            .thenComparing(m -> key(m.getInstanceLocation(), null))
            .thenComparing(ValidationMessage::getType));
    ValidationMessage m = sorted.get(0);
    throw new ConfigError(keyOf(m), reason(m));
  }

  private static String keyOf(ValidationMessage m) {
    boolean names = "additionalProperties".equals(m.getType()) || "required".equals(m.getType());
    return key(m.getInstanceLocation(), names ? m.getProperty() : null);
  }

  /** {@code knowledge.allocApis[0].name}, as the hand-written checks name keys. */
  static String key(JsonNodePath path, String property) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object e = path.getElement(i);
      if (e instanceof Integer n) {
        out.append('[').append(n).append(']');
      } else {
        if (out.length() > 0) out.append('.');
        out.append(e);
      }
    }
    if (property != null) {
      if (out.length() > 0) out.append('.');
      out.append(property);
    }
    return out.length() == 0 ? "(top level)" : out.toString();
  }

  private String reason(ValidationMessage m) {
    JsonNode at = schemaAt(m.getInstanceLocation());
    JsonNode value = m.getInstanceNode();
    return switch (m.getType()) {
      case "additionalProperties" ->
          m.getInstanceLocation().getNameCount() == 1
                  && "rules".equals(m.getInstanceLocation().getElement(0))
              ? "unknown rule (kmodcheck rules lists them)"
              : "unknown key (known: " + String.join(", ", names(at.path("properties"))) + ")";
      case "required" -> "is required";
      case "enum" ->
          "unknown value "
              + shown(value)
              + " (known: "
              + String.join(", ", values(at.path("enum")))
              + ")";
      case "const" -> "must be " + at.path("const") + " (the only configuration format so far)";
      case "type" -> "must be " + types(expectedTypes(at));
      case "minimum", "maximum" ->
          "must be from " + at.path("minimum").asText() + " to " + at.path("maximum").asText();
      case "pattern", "minLength" -> "must not be empty or blank";
      case "minItems" -> "must not be an empty array";
      default -> m.getError() == null ? m.getMessage() : m.getError();
    };
  }

  /** The schema node describing the value at {@code path}. */
  private JsonNode schemaAt(JsonNodePath path) {
    JsonNode s = tree;
    for (int i = 0; i < path.getNameCount(); i++) {
      Object e = path.getElement(i);
      String part = e instanceof Integer ? "items" : "properties";
      // A value of several forms (oneOf): the form that has items or properties.
      if (!s.has(part)) {
        for (JsonNode alternative : s.path("oneOf")) if (alternative.has(part)) s = alternative;
      }
      s = e instanceof Integer ? s.path("items") : s.path("properties").path(String.valueOf(e));
      s = resolve(s);
    }
    return s;
  }

  private JsonNode resolve(JsonNode s) {
    String ref = s.path("$ref").asText("");
    if (!ref.startsWith("#/$defs/")) return s;
    return tree.path("$defs").path(ref.substring("#/$defs/".length()));
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!n.startsWith("$")) out.add(n);
    }
    return out;
  }

  private static List<String> values(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  private static String shown(JsonNode v) {
    return v == null ? "?" : v.isTextual() ? "'" + v.asText() + "'" : v.toString();
  }

  /** The types a value may have: the node's own, or those of its oneOf alternatives. */
  private static JsonNode expectedTypes(JsonNode at) {
    if (at.has("type") || !at.has("oneOf")) return at.path("type");
    var all = JsonNodeFactory.instance.arrayNode();
    for (JsonNode alternative : at.path("oneOf")) {
      JsonNode t = alternative.path("type");
      if (t.isArray()) t.forEach(x -> addOnce(all, x));
      else addOnce(all, t);
    }
    return all;
  }

  private static void addOnce(ArrayNode list, JsonNode v) {
    for (JsonNode x : list) if (x.equals(v)) return;
    list.add(v);
  }

  private static String types(JsonNode type) {
    List<String> words = new ArrayList<>();
    if (type.isArray()) type.forEach(t -> words.add(article(t.asText())));
    else words.add(article(type.asText()));
    return String.join(" or ", words);
  }

  private static String article(String type) {
    return switch (type) {
      case "array", "object", "integer" -> "an " + type;
      default -> "a " + type;
    };
  }
}
