package dev.kmodcheck.config;

/** A configuration mistake at one key; the loader adds the file name. */
final class ConfigError extends Exception {
  private final String key;

  ConfigError(String key, String reason) {
    super(reason);
    this.key = key;
  }

  String key() {
    return key;
  }
}
