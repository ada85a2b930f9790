package dev.kmodcheck.frontend;

import com.sun.management.OperatingSystemMXBean;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.eclipse.cdt.core.dom.ILinkage;
import org.eclipse.cdt.core.dom.ast.IFileNomination;
import org.eclipse.cdt.core.dom.ast.gnu.c.GCCLanguage;
import org.eclipse.cdt.core.index.IIndex;
import org.eclipse.cdt.core.index.IIndexBinding;
import org.eclipse.cdt.core.index.IIndexFile;
import org.eclipse.cdt.core.index.IIndexFileLocation;
import org.eclipse.cdt.core.index.IIndexName;
import org.eclipse.cdt.core.index.URIRelativeLocationConverter;
import org.eclipse.cdt.core.parser.ExtendedScannerInfo;
import org.eclipse.cdt.core.parser.IExtendedScannerInfo;
import org.eclipse.cdt.core.parser.IParserLogService;
import org.eclipse.cdt.core.parser.IScannerInfo;
import org.eclipse.cdt.internal.core.index.IndexBasedFileContentProvider;
import org.eclipse.cdt.internal.core.indexer.FileEncodingRegistry;
import org.eclipse.cdt.internal.core.indexer.IStandaloneScannerInfoProvider;
import org.eclipse.cdt.internal.core.indexer.StandaloneFastIndexer;
import org.eclipse.cdt.internal.core.indexer.StandaloneIndexer;
import org.eclipse.cdt.internal.core.indexer.StandaloneIndexerInputAdapter;
import org.eclipse.cdt.internal.core.parser.IMacroDictionary;
import org.eclipse.cdt.internal.core.parser.scanner.InternalFileContent;
import org.eclipse.cdt.internal.core.parser.scanner.InternalFileContentProvider;
import org.eclipse.cdt.internal.core.pdom.dom.IPDOMLinkageFactory;
import org.eclipse.cdt.internal.core.pdom.dom.c.PDOMCLinkageFactory;
import org.eclipse.core.runtime.IExtensionRegistry;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.RegistryFactory;

/**
 * Measures CDT's own "each header once" mechanism on a source tree (not a unit test, not used by
 * scans): the standalone fast indexer writes a PDOM index of the tree's header-less parses (kernel
 * shim and predefined macros as scans use them), then every unit is parsed with an {@link
 * IndexBasedFileContentProvider} in front of the scan's include provider, so that an indexed header
 * comes as {@code FOUND_IN_INDEX} (its macros, its declarations as index bindings) instead of being
 * preprocessed and parsed again; the AST gets the index for name resolution.
 *
 * <p>Prints the indexer's time and what it logged ("Error while parsing" lines), then for each
 * round the CPU seconds of CDT and of the IR translation with and without the index, and writes the
 * {@link IrDigest} lines of both last rounds so that {@code diff} names the units whose IR differs.
 *
 * <p>Usage: {@code IndexProbe <dir> <out-prefix> [threads] [rounds] [--owners-full] [--global]
 * [--dump FILE]}: {@code <out-prefix>.plain} and {@code <out-prefix>.index} get the digests; {@code
 * --owners-full} serves a module header in full (not from the index) to the unit that owns its
 * function bodies, so that header inline functions are still translated once; {@code --global}
 * gives every unit the whole index instead of its own view ({@link IndexFirst#view}); {@code
 * --dump} writes the IR of one unit (a path under dir) as text for both parses. The index and the
 * shim's copy live in {@code <out-prefix>.work}, deleted at the end. Needs {@code
 * org.eclipse.platform:org.eclipse.core.filesystem} on the class path (the indexer's input adapter
 * converts URIs with it).
 */
public final class IndexProbe {

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    String out = args[1];
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    boolean ownersFull = List.of(args).contains("--owners-full");
    boolean global = List.of(args).contains("--global");
    int dumpAt = List.of(args).indexOf("--dump");
    String dump = dumpAt < 0 ? null : args[dumpAt + 1];
    Frontend fe = new Frontend(Target.defaultTarget());
    List<SourceInput> inputs = IrDigest.plannedInputs(root, fe);
    List<Path> files = inputs.stream().map(SourceInput::path).toList();

