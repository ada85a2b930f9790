package dev.kmodcheck.frontend;

import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.KernelVersion;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.cdt.core.dom.ast.IASTTranslationUnit;
import org.eclipse.cdt.core.dom.ast.gnu.c.GCCLanguage;
import org.eclipse.cdt.core.dom.parser.c.GCCScannerExtensionConfiguration;
import org.eclipse.cdt.core.index.IIndex;
import org.eclipse.cdt.core.model.ILanguage;
import org.eclipse.cdt.core.parser.ExtendedScannerInfo;
import org.eclipse.cdt.core.parser.FileContent;
import org.eclipse.cdt.core.parser.IScannerInfo;
import org.eclipse.cdt.internal.core.parser.scanner.InternalFileContentProvider;
import org.eclipse.core.runtime.CoreException;

/**
 * Parses C files with Eclipse CDT (GCC dialect) and translates the AST into the IR. The only code
 * that imports org.eclipse.cdt lives in this package.
 *
 * <p>Header-less mode (a {@link SourceInput} without a command): the bundled kernel shim is
 * force-included and its annotation macros predefined, missing #includes are skipped. Build-aware
 * mode: the command's include paths, defines and forced includes are used, and header contents are
 * cached across translation units. Thread-safe: one instance serves all worker threads.
 */
public final class Frontend {

  private static final int OPTIONS =
      ILanguage.OPTION_NO_IMAGE_LOCATIONS
          | ILanguage.OPTION_SKIP_TRIVIAL_EXPRESSIONS_IN_AGGREGATE_INITIALIZERS;
  private static final String RESOURCES = "/dev/kmodcheck/frontend/";

  private final Target target;
  private final boolean useShim;
  private final SourceText shim;
  private final Map<String, String> headerlessMacros;
  private final Map<String, String> compilerMacros;
  private final Set<String> headerlessMacroNames = new HashSet<>();
  private final HeaderCache headers = new HeaderCache();
  private final IncludeGuards guards = new IncludeGuards();
  private volatile ModuleHeaderPlan plan = ModuleHeaderPlan.NONE;
  private final ParseSetup setup;
  private volatile KbuildTree kbuild = KbuildTree.NONE;

  /**
   * Measurement only ({@code IndexProbe} in the test classes): wraps each unit's include provider
   * and gives CDT an index for the unit. Null in scans.
   */
  volatile ProbeHook probe;

  /** Tests only: every name resolved by CDT, the reference our own resolution must equal. */
  volatile boolean cdtResolutionOnly;

  interface ProbeHook {
    InternalFileContentProvider wrap(IncludeProvider provider);

    IIndex index(InternalFileContentProvider wrapped);
  }

  /** The target decides what the shim defines for PAGE_SHIFT/PAGE_SIZE and related limits. */
  public Frontend(Target target) {
    this(target, ParseSetup.DEFAULT, true);
  }

  /**
   * {@code version} is the kernel release header-less parses are preprocessed for (version checks
   * and the shim's version-dependent macros); build-aware parses take it from the kernel headers.
   */
  public Frontend(Target target, KernelVersion version) {
    this(target, new ParseSetup(version), true);
  }

  /** Header-less parses follow {@code setup}: kernel version, -I/-D/-U/-include, Makefiles. */
  public Frontend(Target target, ParseSetup setup) {
    this(target, setup, true);
  }

  /**
   * {@code useShim=false} parses header-less input bare (no shim, no predefined annotation macros);
   * only the parse-quality measurement uses it, as the "before" baseline.
   */
  Frontend(Target target, boolean useShim) {
    this(target, ParseSetup.DEFAULT, useShim);
  }

  private Frontend(Target target, ParseSetup setup, boolean useShim) {
    this.target = target;
    this.useShim = useShim;
    this.setup = setup;
    this.shim = new SourceText(resource("kernel-shim.h").toCharArray());
    this.headerlessMacros =
        Collections.unmodifiableMap(headerlessMacros(target, setup.kernelVersion()));
    this.compilerMacros = Collections.unmodifiableMap(compilerMacros(target));
    for (String key : headerlessMacros.keySet()) {
      int paren = key.indexOf('(');
      headerlessMacroNames.add(paren < 0 ? key : key.substring(0, paren));
    }
  }

  /**
   * A parsed unit, the headers its parse looked for (absolute paths, found or not), and the file's
   * characters as parsed, for callers that look for text in it (suppression comments) without
   * reading the file again.
   */
  public record Parsed(TranslationUnit unit, List<String> headers, char[] source) {

    /** Whether the source text contains {@code needle} anywhere. */
    public boolean sourceContains(String needle) {
      int n = needle.length();
      if (n == 0) return true;
      char first = needle.charAt(0);
      outer:
      for (int i = 0, last = source.length - n; i <= last; i++) {
        if (source[i] != first) continue;
        for (int k = 1; k < n; k++) {
          if (source[i + k] != needle.charAt(k)) continue outer;
        }
        return true;
      }
      return false;
    }
  }

