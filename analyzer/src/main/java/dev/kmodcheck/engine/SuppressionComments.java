package dev.kmodcheck.engine;

import dev.kmodcheck.ir.SrcRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the suppression comments of one source file:
 *
 * <pre>
 * p = vzalloc(n);  /&#42; kmodcheck-ignore[vmalloc-in-atomic]: called before the IRQ is enabled &#42;/
 * /&#42; kmodcheck-ignore-function[sleep-in-atomic, vmalloc-in-atomic]: runs only at probe &#42;/
 * static int foo_probe(struct pci_dev *pdev)
 * </pre>
 *
 * The line form covers findings on its own line and the next one; the function form covers every
 * finding in the function defined right after it. Comments are read from the source text ({@code
 * //} or a block comment, including a block comment's continuation lines).
 */
final class SuppressionComments {

  static final String MARKER_TEXT = "kmodcheck-ignore";
  private static final Pattern MARKER =
      Pattern.compile("kmodcheck-ignore(-function)?(?:\\[([^\\]]*)\\])?");
  private static final Pattern CALLED = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

  /** How many lines after a function-level comment may hold the function's name. */
  private static final int SIGNATURE_LINES = 4;

  private SuppressionComments() {}

  /**
   * One suppression comment.
   *
   * @param function the function it covers (function form), else null
   * @param reason the text after ':', empty if missing
   * @param wellFormed false when the marker lacks its {@code [rule-id]} list
   */
  record Comment(
      SrcRange at, List<String> ruleIds, String reason, String function, boolean wellFormed) {
    boolean functionLevel() {
      return function != null;
    }

    boolean covers(String file, int line, String fn) {
      if (!file.equals(at.file())) return false;
      if (functionLevel()) return function.equals(fn);
      return line == at.line() || line == at.line() + 1;
    }
  }

  static List<Comment> parse(String file, List<String> lines) {
    List<Comment> out = new ArrayList<>();
    boolean inBlock = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int start = line.indexOf(MARKER_TEXT);
      if (start >= 0 && inComment(line, start, inBlock)) {
        Matcher m = MARKER.matcher(line);
        m.find(start);
        List<String> ids = new ArrayList<>();
        if (m.group(2) != null) {
          for (String id : m.group(2).split(",")) {
            if (!id.isBlank()) ids.add(id.strip());
          }
        }
        // The reason follows ':' up to the end of the comment; no ':' means no reason.
        String rest = line.substring(m.end());
        int close = rest.indexOf("*/");
        if (close >= 0) rest = rest.substring(0, close);
        rest = rest.strip();
        String reason = rest.startsWith(":") ? rest.substring(1).strip() : "";
        String function = m.group(1) == null ? null : functionAfter(lines, i).orElse("");
        SrcRange at = new SrcRange(file, i + 1, start + 1, i + 1, start + 1 + m.group().length());
        out.add(new Comment(at, List.copyOf(ids), reason, function, m.group(2) != null));
      }
      inBlock = blockOpenAtEnd(line, inBlock);
    }
    return out;
  }

  /** Whether {@code pos} lies in a {@code //} or block comment (good enough for one line). */
  private static boolean inComment(String line, int pos, boolean inBlock) {
    String before = line.substring(0, pos);
    if (inBlock && !before.contains("*/")) return true;
    int block = before.lastIndexOf("/*");
    if (block >= 0 && before.indexOf("*/", block) < 0) return true;
    return before.contains("//");
  }

  private static boolean blockOpenAtEnd(String line, boolean inBlock) {
    boolean open = inBlock;
    for (int i = 0; i + 1 < line.length(); i++) {
      if (!open && line.startsWith("//", i)) return false;
      if (!open && line.startsWith("/*", i)) {
        open = true;
        i++;
      } else if (open && line.startsWith("*/", i)) {
        open = false;
        i++;
      }
    }
    return open;
  }

  /**
   * The name of the function whose definition follows line {@code index}: the first {@code name(}
   * in the next lines that are not blank or comments, up to the body's '{'.
   */
  private static Optional<String> functionAfter(List<String> lines, int index) {
    StringBuilder signature = new StringBuilder();
    int taken = 0;
    for (int j = index + 1; j < lines.size() && taken < SIGNATURE_LINES; j++) {
      String t = lines.get(j).strip();
      if (t.isEmpty() || t.startsWith("//") || t.startsWith("/*") || t.startsWith("*")) continue;
      signature.append(t).append(' ');
      taken++;
      if (t.contains("{") || t.contains(";")) break;
    }
    Matcher m = CALLED.matcher(signature);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
