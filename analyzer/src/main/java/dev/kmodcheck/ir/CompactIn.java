package dev.kmodcheck.ir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what {@link CompactOut} wrote. Damaged input (cut short, numbers out of range) throws
 * {@link IllegalStateException} or an index exception, never allocates beyond its input's size:
 * callers treat any runtime exception as "not readable".
 */
public final class CompactIn {

  private final byte[] buf;
  private int pos;
  private final List<String> strings = new ArrayList<>();

  public CompactIn(byte[] buf) {
    this.buf = buf;
  }

  public int varint() {
    long v = varlong();
    if (v > 0xffffffffL) throw new IllegalStateException("varint out of range");
    return (int) v;
  }

  /** A number of items to follow: each takes a byte at least, so more than remain is damage. */
  public int count() {
    int n = varint();
    if (n < 0 || n > buf.length - pos) throw new IllegalStateException("count past the end");
    return n;
  }

  public long varlong() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = buf[pos++];
      v |= (long) (b & 0x7f) << shift;
      if (b >= 0) return v;
    }
    throw new IllegalStateException("varint too long");
  }

  public boolean bool() {
    int v = varint();
    if (v > 1) throw new IllegalStateException("not a boolean: " + v);
    return v == 1;
  }

  public String string() {
    int k = varint();
    if (k == 0) return null;
    if (k >= 2) {
      if (k - 2 >= strings.size()) throw new IllegalStateException("unknown string " + k);
      return strings.get(k - 2);
    }
    int n = count();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    strings.add(s);
    return s;
  }

  public SrcRange range() {
    String file = string();
    if (file == null) return null;
    return new SrcRange(file, varint(), varint(), varint(), varint());
  }

  public byte[] bytes() {
    int n = count();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  public boolean atEnd() {
    return pos == buf.length;
  }
}
