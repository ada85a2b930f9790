package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.frontend.BadInputException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The kernel-summaries file format, version 1 (docs/kernel-summaries.md): UTF-8 text, gzipped or
 * not, tab-separated. Header lines {@code #key<TAB>value} first (the first one is {@code
 * #kmodcheck-kernel-summaries<TAB>1}), then per function, sorted by name:
 *
 * <pre>
 * F  name  arity  export|inline|internal  file:line
 * C  when  category  condition  api  callee@file:line ...|-  file:line  flags|-  sleeper
 * </pre>
 *
 * one F row followed by its C rows (chains), in a fixed order; {@code when} is {@code always},
 * {@code gfpK}, {@code trueK}, {@code falseK}, {@code setK:0xM}, {@code clearK:0xM} or {@code
 * eqK:V} (see {@link KernelSummaries.When}). Only names, flags and positions:
 * never kernel code beyond the text of the sleeping call itself.
 */
public final class KernelSummaryFile {

  public static final String MAGIC = "kmodcheck-kernel-summaries";
  public static final int FORMAT = 1;
  /** Header keys. */
  public static final String KERNEL = "kernel";
  public static final String LABEL = "label";
  public static final String GENERATOR = "generator";
  public static final String TOOL = "tool";
  public static final String FUNCTIONS = "functions";

  private KernelSummaryFile() {}

  /** Reads a file; errors name {@code source} and the line. */
  public static KernelSummaries read(InputStream raw, String source)
      throws IOException, BadInputException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) in = new GZIPInputStream(in, 1 << 16);
    BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    Map<String, String> header = new LinkedHashMap<>();
    Map<String, KernelSummaries.Function> functions = new HashMap<>();
    String line;
    int lineNo = 0;
    String name = null;
    int arity = 0;
    String file = null;
    int defLine = 0;
    KernelSummaries.Kind kind = null;
    List<KernelSummaries.Chain> chains = new ArrayList<>();
    while ((line = r.readLine()) != null) {
      lineNo++;
      try {
        if (lineNo == 1) {
          if (!line.equals("#" + MAGIC + "\t" + FORMAT)) {
            throw new IllegalArgumentException(
                "not a kmodcheck kernel-summaries file of format " + FORMAT
                    + " (first line must be '#" + MAGIC + "<TAB>" + FORMAT + "')");
          }
          continue;
        }
        if (line.isEmpty()) continue;
        String[] c = line.split("\t", -1);
        if (line.startsWith("#")) {
          if (c.length == 2) header.put(c[0].substring(1), c[1]);
          continue;
        }
        if (c[0].equals("F")) {
          need(c, 5);
          if (name != null) {
            functions.put(name, new KernelSummaries.Function(
                name, arity, kind, file, defLine, List.copyOf(chains)));
          }
          name = c[1];
          arity = Integer.parseInt(c[2]);
          kind = KernelSummaries.Kind.valueOf(c[3].toUpperCase(java.util.Locale.ROOT));
          int colon = c[4].lastIndexOf(':');
          file = c[4].substring(0, colon);
          defLine = Integer.parseInt(c[4].substring(colon + 1));
          chains.clear();
        } else if (c[0].equals("C")) {
          need(c, 9);
          if (name == null) throw new IllegalArgumentException("chain before any function");
          chains.add(chain(c));
        } else {
          throw new IllegalArgumentException("unknown row kind '" + c[0] + "'");
        }
      } catch (RuntimeException e) {
        throw new BadInputException(source + ":" + lineNo + ": " + e.getMessage(), e);
      }
    }
    if (lineNo == 0) throw new BadInputException(source + ": empty kernel-summaries file");
    if (name != null) {
      functions.put(name,
          new KernelSummaries.Function(name, arity, kind, file, defLine, List.copyOf(chains)));
    }
    return KernelSummaries.of(functions, header);
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
    List<KernelSummaries.Call> calls = new ArrayList<>();
    if (!c[5].equals("-")) {
      for (String call : c[5].split(" ")) {
        int at = call.indexOf('@');
        int colon = call.lastIndexOf(':');
        if (at <= 0 || colon < at) throw new IllegalArgumentException("bad call '" + call + "'");
        calls.add(new KernelSummaries.Call(
            call.substring(0, at), call.substring(at + 1, colon),
            Integer.parseInt(call.substring(colon + 1))));
      }
    }
    int colon = c[6].lastIndexOf(':');
    return new KernelSummaries.Chain(
        w,
        param,
        value,
        SleepCategory.valueOf(c[2]),
        SleepApis.Condition.valueOf(c[3]),
        c[4],
        List.copyOf(calls),
        c[6].substring(0, colon),
        Integer.parseInt(c[6].substring(colon + 1)),
        c[8],
        c[7].equals("-") ? null : c[7]);
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
    sorted.sort(java.util.Comparator.comparing(KernelSummaries.Function::name));
    StringBuilder sb = new StringBuilder(256);
    for (KernelSummaries.Function f : sorted) {
      sb.setLength(0);
      sb.append("F\t").append(f.name()).append('\t').append(f.arity()).append('\t')
          .append(f.kind().name().toLowerCase(java.util.Locale.ROOT)).append('\t')
          .append(f.file()).append(':').append(f.line()).append('\n');
      for (KernelSummaries.Chain ch : f.chains()) {
        sb.append("C\t").append(ch.when().text(ch.param(), ch.value()))
            .append('\t').append(ch.category()).append('\t').append(ch.condition())
            .append('\t').append(ch.api()).append('\t');
        if (ch.calls().isEmpty()) sb.append('-');
        for (int i = 0; i < ch.calls().size(); i++) {
          KernelSummaries.Call call = ch.calls().get(i);
          if (i > 0) sb.append(' ');
          sb.append(call.callee()).append('@').append(call.file()).append(':').append(call.line());
        }
        sb.append('\t').append(ch.file()).append(':').append(ch.line()).append('\t')
            .append(ch.flags() == null ? "-" : oneLine(ch.flags())).append('\t')
            .append(oneLine(ch.sleeper())).append('\n');
      }
      out.write(sb.toString());
    }
  }

  private static String oneLine(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
