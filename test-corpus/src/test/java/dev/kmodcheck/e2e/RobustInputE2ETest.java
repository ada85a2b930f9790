package dev.kmodcheck.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odd but real inputs through the command line: each scan completes without a stack trace, and the
 * planted bug next to (or inside) the odd input is still found at its line.
 */
class RobustInputE2ETest {

  @TempDir Path dir;

  /** A kmalloc that always fails (1 GiB), the finding every case looks for. */
  private static final String BUG =
      "void *grab(void)\n{\n\treturn kmalloc(1 << 30, GFP_KERNEL);\n}\n";

  private static Cli.Run scan(Path root, String... args) {
    List<String> all = new ArrayList<>(List.of("-f", "json", "--no-config"));
    all.addAll(List.of(args));
    Cli.Run r = Cli.run(withRoot(root, all));
    assertFalse(r.err().contains("\tat "), () -> "no stack trace: " + r.err());
    assertFalse(r.err().contains("internal error"), r::err);
    return r;
  }

  private static List<String> withRoot(Path root, List<String> rest) {
    List<String> args = new ArrayList<>(List.of("check", "--source-root", root.toString()));
    args.addAll(rest);
    return args;
  }

  /** "file:line" of every kmalloc-size-limit finding. */
  private static List<String> bugs(Cli.Run r) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : r.json().path("findings")) {
      if (f.path("ruleId").asText().equals("kmalloc-size-limit")) {
        out.add(f.path("file").asText() + ":" + f.path("line").asInt());
      }
    }
    return out;
  }

  private static int skipped(Cli.Run r) {
    return r.json().at("/stats/filesSkipped").asInt();
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  @Test
  void binaryFileNamedDotC() throws IOException {
    byte[] noise = new byte[200_000];
    new Random(42).nextBytes(noise);
    Files.write(dir.resolve("blob.c"), noise);
    write("real.c", BUG);
    Cli.Run r = scan(dir, dir.toString()).expectCode(1);
    assertEquals(List.of("real.c:3"), bugs(r));
  }

  @Test
  void latin1BytesInAStringLiteral() throws IOException {
    byte[] head =
        "static const char *who = \"caf\u00e9 \u00ff\";\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] tail = BUG.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    Path f = Files.write(dir.resolve("latin1.c"), all);
    assertEquals(List.of("latin1.c:4"), bugs(scan(dir, f.toString()).expectCode(1)));
  }

  @Test
  void nulCharacterInAnIncludeName() throws IOException {
    // A name no path can hold is a missing header, not a parser failure.
    Path f = write("nul.c", "#include \"a\u0000b.h\"\n" + BUG);
    Cli.Run r = scan(dir, f.toString()).expectCode(1);
    assertEquals(List.of("nul.c:4"), bugs(r));
  }

  @Test
  void byteOrderMarkAndCrlfLineEnds() throws IOException {
    Path f = write("dos.c", "\uFEFF/* dos */\r\n" + BUG.replace("\n", "\r\n"));
    Cli.Run r = scan(dir, f.toString()).expectCode(1);
    assertEquals(List.of("dos.c:4"), bugs(r));
    assertEquals(9, r.json().at("/findings/0/column").asInt(), "the BOM is not a column");
  }

  @Test
  void twentyMegabyteFile() throws IOException {
    Random random = new Random(7);
    StringBuilder sb = new StringBuilder("static const unsigned char fw[] = {\n");
    while (sb.length() < 20 * 1024 * 1024) {
      sb.append('\t');
      for (int i = 0; i < 16; i++) sb.append(String.format("0x%02x, ", random.nextInt(256)));
      sb.append('\n');
    }
    sb.append("};\n");
    long lines = sb.chars().filter(c -> c == '\n').count();
    Path f = write("fw.c", sb + BUG);
    Cli.Run r = scan(dir, f.toString()).expectCode(1);
    assertEquals(List.of("fw.c:" + (lines + 3)), bugs(r));
    assertEquals(0, skipped(r));
  }

  @Test
  void tenThousandDeepNesting() throws IOException {
    int n = 10_000;
    write(
        "parens.c", "int p(int x)\n{\n\treturn " + "(".repeat(n) + "x" + ")".repeat(n) + ";\n}\n");
    write("blocks.c", "void b(void)\n{\n" + "{".repeat(n) + "}".repeat(n) + "\n}\n");
    write("ifs.c", "void i(int x)\n{\n" + "\tif (x)\n".repeat(n) + "\t\tx++;\n}\n");
    write("unclosed.c", "void u(void)\n{\n" + "{".repeat(n) + "\n");
    write("real.c", BUG);
    Cli.Run r = scan(dir, dir.toString()).expectCode(1);
    assertEquals(List.of("real.c:3"), bugs(r));
    // Worker threads have a deep stack: all of them are analysed, none skipped.
    assertEquals(0, skipped(r), () -> r.json().path("notifications").toString());
    assertEquals(5, r.json().at("/stats/files").asInt());
  }

  @Test
  void headerThatIncludesItself() throws IOException {
    write("mod/self.h", "#include \"self.h\"\n#define BIG (1 << 30)\n");
    write("mod/main.c", "#include \"self.h\"\n" + BUG.replace("1 << 30", "BIG"));
    Cli.Run r = scan(dir, dir.resolve("mod").toString()).expectCode(1);
    assertEquals(List.of("mod/main.c:4"), bugs(r));
  }

  @Test
  void symbolicLinkLoopsAndLinkedDirectories() throws IOException {
    write("tree/sub/real.c", BUG);
    Files.createSymbolicLink(dir.resolve("tree/sub/up"), Path.of(".."));
    Files.createSymbolicLink(dir.resolve("tree/again"), dir.resolve("tree"));
    Files.createSymbolicLink(dir.resolve("tree/dangling.c"), dir.resolve("nowhere.c"));
    Cli.Run r = scan(dir, dir.resolve("tree").toString()).expectCode(1);
    assertEquals(List.of("tree/sub/real.c:3"), bugs(r), "found once, through the real path");
    Path link = Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("tree/sub"));
    assertEquals(List.of("linked/real.c:3"), bugs(scan(dir, link.toString()).expectCode(1)));
  }
}
