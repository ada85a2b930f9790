package dev.kmodcheck;

/**
 * Input the user must fix (a missing file, a malformed compile_commands.json, ...). The message is
 * one line that names the bad input; the CLI prints it and exits with code 2.
 */
public class BadInputException extends Exception {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
