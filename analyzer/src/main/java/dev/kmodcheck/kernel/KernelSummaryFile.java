package dev.kmodcheck.kernel;

import dev.kmodcheck.BadInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * The kernel-summaries file format, version 4 (docs/kernel-summaries.md): UTF-8 text, gzipped or
 * not, tab-separated. Header lines {@code #key<TAB>value} first (the first one is {@code
 * #kmodcheck-kernel-summaries<TAB>4}; files of versions 1 to 3, without some of the columns, are
 * read too), then per function, sorted by name:
 *
 * <pre>
 * F  name  arity[+]  export|inline|internal  file:line  arch|-
 * C  when  category  condition  api  callee@file:line ...|-  file:line  flags|-  sleeper
 *    conditions|-  arch|-
 * A  kind  lock|-  file:line  description
 * R  lock|kind  kinds|-
 * K  param[.field]  kind  api  callee@file:line ...|-  file:line  how
 * V  what  file:line
 * </pre>
 *
 * one F row followed by its C rows (chains), A rows (locks it returns holding), R rows (caller's
 * locks it releases), K rows (parameters registered as atomic callbacks) and V rows (vmalloc memory
 * it may return), each kind in a fixed order; {@code when} is {@code always}, {@code gfpK}, {@code
 * trueK}, {@code falseK}, {@code setK:0xM}, {@code clearK:0xM} or {@code eqK:V} (see {@link
 * KernelSummaries.When}). Only names, flags and positions: never kernel code beyond the text of the
 * sleeping call itself.
 */
public final class KernelSummaryFile {

  public static final String MAGIC = "kmodcheck-kernel-summaries";
  public static final int FORMAT = 4;

  /** Between the conditions of a chain (format 3's tenth C column). */
  private static final String CONDITION_SEPARATOR = " && ";

  /** The oldest format the reader still takes. */
  public static final int OLDEST_FORMAT = 1;

  /** Header keys. */
  public static final String KERNEL = "kernel";

  public static final String LABEL = "label";
  public static final String GENERATOR = "generator";
  public static final String TOOL = "tool";
  public static final String FUNCTIONS = "functions";

  /** The architecture whose own definitions the file describes beside generic code (format 4). */
  public static final String ARCH = "arch";

  private KernelSummaryFile() {}

  /** Reads a file whole; errors name {@code source} and the line. */
  public static KernelSummaries read(InputStream raw, String source)
      throws IOException, BadInputException {
    Blocks b = blocks(raw, source);
    Map<String, KernelSummaries.Function> functions = new HashMap<>();
    for (Block block : b.functions.values()) {
      KernelSummaries.Function f = parse(block, source);
      functions.put(f.name(), f);
    }
    return KernelSummaries.of(functions, b.header);
  }

