package dev.kmodcheck.frontend;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads compile_commands.json (the Clang JSON compilation database): entries with either
 * "arguments" (an array) or "command" (a shell-quoted string), and "directory". Understands -I,
 * -isystem, -iquote, -D, -U, -include in both joined ("-Ifoo") and separate ("-I foo") forms.
 */
public final class CompileCommands {

  private CompileCommands() {}

  /**
   * Parses the database. Errors (unreadable file, malformed JSON, an entry without "file") throw
   * {@link BadInputException} with a one-line message naming the file and entry index.
   */
  public static List<CompileCommand> read(Path json) throws BadInputException {
    throw new UnsupportedOperationException("TODO");
  }
}
