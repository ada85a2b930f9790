package dev.kmodcheck;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's version and home page, from the build. */
public final class Version {
  private static final Properties PROPS = new Properties();

  static {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) PROPS.load(in);
    } catch (IOException ignored) {
      // stays "unknown"
    }
  }

  private Version() {}

  public static String version() {
    return PROPS.getProperty("version", "unknown");
  }

  public static String informationUri() {
    return PROPS.getProperty("url", "https://github.com/kmodcheck/kmodcheck");
  }
}