  /**
   * Reads a file whose rows were checked when it was made (the shipped resources): each function's
   * rows are split off now and parsed at its first lookup, as a scan looks up a few hundred of the
   * tens of thousands of names. A malformed row then fails that lookup.
   */
  static KernelSummaries readLazily(InputStream raw, String source)
      throws IOException, BadInputException {
    Blocks b = blocks(raw, source);
    Function<String, KernelSummaries.Function> parser =
        name -> {
          Block block = b.functions.get(name);
          if (block == null) return null;
          try {
            return parse(block, source);
          } catch (BadInputException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
        };
    return KernelSummaries.lazy(b.functions.keySet(), parser, b.header);
  }

  /**
   * One function's rows: the text from its F row to the next F row (or the end), and the line
   * number of the F row, counted only when an error needs it.
   */
  private record Block(String text, int start, int end) {
    List<String> rows() {
      List<String> out = new ArrayList<>(4);
      int i = start;
      while (i < end) {
        int nl = text.indexOf('\n', i);
        if (nl < 0 || nl > end) nl = end;
        String row = text.substring(i, nl);
        if (!row.isEmpty() && row.charAt(0) != '#') out.add(row);
        i = nl + 1;
      }
      return out;
    }

    int firstLine() {
      int line = 1;
      for (int i = 0; i < start; i++) if (text.charAt(i) == '\n') line++;
      return line;
    }
  }

  private record Blocks(Map<String, String> header, Map<String, Block> functions) {}

  /**
   * Splits the file into the header and one {@link Block} per function, by the offsets of its F
   * rows only: a shipped file has some 60,000 rows, of which a scan reads a few hundred.
   */
  private static Blocks blocks(InputStream raw, String source)
      throws IOException, BadInputException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) in = new GZIPInputStream(in, 1 << 16);
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    if (text.isEmpty()) throw new BadInputException(source + ": empty kernel-summaries file");
    int firstEnd = text.indexOf('\n');
    String first = firstEnd < 0 ? text : text.substring(0, firstEnd);
    if (!first.startsWith("#" + MAGIC + "\t") || !knownFormat(first)) {
      throw new BadInputException(
          source
              + ":1: not a kmodcheck kernel-summaries file of"
              + " format "
              + OLDEST_FORMAT
              + " to "
              + FORMAT
              + " (first line must be '#"
              + MAGIC
              + "<TAB>"
              + FORMAT
              + "')");
    }
    Map<String, String> header = new LinkedHashMap<>();
    int i = firstEnd < 0 ? text.length() : firstEnd + 1;
    int line = 2;
    // Header lines, up to the first row that is not a comment.
    while (i < text.length() && (text.charAt(i) == '#' || text.charAt(i) == '\n')) {
      int nl = text.indexOf('\n', i);
      if (nl < 0) nl = text.length();
      String[] c = text.substring(i, nl).split("\t", -1);
      if (c.length == 2 && c[0].startsWith("#")) header.put(c[0].substring(1), c[1]);
      i = nl + 1;
      line++;
    }
    if (i < text.length() && !text.startsWith("F\t", i)) {
      throw new BadInputException(source + ":" + line + ": row before any function");
    }
    Map<String, Block> functions = new HashMap<>();
    while (i < text.length()) {
      int next = text.indexOf("\nF\t", i);
      int end = next < 0 ? text.length() : next + 1;
      int tab = text.indexOf('\t', i + 2);
      int nl = text.indexOf('\n', i);
      int nameEnd = tab < 0 || (nl >= 0 && nl < tab) ? (nl < 0 ? end : nl) : tab;
      functions.put(text.substring(i + 2, nameEnd), new Block(text, i, end));
      i = end;
    }
    return new Blocks(header, functions);
  }

  private static KernelSummaries.Function parse(Block block, String source)
      throws BadInputException {
    Rows f = null;
    List<String> rows = block.rows();
    for (int i = 0; i < rows.size(); i++) {
      String line = rows.get(i);
      try {
        String[] c = line.split("\t", -1);
        if (f == null) {
          // Format 4 adds the definition's architecture as a sixth column.
          if (c.length != 6) need(c, 5);
          f = new Rows(c);
          continue;
        }
        switch (c[0]) {
          case "C" -> {
            // Format 3 adds the chain's conditions as a tenth column, format 4 its architecture.
            if (c.length != 10 && c.length != 11) need(c, 9);
            f.chains.add(chain(c));
          }
          case "A" -> {
            need(c, 5);
            int colon = c[3].lastIndexOf(':');
            f.acquired.add(
                new KernelSummaries.Acquired(
                    AtomicKind.valueOf(c[1]),
                    c[2].equals("-") ? null : c[2],
                    c[3].substring(0, colon),
                    Integer.parseInt(c[3].substring(colon + 1)),
                    c[4]));
          }
          case "R" -> {
            need(c, 3);
            List<AtomicKind> kinds = new ArrayList<>();
            if (!c[2].equals("-")) {
              for (String k : c[2].split("\\+")) {
                kinds.add(AtomicKind.valueOf(k));
              }
            }
            f.released.add(new KernelSummaries.Released(c[1], List.copyOf(kinds)));
          }
          case "K" -> {
            need(c, 7);
            int dot = c[1].indexOf('.');
            int colon = c[5].lastIndexOf(':');
            f.callbacks.add(
                new KernelSummaries.Callback(
                    Integer.parseInt(dot < 0 ? c[1] : c[1].substring(0, dot)),
                    dot < 0 ? null : c[1].substring(dot + 1),
                    AtomicKind.valueOf(c[2]),
                    c[3],
                    calls(c[4]),
                    c[5].substring(0, colon),
                    Integer.parseInt(c[5].substring(colon + 1)),
                    c[6]));
          }
          case "V" -> {
            need(c, 3);
            int colon = c[2].lastIndexOf(':');
            f.returns.add(
                new KernelSummaries.Returned(
                    c[1], c[2].substring(0, colon), Integer.parseInt(c[2].substring(colon + 1))));
          }
          default -> throw new IllegalArgumentException("unknown row kind '" + c[0] + "'");
        }
      } catch (RuntimeException e) {
        throw new BadInputException(
            source + ":" + (block.firstLine() + i) + ": " + e.getMessage(), e);
      }
    }
    return f.function();
  }

  private static boolean knownFormat(String firstLine) {
    String v = firstLine.substring(MAGIC.length() + 2);
    for (int f = OLDEST_FORMAT; f <= FORMAT; f++) if (v.equals(Integer.toString(f))) return true;
    return false;
  }

  /** One function's rows while they are read. */
  private static final class Rows {
    final String name;
    final int arity;
    final boolean varargs;
    final KernelSummaries.Kind kind;
    final String file;
    final int line;
    final String arch;
    final List<KernelSummaries.Chain> chains = new ArrayList<>();
    final List<KernelSummaries.Acquired> acquired = new ArrayList<>();
    final List<KernelSummaries.Released> released = new ArrayList<>();
    final List<KernelSummaries.Callback> callbacks = new ArrayList<>();
    final List<KernelSummaries.Returned> returns = new ArrayList<>();

    Rows(String[] c) {
      name = c[1];
      varargs = c[2].endsWith("+");
      arity = Integer.parseInt(varargs ? c[2].substring(0, c[2].length() - 1) : c[2]);
      kind = KernelSummaries.Kind.valueOf(c[3].toUpperCase(Locale.ROOT));
      int colon = c[4].lastIndexOf(':');
      file = c[4].substring(0, colon);
      line = Integer.parseInt(c[4].substring(colon + 1));
      arch = c.length > 5 ? arch(c[5]) : null;
    }

    KernelSummaries.Function function() {
      return new KernelSummaries.Function(
          name,
          arity,
          kind,
          file,
          line,
          List.copyOf(chains),
          List.copyOf(acquired),
          List.copyOf(released),
          List.copyOf(callbacks),
          List.copyOf(returns),
          varargs,
          arch);
    }
  }

  private static void need(String[] c, int n) {
    if (c.length != n) {
      throw new IllegalArgumentException(
          "expected " + n + " tab-separated columns, got " + c.length);
    }
  }

  private static KernelSummaries.Chain chain(String[] c) {
    String when = c[1];
    int digits = 0;
    while (digits < when.length() && !Character.isDigit(when.charAt(digits))) digits++;
    KernelSummaries.When w = KernelSummaries.When.ofWord(when.substring(0, digits));
    int param = -1;
    long value = 0;
    if (w != KernelSummaries.When.ALWAYS) {
      String rest = when.substring(digits);
      int colon = rest.indexOf(':');
      param = Integer.parseInt(colon < 0 ? rest : rest.substring(0, colon));
      if (w.hasValue() != colon >= 0) throw new IllegalArgumentException("bad condition " + when);
      if (colon >= 0) {
        String v = rest.substring(colon + 1);
        value = v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
      }
    }
    List<KernelSummaries.Call> calls = calls(c[5]);
    int colon = c[6].lastIndexOf(':');
    return new KernelSummaries.Chain(
        w,
        param,
        value,
        SleepCategory.valueOf(c[2]),
        SleepApis.Condition.valueOf(c[3]),
        c[4],
        calls,
        c[6].substring(0, colon),
        Integer.parseInt(c[6].substring(colon + 1)),
        c[8],
        c[7].equals("-") ? null : c[7],
        c.length > 9 && !c[9].equals("-")
            ? List.of(c[9].split(CONDITION_SEPARATOR, -1))
            : List.of(),
        c.length > 10 ? arch(c[10]) : null);
  }

  private static String arch(String column) {
    if (column.equals("-")) return null;
    if (!column.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("bad architecture '" + column + "'");
    }
    return column;
  }

  /** "f@a.c:3 g@b.c:9", or "-" for none. */
  private static List<KernelSummaries.Call> calls(String text) {
    if (text.equals("-")) return List.of();
    List<KernelSummaries.Call> calls = new ArrayList<>();
    for (String call : text.split(" ")) {
      int at = call.indexOf('@');
      int colon = call.lastIndexOf(':');
      if (at <= 0 || colon < at) throw new IllegalArgumentException("bad call '" + call + "'");
      calls.add(
          new KernelSummaries.Call(
              call.substring(0, at),
              call.substring(at + 1, colon),
              Integer.parseInt(call.substring(colon + 1))));
    }
    return List.copyOf(calls);
  }

  /**
   * Writes {@code functions} (any order: they are sorted by name here) after the header {@code
   * fields} (written in their given order, after the magic line).
   */
  public static void write(
      Writer out, Map<String, String> fields, Collection<KernelSummaries.Function> functions)
      throws IOException {
    out.write("#" + MAGIC + "\t" + FORMAT + "\n");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      out.write("#" + e.getKey() + "\t" + oneLine(e.getValue()) + "\n");
    }
    List<KernelSummaries.Function> sorted = new ArrayList<>(functions);
    sorted.sort(Comparator.comparing(KernelSummaries.Function::name));
    StringBuilder sb = new StringBuilder(256);
    for (KernelSummaries.Function f : sorted) {
      sb.setLength(0);
      sb.append("F\t")
          .append(f.name())
          .append('\t')
          .append(f.arity())
          .append(f.varargs() ? "+" : "")
          .append('\t')
          .append(f.kind().name().toLowerCase(Locale.ROOT))
          .append('\t')
          .append(f.file())
          .append(':')
          .append(f.line())
          .append('\t')
          .append(f.arch() == null ? "-" : f.arch())
          .append('\n');
      for (KernelSummaries.Chain ch : f.chains()) {
        sb.append("C\t")
            .append(ch.when().text(ch.param(), ch.value()))
            .append('\t')
            .append(ch.category())
            .append('\t')
            .append(ch.condition())
            .append('\t')
            .append(ch.api())
            .append('\t');
        appendCalls(sb, ch.calls());
        sb.append('\t')
            .append(ch.file())
            .append(':')
            .append(ch.line())
            .append('\t')
            .append(ch.flags() == null ? "-" : oneLine(ch.flags()))
            .append('\t')
            .append(oneLine(ch.sleeper()))
            .append('\t')
            .append(
                ch.conditions().isEmpty()
                    ? "-"
                    : oneLine(String.join(CONDITION_SEPARATOR, ch.conditions())))
            .append('\t')
            .append(ch.arch() == null ? "-" : ch.arch())
            .append('\n');
      }
      for (KernelSummaries.Acquired a : f.acquired()) {
        sb.append("A\t")
            .append(a.kind())
            .append('\t')
            .append(a.lock() == null ? "-" : a.lock())
            .append('\t')
            .append(a.file())
            .append(':')
            .append(a.line())
            .append('\t')
            .append(oneLine(a.description()))
            .append('\n');
      }
      for (KernelSummaries.Released rel : f.released()) {
        sb.append("R\t").append(rel.lock()).append('\t');
        if (rel.kinds().isEmpty()) sb.append('-');
        for (int i = 0; i < rel.kinds().size(); i++) {
          sb.append(i > 0 ? "+" : "").append(rel.kinds().get(i));
        }
        sb.append('\n');
      }
      for (KernelSummaries.Callback k : f.callbacks()) {
        sb.append("K\t")
            .append(k.where())
            .append('\t')
            .append(k.kind())
            .append('\t')
            .append(k.api())
            .append('\t');
        appendCalls(sb, k.calls());
        sb.append('\t')
            .append(k.file())
            .append(':')
            .append(k.line())
            .append('\t')
            .append(oneLine(k.how()))
            .append('\n');
      }
      for (KernelSummaries.Returned v : f.returns()) {
        sb.append("V\t")
            .append(v.what())
            .append('\t')
            .append(v.file())
            .append(':')
            .append(v.line())
            .append('\n');
      }
      out.write(sb.toString());
    }
  }

  private static void appendCalls(StringBuilder sb, List<KernelSummaries.Call> calls) {
    if (calls.isEmpty()) sb.append('-');
    for (int i = 0; i < calls.size(); i++) {
      KernelSummaries.Call call = calls.get(i);
      if (i > 0) sb.append(' ');
      sb.append(call.callee()).append('@').append(call.file()).append(':').append(call.line());
    }
  }

  private static String oneLine(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