  public TranslationUnit parse(SourceInput input) throws IOException {
    return parseTracked(input).unit();
  }

  public Parsed parseTracked(SourceInput input) throws IOException {
    Path path = input.path().toAbsolutePath().normalize();
    SourceText text = SourceText.read(path);
    String fileName = path.toString();
    CompileCommand cmd = input.command();
    IScannerInfo info;
    IncludeProvider provider;
    List<Path> makefiles = List.of();
    Set<String> buildConfigs = Set.of();
    if (cmd == null) {
      KbuildTree.Flags flags = useShim ? kbuild.forFile(path) : KbuildTree.Flags.EMPTY;
      makefiles = flags.makefiles();
      buildConfigs = flags.buildConfigs();
      info =
          useShim
              ? headerlessInfo(withGuessedIterators(text.chars), flags.command())
              : new ExtendedScannerInfo(Map.of(), new String[0]);
      // The module's own headers ("foo.h" next to the .c file) carry its structs and size macros;
      // without include paths CDT looks for nothing else, so kernel headers stay skipped.
      provider =
          new IncludeProvider(
              useShim ? shim : null,
              useShim ? headers : null,
              plan,
              fileName,
              text.chars,
              guards,
              GCCScannerExtensionConfiguration.getInstance(info));
    } else {
      info = buildAwareInfo(cmd);
      provider =
          new IncludeProvider(
              null,
              headers,
              ModuleHeaderPlan.NONE,
              fileName,
              text.chars,
              guards,
              GCCScannerExtensionConfiguration.getInstance(info));
    }
    try {
      long t0 = PhaseTimes.now();
      ProbeHook hook = probe;
      InternalFileContentProvider served = hook == null ? provider : hook.wrap(provider);
      IASTTranslationUnit ast =
          GCCLanguage.getDefault()
              .getASTTranslationUnit(
                  FileContent.create(fileName, true, text.chars),
                  info,
                  served,
                  hook == null ? null : hook.index(served),
                  OPTIONS,
                  new CancelableParseLog());
      long t1 = PhaseTimes.now();
      WorkBudget.checkpoint();
      AstTranslator translator =
          new AstTranslator(
              ast,
              fileName,
              text,
              new SourcePaths(fileName, input.relPath()),
              headers,
              shim,
              cmd == null,
              buildConfigs,
              !cdtResolutionOnly);
      TranslationUnit unit = translator.translate(input.relPath());
      PhaseTimes.add(t0, t1, PhaseTimes.now());
      List<String> deps = new ArrayList<>(provider.looked);
      // A Makefile edit changes the flags, so the parse depends on it as on a header.
      makefiles.forEach(m -> deps.add(m.toString()));
      return new Parsed(unit, List.copyOf(deps), text.chars);
    } catch (CoreException | RuntimeException | StackOverflowError e) {
      // One file's CDT failure must not end the scan; the engine isolates files by exception.
      throw new IOException("parser failed on " + input.relPath() + ": " + e, e);
    }
  }

  /**
   * Tells the frontend the whole input list of a header-less scan before any file is parsed, so
   * that each module header's function bodies are parsed and translated with one unit only (the
   * first input, by report path, that surely includes it) instead of with every including unit.
   * Other units see the header's prototypes, structs and macros unchanged. Without this call every
   * unit parses its headers in full. Returns the number of headers that got an owner.
   */
  public int planModuleHeaders(List<SourceInput> inputs) {
    ModuleHeaderPlan p = useShim ? ModuleHeaderPlan.of(inputs, headers) : ModuleHeaderPlan.NONE;
    plan = p;
    return p.ownedHeaders();
  }

  /**
   * Tells the frontend the module make files to read for header-less parses' flags (the scan builds
   * it over its source root); without this call no make file is read.
   */
  public void useKbuild(KbuildTree tree) {
    kbuild = tree;
  }

  /** What a header-less parse of {@code source} without Makefile flags is preprocessed with. */
  IScannerInfo headerlessInfo(char[] source) {
    return headerlessInfo(withGuessedIterators(source), null);
  }

  SourceText shim() {
    return shim;
  }

  /**
   * The shim, the predefined macros and the flags of the command line and of the module's make
   * files ({@code fromMake}, or null): the command line's defines and include paths come last and
   * first, so they win.
   */
  private IScannerInfo headerlessInfo(Map<String, String> predefined, CompileCommand fromMake) {
    Map<String, String> defines = new LinkedHashMap<>(predefined);
    List<String> includes = new ArrayList<>();
    List<String> forced = new ArrayList<>(List.of(IncludeProvider.SHIM_PATH));
    setup.includes().forEach(p -> includes.add(p.toAbsolutePath().normalize().toString()));
    if (fromMake != null) {
      applyDefines(fromMake.defines(), defines);
      fromMake.includes().forEach(p -> includes.add(p.toString()));
      fromMake.systemIncludes().forEach(p -> includes.add(p.toString()));
      fromMake.quoteIncludes().forEach(p -> includes.add(p.toString()));
      fromMake.forcedIncludes().forEach(p -> forced.add(p.toString()));
    }
    applyDefines(setup.defines(), defines);
    setup.forcedIncludes().forEach(p -> forced.add(p.toAbsolutePath().normalize().toString()));
    return new ExtendedScannerInfo(
        defines, includes.toArray(String[]::new), new String[0], forced.toArray(String[]::new));
  }

