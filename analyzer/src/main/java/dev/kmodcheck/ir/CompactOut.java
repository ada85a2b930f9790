package dev.kmodcheck.ir;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the compact binary form the scan cache keeps (its index, stored translation units):
 * integers as varints, each distinct string once and then by number. {@link CompactIn} reads it.
 * Strings: 0 null, 1 a new string (its UTF-8 length and bytes follow), k >= 2 the (k-2)th string.
 */
public final class CompactOut {

  private byte[] buf = new byte[1 << 12];
  private int len;
  private final Map<String, Integer> strings = new HashMap<>();

  public void varint(int v) {
    varlong(v & 0xffffffffL);
  }

  public void varlong(long v) {
    ensure(10);
    while ((v & ~0x7fL) != 0) {
      buf[len++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }

  public void bool(boolean b) {
    varint(b ? 1 : 0);
  }

  public void string(String s) {
    if (s == null) {
      varint(0);
      return;
    }
    Integer id = strings.get(s);
    if (id != null) {
      varint(id + 2);
      return;
    }
    strings.put(s, strings.size());
    varint(1);
    bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A source range; null (a finding without a place) as a null file. */
  public void range(SrcRange r) {
    if (r == null) {
      string(null);
      return;
    }
    string(r.file());
    varint(r.line());
    varint(r.column());
    varint(r.endLine());
    varint(r.endColumn());
  }

  /**
   * A length and the bytes; null as length 0 is not told apart from empty: callers that care tag.
   */
  public void bytes(byte[] b) {
    varint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void ensure(int more) {
    if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
