package dev.kmodcheck.frontend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmodcheck.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads compile_commands.json (the Clang JSON compilation database): entries with either
 * "arguments" (an array) or "command" (a shell-quoted string), and "directory". Understands -I,
 * -isystem, -iquote, -D, -U, -include in both joined ("-Ifoo") and separate ("-I foo") forms.
 */
public final class CompileCommands {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CompileCommands() {}

  /**
   * Parses the database. Errors (unreadable file, malformed JSON, an entry without "file") throw
   * {@link BadInputException} with a one-line message naming the file and entry index.
   */
  public static List<CompileCommand> read(Path json) throws BadInputException {
    JsonNode root;
    try {
      root = JSON.readTree(json.toFile());
    } catch (JsonProcessingException e) {
      throw new BadInputException(
          json + ": malformed JSON: " + e.getOriginalMessage().replace('\n', ' '), e);
    } catch (IOException e) {
      throw new BadInputException(json + ": cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new BadInputException(json + ": expected a JSON array of compile commands");
    }
    Path base = json.toAbsolutePath().getParent();
    List<CompileCommand> out = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      out.add(entry(json, i, root.get(i), base));
    }
    return out;
  }

  private static CompileCommand entry(Path json, int index, JsonNode e, Path base)
      throws BadInputException {
    String where = json + ": entry " + index + ": ";
    if (!e.isObject()) {
      throw new BadInputException(where + "not a JSON object");
    }
    JsonNode file = e.get("file");
    if (file == null || !file.isTextual() || file.asText().isEmpty()) {
      throw new BadInputException(where + "missing \"file\"");
    }
    JsonNode dirNode = e.get("directory");
    if (dirNode != null && !dirNode.isTextual()) {
      throw new BadInputException(where + "\"directory\" is not a string");
    }
    Path dir = dirNode == null ? base : base.resolve(dirNode.asText()).normalize();
    List<String> args;
    JsonNode arguments = e.get("arguments");
    JsonNode command = e.get("command");
    if (arguments != null) {
      if (!arguments.isArray()) {
        throw new BadInputException(where + "\"arguments\" is not an array");
      }
      args = new ArrayList<>();
      for (JsonNode a : arguments) {
        if (!a.isTextual()) {
          throw new BadInputException(where + "\"arguments\" holds a non-string");
        }
        args.add(a.asText());
      }
    } else if (command != null && command.isTextual()) {
      args = ShellWords.split(command.asText());
      if (args == null) {
        throw new BadInputException(where + "unbalanced quote in \"command\"");
      }
    } else {
      throw new BadInputException(where + "neither \"arguments\" nor \"command\"");
    }
    return fromArgs(dir.resolve(file.asText()).normalize(), dir, args);
  }

  /** Collects the preprocessor options of one command line (argv[0] is the compiler). */
  static CompileCommand fromArgs(Path file, Path dir, List<String> args) {
    List<Path> quote = new ArrayList<>();
    List<Path> includes = new ArrayList<>();
    List<Path> system = new ArrayList<>();
    List<Path> forced = new ArrayList<>();
    Map<String, String> defines = new LinkedHashMap<>();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      String[] opts = {"-isystem", "-iquote", "-include", "-I", "-D", "-U"};
      for (String opt : opts) {
        if (!a.startsWith(opt)) {
          continue;
        }
        String value;
        if (a.length() > opt.length()) {
          value = a.substring(opt.length());
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          break;
        }
        switch (opt) {
          case "-isystem" -> system.add(dir.resolve(value).normalize());
          case "-iquote" -> quote.add(dir.resolve(value).normalize());
          case "-include" -> forced.add(dir.resolve(value).normalize());
          case "-I" -> includes.add(dir.resolve(value).normalize());
          case "-D" -> {
            int eq = value.indexOf('=');
            if (eq < 0) {
              defines.put(value, "1");
            } else {
              defines.put(value.substring(0, eq), value.substring(eq + 1));
            }
          }
          default -> defines.put(value, null);
        }
        break;
      }
    }
    return new CompileCommand(
        file,
        dir,
        List.copyOf(quote),
        List.copyOf(includes),
        List.copyOf(system),
        Collections.unmodifiableMap(defines),
        List.copyOf(forced));
  }
}