    // The indexer reads files itself: the shim goes to a real file, forced-included by its path.
    // A fixed place, not a fresh temporary directory: index types mention the shim's path (the
    // names of its anonymous records), so a new path each run would change the digests.
    Path work = Path.of(out + ".work").toAbsolutePath();
    Files.createDirectories(work);
    Path shimFile = work.resolve("kernel-shim.h");
    Files.writeString(shimFile, new String(fe.shim().chars));
    Map<String, IScannerInfo> infos = new ConcurrentHashMap<>();
    for (Path f : files) {
      ExtendedScannerInfo info = (ExtendedScannerInfo) fe.headerlessInfo(SourceText.read(f).chars);
      String[] forced = info.getIncludeFiles().clone();
      for (int i = 0; i < forced.length; i++) {
        if (forced[i].equals(IncludeProvider.SHIM_PATH)) forced[i] = shimFile.toString();
      }
      // Not an ExtendedScannerInfo: the indexer would give that parser settings read from the
      // Eclipse preferences, which need a running OSGi platform.
      infos.put(f.toString(), new PlainInfo(info.getDefinedSymbols(), forced));
    }
    IStandaloneScannerInfoProvider scannerInfos =
        new IStandaloneScannerInfoProvider() {
          @Override
          public IScannerInfo getScannerInformation(String path) {
            return infos.getOrDefault(path, new PlainInfo(Map.of(), new String[0]));
          }

          @Override
          public IScannerInfo getDefaultScannerInformation(int linkageId) {
            return new PlainInfo(Map.of(), new String[0]);
          }
        };
    Map<String, Integer> logged = new TreeMap<>();
    List<String> examples = new ArrayList<>();
    List<String> statistics = new ArrayList<>();
    IParserLogService log =
        new IParserLogService() {
          @Override
          public synchronized void traceLog(String message) {
            String m = message == null ? "null" : message;
            String[] words = m.split(" ", 3);
            String kind = words.length > 1 ? words[0] + " " + words[1] : words[0];
            logged.merge(kind, 1, Integer::sum);
            // Stack traces: the first of each distinct top frame, cut to its first lines.
            String head = String.join("\n", m.lines().limit(14).toList());
            if (m.startsWith("StandaloneFastIndexerTask")) statistics.add(m);
            if (m.startsWith("Indexer: exception")
                && examples.stream().noneMatch(e -> e.equals(head))
                && examples.size() < 6) {
              examples.add(head);
            }
          }

          @Override
          public boolean isTracing() {
            return true;
          }
        };
    provideEmptyExtensionRegistry();
    Map<String, IPDOMLinkageFactory> linkages =
        Map.of(ILinkage.C_LINKAGE_NAME, new PDOMCLinkageFactory());
    long cpu0 = processCpu();
    long wall0 = System.nanoTime();
    StandaloneFastIndexer indexer =
        new StandaloneFastIndexer(
            work.resolve("index.pdom").toFile(),
            new URIRelativeLocationConverter(URI.create("file:/")),
            linkages,
            scannerInfos,
            new FileEncodingRegistry("ISO-8859-1"),
            path -> GCCLanguage.getDefault(),
            log);
    indexer.setSkipReferences(StandaloneIndexer.SKIP_ALL_REFERENCES);
    indexer.setTraceStatistics(true);
    indexer.setShowProblems(true);
    indexer.rebuild(files.stream().map(Path::toString).toList(), new NullProgressMonitor());
    System.out.printf(
        "index: files=%d wall=%.1f s cpu=%.1f s pdom=%d KiB%n",
        files.size(),
        (System.nanoTime() - wall0) / 1e9,
        (processCpu() - cpu0) / 1e9,
        work.resolve("index.pdom").toFile().length() / 1024);
    logged.forEach((k, v) -> System.out.printf("  logged %-32s %d%n", k, v));
    statistics.forEach(m -> System.out.println("  " + m));
    examples.forEach(m -> System.out.println("  e.g. " + m));

