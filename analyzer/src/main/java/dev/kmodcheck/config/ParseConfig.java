package dev.kmodcheck.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kmodcheck.kernel.KernelVersion;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code parse} object of {@code .kmodcheck.json}: how header-less scans preprocess, as the
 * command line's {@code --kernel-version}, {@code -I}, {@code -D}, {@code -U}, {@code -include} and
 * {@code --no-kbuild} say it (the command line wins). Paths are relative to the configuration's
 * directory and must stay inside it: a configuration never makes kmodcheck read elsewhere.
 *
 * @param kernelVersion null: not set
 * @param includes absolute, normalised directories
 * @param defines name to value ("1" when none is given); a null value is an undefine
 * @param forcedIncludes absolute, normalised files
 * @param kbuild null: not set
 */
public record ParseConfig(
    KernelVersion kernelVersion,
    List<Path> includes,
    Map<String, String> defines,
    List<Path> forcedIncludes,
    Boolean kbuild) {

  public static final ParseConfig NONE =
      new ParseConfig(null, List.of(), Map.of(), List.of(), null);

  private static final List<String> KEYS =
      List.of("kernelVersion", "includes", "defines", "undefines", "forcedIncludes", "kbuild");
  private static final Pattern MACRO = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  static ParseConfig read(JsonNode node, Path file) throws ConfigError {
    if (!node.isObject()) throw new ConfigError("parse", "must be an object");
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new ConfigError(
            "parse." + key, "unknown key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    KernelVersion version = null;
    JsonNode v = node.get("kernelVersion");
    if (v != null) {
      if (!v.isTextual()) throw new ConfigError("parse.kernelVersion", "must be a string");
      version =
          KernelVersion.parse(v.asText())
              .orElseThrow(
                  () -> new ConfigError("parse.kernelVersion", "must be X.Y or X.Y.Z (0..255)"));
    }
    Path base = file.toAbsolutePath().normalize().getParent();
    List<Path> includes = new ArrayList<>();
    for (String s : strings(node, "includes")) {
      includes.add(inside(base, s, "parse.includes", true));
    }
    List<Path> forced = new ArrayList<>();
    for (String s : strings(node, "forcedIncludes")) {
      forced.add(inside(base, s, "parse.forcedIncludes", false));
    }
    Map<String, String> defines = new LinkedHashMap<>();
    for (String d : strings(node, "defines")) {
      int eq = d.indexOf('=');
      String name = eq < 0 ? d : d.substring(0, eq);
      if (!MACRO.matcher(name).matches()) {
        throw new ConfigError("parse.defines", "'" + name + "' is not a macro name");
      }
      defines.put(name, eq < 0 ? "1" : d.substring(eq + 1));
    }
    for (String u : strings(node, "undefines")) {
      if (!MACRO.matcher(u).matches()) {
        throw new ConfigError("parse.undefines", "'" + u + "' is not a macro name");
      }
      defines.put(u, null);
    }
    Boolean kbuild = null;
    JsonNode k = node.get("kbuild");
    if (k != null) {
      if (!k.isBoolean()) throw new ConfigError("parse.kbuild", "must be true or false");
      kbuild = k.asBoolean();
    }
    return new ParseConfig(
        version,
        List.copyOf(includes),
        Collections.unmodifiableMap(defines),
        List.copyOf(forced),
        kbuild);
  }

  private static List<String> strings(JsonNode node, String key) throws ConfigError {
    JsonNode a = node.get(key);
    if (a == null) return List.of();
    if (!a.isArray()) throw new ConfigError("parse." + key, "must be an array of strings");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).isTextual() || a.get(i).asText().isBlank()) {
        throw new ConfigError("parse." + key + "[" + i + "]", "must be a non-empty string");
      }
      out.add(a.get(i).asText());
    }
    return out;
  }

  private static Path inside(Path base, String rel, String key, boolean directory)
      throws ConfigError {
    Path p;
    try {
      p = base.resolve(rel).normalize();
    } catch (InvalidPathException e) {
      throw new ConfigError(key, "'" + rel + "' is not a path");
    }
    if (Path.of(rel).isAbsolute() || !p.startsWith(base)) {
      throw new ConfigError(key, "'" + rel + "' must be inside the configuration's directory");
    }
    if (directory ? !Files.isDirectory(p) : !Files.isRegularFile(p)) {
      throw new ConfigError(key, "'" + rel + "': no such " + (directory ? "directory" : "file"));
    }
    return p;
  }
}
