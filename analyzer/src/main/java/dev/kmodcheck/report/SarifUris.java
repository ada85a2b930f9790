package dev.kmodcheck.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** URIs as SARIF wants them: relative ones for results, a file: URI for the source root. */
final class SarifUris {

  private static final String HEX = "0123456789ABCDEF";

  private SarifUris() {}

  /**
   * A relative path as a relative URI reference: '/' separated, each segment percent-encoded except
   * RFC 3986 unreserved characters and the sub-delimiters that are legal in a path. ':' is always
   * encoded, since "c:foo.c" would otherwise read as a URI with scheme "c".
   */
  static String relative(String path) {
    String p = path.replace('\\', '/');
    StringBuilder out = new StringBuilder(p.length() + 8);
    for (byte b : p.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isLiteral(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
      }
    }
    return out.toString();
  }

  private static boolean isLiteral(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=@/".indexOf(c) >= 0;
  }

  /** The source root as an absolute file: URI ending in '/', as originalUriBaseIds requires. */
  static String directory(Path root) {
    String uri = root.toAbsolutePath().normalize().toUri().toASCIIString();
    return uri.endsWith("/") ? uri : uri + "/";
  }
}