    IIndex index = indexer.getIndex();
    index.acquireReadLock();
    StandaloneIndexerInputAdapter resolver = new StandaloneIndexerInputAdapter(indexer);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, String> plain = Map.of();
    Map<String, String> indexed = Map.of();
    for (int round = 1; round <= rounds; round++) {
      fe.probe = null;
      plain = round("plain", round, fe, inputs, pool);
      if (dump != null && round == rounds) dump(fe, root, dump, out + ".plain.dump");
      fe.probe =
          new Frontend.ProbeHook() {
            @Override
            public InternalFileContentProvider wrap(IncludeProvider p) {
              return new IndexFirst(index, resolver, p, ownersFull);
            }

            @Override
            public IIndex index(InternalFileContentProvider wrapped) {
              return global ? index : ((IndexFirst) wrapped).view();
            }
          };
      indexed = round("index", round, fe, inputs, pool);
      if (dump != null && round == rounds) dump(fe, root, dump, out + ".index.dump");
    }
    pool.shutdown();
    write(out + ".plain", plain);
    write(out + ".index", indexed);
    int differ = 0;
    for (String k : plain.keySet()) if (!plain.get(k).equals(indexed.get(k))) differ++;
    System.out.printf("IR digests: %d of %d units differ%n", differ, plain.size());
    System.out.printf(
        "inclusions served from the index: %d, parsed (not in the index in a fitting version): %d%n",
        IndexFirst.FOUND_IN_INDEX.sum(), IndexFirst.PARSED.sum());
    index.releaseReadLock();
    try (Stream<Path> left = Files.list(work)) {
      for (Path p : left.toList()) Files.deleteIfExists(p);
    }
    Files.deleteIfExists(work);
  }

  private static Map<String, String> round(
      String label, int round, Frontend fe, List<SourceInput> inputs, ExecutorService pool)
      throws Exception {
    long cdt = PhaseTimes.CDT_NANOS.sum();
    long translate = PhaseTimes.TRANSLATE_NANOS.sum();
    long wall = System.nanoTime();
    Map<String, String> m = new TreeMap<>();
    for (Future<String> line : IrDigest.round(fe, inputs, pool)) {
      String[] pathAndDigests = line.get().split(" ", 2);
      m.put(pathAndDigests[0], pathAndDigests[1]);
    }
    System.out.printf(
        "round=%d %-5s wall=%.1f s cpu: cdt=%.2f s translate=%.2f s%n",
        round,
        label,
        (System.nanoTime() - wall) / 1e9,
        (PhaseTimes.CDT_NANOS.sum() - cdt) / 1e9,
        (PhaseTimes.TRANSLATE_NANOS.sum() - translate) / 1e9);
    return m;
  }

  /** The unit's IR as text, one function, global, struct or declaration a line, for diff. */
  private static void dump(Frontend fe, Path root, String rel, String file) throws Exception {
    TranslationUnit u = fe.parse(new SourceInput(root.resolve(rel), rel, null));
    StringBuilder sb = new StringBuilder();
    for (Object o : u.functions()) sb.append(o).append('\n');
    for (Object o : u.globals()) sb.append(o).append('\n');
    for (Object o : u.structs()) sb.append(o).append('\n');
    for (Object o : u.declarations()) sb.append(o).append('\n');
    Files.writeString(Path.of(file), sb.toString().replace("), ", "),\n"));
  }

  private static void write(String file, Map<String, String> digests) throws Exception {
    StringBuilder sb = new StringBuilder();
    digests.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
    Files.writeString(Path.of(file), sb);
  }

  /**
   * Writing a unit to the index asks the Eclipse extension registry for taggers (TagManager) and
   * AST processors (PDOMASTProcessorManager): null outside a running platform, so every unit's
   * write failed ("Error while parsing", a NullPointerException in TagManager.loadExtensions) and
   * then a class initializer threw. An empty registry, made the way the registry bundle offers for
   * use without OSGi, answers both with no contributions.
   */
  private static void provideEmptyExtensionRegistry() throws Exception {
    IExtensionRegistry registry = RegistryFactory.createRegistry(null, new Object(), new Object());
    RegistryFactory.setDefaultRegistryProvider(() -> registry);
  }

  private static long processCpu() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private record PlainInfo(Map<String, String> defines, String[] forced)
      implements IExtendedScannerInfo {
    @Override
    public Map<String, String> getDefinedSymbols() {
      return defines;
    }

    @Override
    public String[] getIncludePaths() {
      return new String[0];
    }

    @Override
    public String[] getMacroFiles() {
      return new String[0];
    }

    @Override
    public String[] getIncludeFiles() {
      return forced;
    }

    @Override
    public String[] getLocalIncludePath() {
      return new String[0];
    }
  }

  /**
   * The index for every header it holds in a version the unit's macros satisfy, the scan's provider
   * for the rest (the shim, headers not indexed, and with {@code ownersFull} the module headers
   * whose bodies the unit owns).
   */
  private static final class IndexFirst extends InternalFileContentProvider {
    static final LongAdder FOUND_IN_INDEX = new LongAdder();
    static final LongAdder PARSED = new LongAdder();
    private final IndexBasedFileContentProvider index;
    private final IncludeProvider scan;
    private final boolean ownersFull;
    private final IIndex whole;

    /** The index files this unit was given (found in the index, with what they include). */
    private final Set<IIndexFile> given = new HashSet<>();

    IndexFirst(
        IIndex idx, StandaloneIndexerInputAdapter resolver, IncludeProvider scan, boolean owners) {
      this.index = new IndexBasedFileContentProvider(idx, resolver, ILinkage.C_LINKAGE_ID, scan);
      this.scan = scan;
      this.ownersFull = owners;
      this.whole = idx;
    }

    /**
     * The index as this unit may see it: in C, CDT resolves a name that the AST does not declare to
     * the index's binding of that name wherever it was declared (CScope.getBinding filters only
     * file-local bindings), so a whole-tree index hands a header-less unit declarations of other
     * units' files. This view keeps only bindings declared or defined in files given to this unit.
     */
    IIndex view() {
      return (IIndex)
          Proxy.newProxyInstance(
              IIndex.class.getClassLoader(),
              new Class<?>[] {IIndex.class},
              (proxy, method, margs) -> {
                Object r;
                try {
                  r = method.invoke(whole, margs);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
                boolean lookup = method.getName().startsWith("findBindings");
                return lookup && r instanceof IIndexBinding[] bs ? keepGiven(bs) : r;
              });
    }

    private IIndexBinding[] keepGiven(IIndexBinding[] bindings) throws Exception {
      List<IIndexBinding> kept = new ArrayList<>();
      for (IIndexBinding b : bindings) {
        for (IIndexName n : whole.findNames(b, IIndex.FIND_DECLARATIONS_DEFINITIONS)) {
          if (given.contains(n.getFile())) {
            kept.add(b);
            break;
          }
        }
      }
      return kept.toArray(IIndexBinding[]::new);
    }

    private boolean fromScan(String path) {
      return path.equals(IncludeProvider.SHIM_PATH) || (ownersFull && scan.ownsBodies(path));
    }

    @Override
    public boolean getInclusionExists(String path) {
      return scan.getInclusionExists(path);
    }

    @Override
    public InternalFileContent getContentForInclusion(String path, IMacroDictionary macros) {
      if (fromScan(path)) return scan.getContentForInclusion(path, macros);
      scan.looked.add(path);
      InternalFileContent c = index.getContentForInclusion(path, macros);
      if (c != null && c.getKind() == InternalFileContent.InclusionKind.FOUND_IN_INDEX) {
        given.addAll(c.getFilesIncluded());
        FOUND_IN_INDEX.increment();
      } else if (c != null) {
        PARSED.increment();
      }
      return c;
    }

    @Override
    public InternalFileContent getContentForInclusion(IIndexFileLocation ifl, String astPath) {
      return scan.getContentForInclusion(ifl, astPath);
    }

    @Override
    public IFileNomination isIncludedWithPragmaOnceSemantics(String filePath) {
      IFileNomination once = index.isIncludedWithPragmaOnceSemantics(filePath);
      return once != null ? once : scan.isIncludedWithPragmaOnceSemantics(filePath);
    }

    @Override
    public void reportPragmaOnceSemantics(String filePath, IFileNomination nom) {
      if (new File(filePath).isFile()) index.reportPragmaOnceSemantics(filePath, nom);
      scan.reportPragmaOnceSemantics(filePath, nom);
    }

    @Override
    public void resetForTranslationUnit() {
      super.resetForTranslationUnit();
      index.resetForTranslationUnit();
      scan.resetForTranslationUnit();
    }

    @Override
    public boolean shouldIndexAllHeaderVersions(String headerFileName) {
      return scan.shouldIndexAllHeaderVersions(headerFileName);
    }
  }
}