  private static void applyDefines(Map<String, String> from, Map<String, String> into) {
    from.forEach(
        (k, v) -> {
          if (v == null) {
            into.remove(k);
          } else {
            into.put(k, v);
          }
        });
  }

  private Map<String, String> withGuessedIterators(char[] source) {
    TreeSet<String> names = IteratorMacroGuesser.guess(source, headerlessMacroNames);
    if (names.isEmpty()) {
      return headerlessMacros;
    }
    Map<String, String> m = new LinkedHashMap<>(headerlessMacros);
    for (String name : names) {
      m.put(name + "(...)", IteratorMacroGuesser.EXPANSION);
    }
    return m;
  }

  private IScannerInfo buildAwareInfo(CompileCommand cmd) {
    Map<String, String> defines = new LinkedHashMap<>(compilerMacros);
    applyDefines(cmd.defines(), defines);
    List<String> includes = new ArrayList<>();
    cmd.includes().forEach(p -> includes.add(p.toString()));
    cmd.systemIncludes().forEach(p -> includes.add(p.toString()));
    List<String> quote = new ArrayList<>();
    cmd.quoteIncludes().forEach(p -> quote.add(p.toString()));
    List<String> forced = new ArrayList<>();
    cmd.forcedIncludes().forEach(p -> forced.add(p.toString()));
    return new ExtendedScannerInfo(
        defines,
        includes.toArray(String[]::new),
        new String[0],
        forced.toArray(String[]::new),
        quote.toArray(String[]::new));
  }

  /**
   * What GCC itself predefines and kernel headers test (compiler-gcc.h rejects old GCC versions);
   * CDT's own GCC configuration claims an older compiler.
   */
  private static Map<String, String> compilerMacros(Target target) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("__GNUC__", "12");
    m.put("__GNUC_MINOR__", "2");
    m.put("__GNUC_PATCHLEVEL__", "0");
    m.put("__CHAR_BIT__", "8");
    m.put("__SIZEOF_LONG__", "8");
    m.put("__SIZEOF_POINTER__", "8");
    m.put("__SIZEOF_INT128__", "16");
    m.put("__LP64__", "1");
    m.put("_LP64", "1");
    m.put("__ORDER_LITTLE_ENDIAN__", "1234");
    m.put("__ORDER_BIG_ENDIAN__", "4321");
    m.put("__BYTE_ORDER__", "__ORDER_LITTLE_ENDIAN__");
    if (target.name().startsWith("arm64")) {
      m.put("__aarch64__", "1");
    } else {
      m.put("__x86_64__", "1");
      m.put("__x86_64", "1");
    }
    return m;
  }

  private static Map<String, String> headerlessMacros(Target target, KernelVersion version) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : resource("headerless-macros.txt").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sep = line.indexOf(":=");
      if (sep < 0) {
        throw new IllegalStateException("bad line in headerless-macros.txt: " + line);
      }
      m.put(line.substring(0, sep).trim(), line.substring(sep + 2).trim());
    }
    // docs/kernel-facts.md §1.1-1.4: PAGE_SHIFT from the target, MAX_ORDER as in 6.1 (largest
    // order + 1), and KMALLOC_MAX_SIZE unless the profile caps it below the page allocator.
    m.put("PAGE_SHIFT", Integer.toString(target.pageShift()));
    m.put("MAX_ORDER", Integer.toString(target.maxOrder() + 1));
    boolean followsBuddy = target.kmallocMaxSize() == (target.pageSize() << target.maxOrder());
    m.put(
        "KMALLOC_MAX_SIZE",
        followsBuddy ? "(1UL << KMALLOC_SHIFT_MAX)" : "(" + target.kmallocMaxSize() + "UL)");
    // include/generated/uapi/linux/version.h of a build for that release. Undefined, a check
    // starting with KERNEL_VERSION(...) was a preprocessor error (false), so the operand order
    // decided which branch was parsed.
    m.put("LINUX_VERSION_CODE", Integer.toString(version.code()));
    m.put("KERNEL_VERSION(a, b, c)", "(((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))");
    m.put("LINUX_VERSION_MAJOR", Integer.toString(version.major()));
    m.put("LINUX_VERSION_PATCHLEVEL", Integer.toString(version.minor()));
    m.put("LINUX_VERSION_SUBLEVEL", Integer.toString(version.patch()));
    return m;
  }

  private static String resource(String name) {
    try (InputStream in = Frontend.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
