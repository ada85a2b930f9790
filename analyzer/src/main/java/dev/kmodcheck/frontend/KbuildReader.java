package dev.kmodcheck.frontend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the preprocessor flags that one Kbuild file or module Makefile gives its C files, the way
 * the kernel's kbuild pass would read it, without running make: {@code ccflags-y}, {@code
 * ccflags-$(CONFIG_...)}, {@code subdir-ccflags-y}, {@code EXTRA_CFLAGS} and {@code
 * CFLAGS_<file>.o}, after simple variable expansion ({@code $(src)}, {@code $(obj)}, {@code $(M)},
 * {@code $(PWD)}, {@code $(CURDIR)}, {@code $(shell pwd)}, the module's own variables) and with
 * {@code ifeq/ifneq/ifdef/ifndef} evaluated as make would (an unset variable is empty, {@code
 * KERNELRELEASE} is set as in the kbuild pass).
 *
 * <p>What it cannot evaluate it does not guess: in a branch whose condition is unknown only include
 * paths are kept (an extra search directory cannot change a parse that found nothing before), and a
 * flag naming an unknown variable is skipped with a note. Relative include paths point into the
 * kernel tree (kbuild compiles from there), which header-less scans never read. {@code include}
 * lines are followed only to files inside {@code bound}.
 */
final class KbuildReader {

  /** Something in a Makefile the reader skipped, for the scan's notes. */
  record Note(Path file, int line, String message) {}

  /**
   * @param common flags for every C file below the Makefile
   * @param perObject {@code CFLAGS_<name>.o} flags by object name ("foo.o")
   * @param read the make files read (the Makefile and what it includes), for cache keys
   * @param buildConfigs for each object ("foo.o", "sub/foo.o") or subdirectory ("sub/") its object
   *     lists name, the CONFIG options every listing needs: {@code obj-$(CONFIG_FOO) += foo.o}, or
   *     {@code mod-$(CONFIG_BAR) += bar.o} with {@code obj-$(CONFIG_FOO) += mod.o}
   */
  record Result(
      List<String> common,
      Map<String, List<String>> perObject,
      List<Path> read,
      List<Note> notes,
      Map<String, Set<String>> buildConfigs) {}

  /** Stands for text that could not be expanded; a word containing it is dropped. */
  private static final char UNKNOWN = '\u0000';

  private static final Pattern ASSIGN =
      Pattern.compile(
          "^(?:(?:export|override)\\s+)*([A-Za-z0-9_.$(){}-]+?)\\s*"
              + "(:{1,3}=|\\?=|\\+=|!=|=)\\s*(.*)$");
  private static final Pattern CONDITIONAL = Pattern.compile("^(ifeq|ifneq|ifdef|ifndef)\\s*(.*)$");
  private static final Pattern INCLUDE = Pattern.compile("^(?:-|s)?include\\s+(.+)$");
  private static final int MAX_DEPTH = 8;

  /**
   * An object list as written, before expansion: {@code obj-y}, {@code obj-$(CONFIG_FOO)}, a
   * composite object's {@code foo-objs} / {@code foo-y} / {@code foo-$(CONFIG_BAR)}.
   */
  private static final Pattern OBJECT_LIST =
      Pattern.compile("^([A-Za-z0-9_-]+?)-(y|m|objs|\\$\\((CONFIG_[A-Za-z0-9_]+)\\))$");

  /**
   * One place an object list names a member.
   *
   * @param list "obj" or "lib" for the directory's own lists, else the composite object's name
   * @param config the option the listing needs, null when none (or when it is unknown)
   */
  private record Listing(String list, String config) {}

  private final Map<String, List<Listing>> listings = new HashMap<>();

  private final Path bound;
  private final Map<String, String> vars = new HashMap<>();
  private final Map<String, StringBuilder> flagVars = new LinkedHashMap<>();

  /** Flag text from branches of unknown condition: only its include paths are used. */
  private final Map<String, StringBuilder> maybeFlagVars = new LinkedHashMap<>();

  private final List<Path> read = new ArrayList<>();
  private final List<Note> notes = new ArrayList<>();

  private enum Branch {
    TAKEN,
    SKIPPED,
    UNKNOWN
  }

  /** One open conditional: its current branch, and whether an earlier branch was taken. */
  private static final class Frame {
    Branch branch;
    boolean done;

    Frame(Branch b) {
      branch = b;
      done = b == Branch.TAKEN;
    }
  }

  private KbuildReader(Path bound, Map<String, String> preset) {
    this.bound = bound;
    vars.putAll(preset);
  }

  /**
   * Reads {@code makefile}. {@code moduleDir} is where make would be started (M=): {@code $(M)},
   * {@code $(PWD)}, {@code $(CURDIR)}; {@code $(src)} and {@code $(obj)} are the Makefile's own
   * directory. {@code preset} holds make variables the command line sets (CONFIG_FOO=y for {@code
   * -D CONFIG_FOO}).
   */
  static Result read(Path makefile, Path moduleDir, Path bound, Map<String, String> preset) {
    Path dir = makefile.getParent();
    Map<String, String> initial = new HashMap<>(preset);
    initial.put("src", dir.toString());
    initial.put("obj", dir.toString());
    initial.put("M", moduleDir.toString());
    initial.put("PWD", moduleDir.toString());
    initial.put("CURDIR", moduleDir.toString());
    // Set in the kbuild pass, the one that reads the flags (the other builds the module).
    initial.putIfAbsent("KERNELRELEASE", "kmodcheck");
    KbuildReader r = new KbuildReader(bound, initial);
    r.file(makefile, 0);
    List<String> common = new ArrayList<>();
    Map<String, List<String>> perObject = new TreeMap<>();
    for (String name : r.flagVars.keySet()) {
      List<String> words = r.words(r.flagVars.get(name), makefile);
      if (name.startsWith("CFLAGS_") && name.endsWith(".o")) {
        perObject.put(name.substring("CFLAGS_".length()), words);
      } else {
        common.addAll(words);
      }
    }
    for (StringBuilder maybe : r.maybeFlagVars.values()) {
      List<String> words = r.words(maybe, makefile);
      for (int i = 0; i < words.size(); i++) {
        String w = words.get(i);
        if (w.equals("-I") && i + 1 < words.size()) {
          common.add(w);
          common.add(words.get(++i));
        } else if (w.startsWith("-I") && w.length() > 2) {
          common.add(w);
        }
      }
    }
    Map<String, Set<String>> configs = new TreeMap<>();
    for (String member : r.listings.keySet()) {
      Set<String> c = r.buildConfigs(member, 0);
      if (c != null) configs.put(member, c);
    }
    return new Result(
        List.copyOf(common), perObject, List.copyOf(r.read), List.copyOf(r.notes), configs);
  }

  /**
   * The options every listing of {@code member} needs (an object built under two options needs
   * neither); null when no object list names it.
   */
  private Set<String> buildConfigs(String member, int depth) {
    List<Listing> ls = listings.get(member);
    if (ls == null || depth > MAX_DEPTH) return null;
    Set<String> common = null;
    for (Listing l : ls) {
      Set<String> need = new TreeSet<>();
      if (l.config() != null) need.add(l.config());
      if (!l.list().equals("obj") && !l.list().equals("lib")) {
        Set<String> outer = buildConfigs(l.list() + ".o", depth + 1);
        if (outer != null) need.addAll(outer);
      }
      if (common == null) common = need;
      else common.retainAll(need);
    }
    return common == null ? null : Set.copyOf(common);
  }

  /**
   * Records the members of an object list assignment. A listing in a branch of unknown condition,
   * or under an option the command line sets, needs no option.
   */
  private void objectList(String rawName, String value, Branch state) {
    Matcher m = OBJECT_LIST.matcher(rawName.strip());
    if (!m.matches() || m.group(1).endsWith("flags")) return;
    String config = m.group(3);
    if (config != null) {
      String set = vars.get(config);
      if (set != null && (set.equals("y") || set.equals("m"))) config = null;
    }
    if (state != Branch.TAKEN) config = null;
    for (String word : expand(value, 0).split("\\s+")) {
      if (word.isEmpty() || word.indexOf(UNKNOWN) >= 0) continue;
      if (!word.endsWith(".o") && !word.endsWith("/")) continue;
      String member = word.startsWith("./") ? word.substring(2) : word;
      listings.computeIfAbsent(member, k -> new ArrayList<>()).add(new Listing(m.group(1), config));
    }
  }

  private static boolean isFlagVar(String name) {
    return name.equals("ccflags-y")
        || name.equals("subdir-ccflags-y")
        || name.equals("EXTRA_CFLAGS")
        || (name.startsWith("CFLAGS_") && name.endsWith(".o"));
  }

  private void file(Path makefile, int depth) {
    List<String> lines;
    try {
      lines = Files.readAllLines(makefile, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      notes.add(new Note(makefile, 1, "cannot read: " + e.getMessage()));
      return;
    }
    read.add(makefile);
    Deque<Frame> frames = new ArrayDeque<>();
    StringBuilder logical = new StringBuilder();
    int startLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      if (logical.length() == 0) startLine = i + 1;
      if (raw.endsWith("\\")) {
        logical.append(raw, 0, raw.length() - 1).append(' ');
        continue;
      }
      logical.append(raw);
      String line = logical.toString();
      logical.setLength(0);
      // Recipe lines belong to rules, never to the kbuild pass's variables.
      if (line.startsWith("\t") && !line.strip().matches("(if|else|endif).*")) continue;
      line = stripComment(line).strip();
      if (line.isEmpty()) continue;
      statement(line, makefile, startLine, frames, depth);
    }
  }

  private void statement(String line, Path makefile, int lineNo, Deque<Frame> frames, int depth) {
    Matcher cond = CONDITIONAL.matcher(line);
    if (cond.matches()) {
      Branch outer = state(frames);
      Branch b = outer == Branch.TAKEN ? evaluate(cond.group(1), cond.group(2)) : outer;
      frames.push(new Frame(outer == Branch.SKIPPED ? Branch.SKIPPED : b));
      if (outer != Branch.TAKEN) frames.peek().done = true;
      return;
    }
    if (line.equals("else") || line.startsWith("else ")) {
      Frame f = frames.peek();
      if (f == null) return;
      boolean parentSkipped = state(frames, 1) == Branch.SKIPPED;
      String rest = line.substring(4).strip();
      if (parentSkipped) {
        f.branch = Branch.SKIPPED;
      } else if (f.branch == Branch.UNKNOWN) {
        f.branch = Branch.UNKNOWN;
      } else if (f.done) {
        f.branch = Branch.SKIPPED;
      } else if (rest.isEmpty()) {
        f.branch = Branch.TAKEN;
      } else {
        Matcher again = CONDITIONAL.matcher(rest);
        f.branch = again.matches() ? evaluate(again.group(1), again.group(2)) : Branch.UNKNOWN;
      }
      if (f.branch == Branch.TAKEN) f.done = true;
      return;
    }
    if (line.startsWith("endif")) {
      if (!frames.isEmpty()) frames.pop();
      return;
    }
    Branch state = state(frames);
    if (state == Branch.SKIPPED) return;
    Matcher inc = INCLUDE.matcher(line);
    if (inc.matches()) {
      if (state == Branch.TAKEN) include(inc.group(1), makefile, depth);
      return;
    }
    Matcher a = ASSIGN.matcher(line);
    if (!a.matches()) return;
    objectList(a.group(1), a.group(3), state);
    String name = expand(a.group(1), 0);
    String op = a.group(2);
    String value = a.group(3);
    if (name.indexOf(UNKNOWN) >= 0) return;
    if (isFlagVar(name)) {
      Map<String, StringBuilder> target = state == Branch.TAKEN ? flagVars : maybeFlagVars;
      if (op.equals("+=")) {
        target.computeIfAbsent(name, k -> new StringBuilder()).append(' ').append(value);
      } else if (state == Branch.TAKEN && !op.equals("?=")) {
        // ':=' expands at once; '=' later, when the flags are used, as make does.
        String text = op.startsWith(":") ? escape(expand(value, 0)) : value;
        flagVars.put(name, new StringBuilder(text));
      } else {
        target.computeIfAbsent(name, k -> new StringBuilder()).append(' ').append(value);
      }
      return;
    }
    if (state != Branch.TAKEN) {
      // Unknown whether it is set: unknown from here on.
      vars.put(name, String.valueOf(UNKNOWN));
      return;
    }
    switch (op) {
      case "+=" -> vars.merge(name, " " + value, String::concat);
      case "?=" -> vars.putIfAbsent(name, value);
      case "!=" -> vars.put(name, String.valueOf(UNKNOWN));
      case "=" -> vars.put(name, value);
      default -> vars.put(name, escape(expand(value, 0)));
    }
  }

  private void include(String what, Path makefile, int depth) {
    if (depth >= MAX_DEPTH) return;
    for (String word : expand(what, 0).split("\\s+")) {
      if (word.isEmpty() || word.indexOf(UNKNOWN) >= 0) continue;
      Path p = makefile.getParent().resolve(word).normalize();
      // Never outside what the command line named (a Makefile may include /etc/os-release).
      if (!p.startsWith(bound) || !Files.isRegularFile(p) || read.contains(p)) continue;
      file(p, depth + 1);
    }
  }

  /** The state of the innermost frames, skipping the first {@code skip}. */
  private static Branch state(Deque<Frame> frames, int skip) {
    Branch s = Branch.TAKEN;
    int i = 0;
    for (Frame f : frames) {
      if (i++ < skip) continue;
      if (f.branch == Branch.SKIPPED) return Branch.SKIPPED;
      if (f.branch == Branch.UNKNOWN) s = Branch.UNKNOWN;
    }
    return s;
  }

  private static Branch state(Deque<Frame> frames) {
    return state(frames, 0);
  }

  private Branch evaluate(String kind, String args) {
    if (kind.equals("ifdef") || kind.equals("ifndef")) {
      String name = expand(args.strip(), 0);
      if (name.indexOf(UNKNOWN) >= 0) return Branch.UNKNOWN;
      String v = vars.get(name);
      if (v != null && v.indexOf(UNKNOWN) >= 0) return Branch.UNKNOWN;
      boolean defined = v != null && !v.isEmpty();
      return defined == kind.equals("ifdef") ? Branch.TAKEN : Branch.SKIPPED;
    }
    String[] pair = operands(args.strip());
    if (pair == null) return Branch.UNKNOWN;
    String a = expand(pair[0], 0).strip();
    String b = expand(pair[1], 0).strip();
    if (a.indexOf(UNKNOWN) >= 0 || b.indexOf(UNKNOWN) >= 0) return Branch.UNKNOWN;
    return a.equals(b) == kind.equals("ifeq") ? Branch.TAKEN : Branch.SKIPPED;
  }

  /** {@code (a,b)}, {@code "a" "b"} or {@code 'a' 'b'}; null when it is neither. */
  private static String[] operands(String s) {
    if (s.startsWith("(") && s.endsWith(")")) {
      String inner = s.substring(1, s.length() - 1);
      int depth = 0;
      for (int i = 0; i < inner.length(); i++) {
        char c = inner.charAt(i);
        if (c == '(' || c == '{') depth++;
        else if (c == ')' || c == '}') depth--;
        else if (c == ',' && depth == 0) {
          return new String[] {inner.substring(0, i), inner.substring(i + 1)};
        }
      }
      return null;
    }
    Matcher m = Pattern.compile("^([\"'])(.*?)\\1\\s+([\"'])(.*?)\\3$").matcher(s);
    return m.matches() ? new String[] {m.group(2), m.group(4)} : null;
  }

  /** Make's expansion of {@code $(...)}, {@code ${...}} and {@code $X}; unknowns become UNKNOWN. */
  private String expand(String s, int depth) {
    if (depth > 20) return String.valueOf(UNKNOWN);
    // The in-tree idiom for the module directory; srctree alone is the kernel tree.
    s = s.replace("$(srctree)/$(src)", "$(src)").replace("$(srctree)/$(obj)", "$(obj)");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        continue;
      }
      char n = s.charAt(i + 1);
      if (n == '$') {
        out.append('$');
        i++;
      } else if (n == '(' || n == '{') {
        int end = closing(s, i + 1);
        if (end < 0) {
          out.append(UNKNOWN);
          break;
        }
        out.append(reference(s.substring(i + 2, end), depth));
        i = end;
      } else {
        out.append(variable(String.valueOf(n), depth));
        i++;
      }
    }
    return out.toString();
  }

  private static int closing(String s, int open) {
    char o = s.charAt(open);
    char c = o == '(' ? ')' : '}';
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      if (s.charAt(i) == o) depth++;
      else if (s.charAt(i) == c && --depth == 0) return i;
    }
    return -1;
  }

  private String reference(String body, int depth) {
    int space = body.indexOf(' ');
    if (space < 0) return variable(expand(body, depth + 1), depth);
    String fn = body.substring(0, space);
    String arg = expand(body.substring(space + 1), depth + 1).strip();
    if (arg.indexOf(UNKNOWN) >= 0) return String.valueOf(UNKNOWN);
    return switch (fn) {
      case "shell" -> arg.equals("pwd") ? vars.get("PWD") : String.valueOf(UNKNOWN);
      case "strip" -> arg;
      case "abspath", "realpath" -> Path.of(vars.get("CURDIR")).resolve(arg).normalize().toString();
      case "dir" -> {
        int slash = arg.lastIndexOf('/');
        yield slash < 0 ? "./" : arg.substring(0, slash + 1);
      }
      default -> String.valueOf(UNKNOWN);
    };
  }

  private String variable(String name, int depth) {
    if (name.indexOf(UNKNOWN) >= 0) return String.valueOf(UNKNOWN);
    String v = vars.get(name);
    if (v == null) {
      // The kernel tree's and the environment's variables are unknown; CONFIG_* and the rest,
      // unset as make sees them in a kbuild pass without them, are empty.
      return isKernelTreeVar(name) ? String.valueOf(UNKNOWN) : "";
    }
    return expand(v, depth + 1);
  }

  private static boolean isKernelTreeVar(String name) {
    return switch (name) {
      case "srctree",
          "objtree",
          "KDIR",
          "KSRC",
          "KERNELDIR",
          "KERNEL_DIR",
          "KERNEL_SRC",
          "KBUILD_SRC",
          "KERNEL_SOURCE",
          "LINUXINCLUDE",
          "CFLAGS",
          "KCFLAGS",
          "HOME",
          "PATH" ->
          true;
      default -> false;
    };
  }

  private static String escape(String expanded) {
    return expanded.replace("$", "$$");
  }

  private static String stripComment(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || line.charAt(i - 1) != '\\')) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** The words of a flag variable after expansion; words with unknown parts dropped, noted. */
  private List<String> words(StringBuilder text, Path makefile) {
    String expanded = expand(text.toString(), 0);
    // Make hands the flags to the shell: -DNAME=\"text\" is the string literal "text".
    List<String> split = ShellWords.split(expanded);
    if (split == null) {
      notes.add(new Note(makefile, 1, "unbalanced quote in the compiler flags; they are ignored"));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < split.size(); i++) {
      String w = split.get(i);
      boolean takesNext =
          w.equals("-I")
              || w.equals("-D")
              || w.equals("-U")
              || w.equals("-include")
              || w.equals("-isystem")
              || w.equals("-iquote");
      String value = takesNext && i + 1 < split.size() ? split.get(i + 1) : w;
      if (value.indexOf(UNKNOWN) >= 0) {
        if (value.startsWith("-I")
            || value.startsWith("-D")
            || value.startsWith("-include")
            || takesNext) {
          notes.add(
              new Note(
                  makefile,
                  1,
                  "flag '"
                      + (takesNext ? w + " " : "")
                      + value.replace(UNKNOWN, '?')
                      + "' names a variable a header-less scan cannot know; pass it with -I/-D"));
        }
        if (takesNext) i++;
        continue;
      }
      out.add(w);
      if (takesNext && i + 1 < split.size()) out.add(split.get(++i));
    }
    return out;
  }
}
