package dev.kmodcheck.engine;

import dev.kmodcheck.BadInputException;
import dev.kmodcheck.Version;
import dev.kmodcheck.budget.WorkBudget;
import dev.kmodcheck.cache.PendingWrites;
import dev.kmodcheck.cache.ScanCache;
import dev.kmodcheck.check.Confidence;
import dev.kmodcheck.check.Fact;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.ProgramContext;
import dev.kmodcheck.check.ProgramRule;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.UnitContext;
import dev.kmodcheck.check.UnitRule;
import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.KbuildTree;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.FunctionDef;
import dev.kmodcheck.ir.ParseProblem;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.KernelApis;
import dev.kmodcheck.kernel.KernelKnowledge;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Runs a scan: finds the files, parses and checks them in parallel, runs whole-program rules, and
 * merges everything in a deterministic order (independent of -j and thread timing).
 */
public final class Scanner {

  /** Told about progress; called from worker threads. */
  @FunctionalInterface
  public interface ProgressListener {
    void fileDone(int done, int total, String file);

    /**
     * The whole-program rules of a program (a set of files checked together) start; {@code total}
     * programs run in this scan (those settled from the cache do not).
     */
    default void programStarted(String name, int total) {}

    /** The whole-program rules of {@code done} of {@code total} programs have finished. */
    default void programDone(int done, int total) {}
  }

  private final List<Rule> allRules;
  private RuleSettings settings = RuleSettings.DEFAULTS;
  private List<Rule> rules;
  private List<UnitRule> unitRules;
  private List<ProgramRule> programRules;
  private final KernelApis apis;
  private boolean keepUnits;
  private Path cacheDir;
  private String commentMarker = Suppressions.MARKER_TEXT;
  private volatile List<String> lastFiles = List.of();
  private volatile Set<String> lastCommentFree = Set.of();

  private boolean deferCacheWrite;

  public Scanner(List<Rule> rules) {
    this(rules, KernelApis.builtin());
  }

  public Scanner(List<Rule> rules, KernelApis apis) {
    this.allRules = List.copyOf(rules);
    this.apis = apis;
    settings(RuleSettings.DEFAULTS);
  }

  /**
   * The project's word on the rules: disabled ones do not run, and the others' certain findings
   * take its severities. Suppression comments may still name a disabled rule.
   */
  public Scanner settings(RuleSettings settings) {
    this.settings = settings;
    this.rules = allRules.stream().filter(r -> settings.enabled(r.info().id())).toList();
    this.unitRules =
        rules.stream().filter(r -> r instanceof UnitRule).map(r -> (UnitRule) r).toList();
    this.programRules =
        rules.stream().filter(r -> r instanceof ProgramRule).map(r -> (ProgramRule) r).toList();
    // Units are kept in memory after their file is done only if some rule needs the whole program.
    this.keepUnits = !programRules.isEmpty();
    return this;
  }

  /**
   * Lets {@link #scan} return while the cache index is still being written; the caller must then
   * call {@link #awaitCacheWrites()} before the process exits.
   */
  public Scanner deferCacheWrite(boolean defer) {
    this.deferCacheWrite = defer;
    return this;
  }

  /** Waits for every cache write that {@link #deferCacheWrite} let a scan leave running. */
  public static void awaitCacheWrites() {
    PendingWrites.await();
  }

  /**
   * Reuses the results of earlier scans stored under {@code dir} ({@link ScanCache}) and stores
   * this scan's; null turns caching off.
   */
  public Scanner cache(Path dir) {
    this.cacheDir = dir;
    return this;
  }

  /**
   * Notes, for each file parsed (or taken from the cache), whether its text contains {@code
   * marker}, so that a later pass over suppression comments reads only the files that may hold one
   * ({@link #commentFreeFiles}); null turns this off.
   */
  public Scanner commentMarker(String marker) {
    this.commentMarker = marker;
    return this;
  }

  /**
   * Files of the last {@link #scan} (report paths) known not to contain the comment marker: on a
   * cached re-scan, reading them all again would cost more than everything else.
   */
  public Set<String> commentFreeFiles() {
    return lastCommentFree;
  }

  /**
   * The paths (relative to the source root, as in findings) of the files a scan of {@code request}
   * parses, in scan order: for checks that read the sources themselves (suppression comments).
   */
  public static List<String> inputFiles(ScanRequest request) throws BadInputException {
    return InputFiles.collect(request).files().stream().map(SourceInput::relPath).toList();
  }

  /**
   * The files the last {@link #scan} parsed or took from the cache, as {@link #inputFiles} does.
   */
  public List<String> scannedFiles() {
    return lastFiles;
  }

  public ScanResult scan(ScanRequest request) throws BadInputException {
    return scan(request, null);
  }

  /**
   * The scan, whoever runs it (the commands, the corpus test, {@code summarize}): collect the
   * inputs, restore what the cache holds, parse, run the per-file rules, group the programs, run
   * the whole-program rules, merge, then apply the suppression comments and the {@link #settings}.
   * Bad input (missing path, no C files, bad compile database) throws with a one-line message.
   */
  public ScanResult scan(ScanRequest request, ProgressListener progress) throws BadInputException {
    ScanResult found = runRules(request, progress);
    Set<String> quiet = new TreeSet<>();
    for (Rule r : allRules) if (!settings.enabled(r.info().id())) quiet.add(r.info().id());
    Suppressions.Outcome s =
        Suppressions.apply(
            found.findings(),
            lastFiles,
            found.sourceRoot(),
            ruleIds(allRules),
            quiet,
            lastCommentFree);
    return configured(found, s);
  }

  /** The ids a suppression comment or a configuration may name: the rules and the meta rules. */
  public static List<String> ruleIds(List<Rule> rules) {
    List<String> ids = new ArrayList<>();
    for (Rule r : rules) ids.add(r.info().id());
    for (RuleDescriptor d : Suppressions.descriptors()) ids.add(d.id());
    return ids;
  }

  /**
   * The result with the settings' severities and disabled meta rules applied; rules[] gains the
   * suppression meta rules when they report something.
   */
  private ScanResult configured(ScanResult r, Suppressions.Outcome s) {
    List<Finding> findings = new ArrayList<>();
    for (Finding f : s.kept()) {
      if (!settings.enabled(f.ruleId())) continue;
      // A conditional finding stays a note: the configured severity is the rule's gate for what
      // it reports with certainty.
      if (f.confidence() == Confidence.CONDITIONAL) {
        findings.add(f);
        continue;
      }
      findings.add(f.withSeverity(settings.severity(f.ruleId()).orElse(f.severity())));
    }
    findings.sort(Finding.ORDER);
    List<RuleDescriptor> descriptors = new ArrayList<>(r.rules());
    for (RuleDescriptor meta : Suppressions.descriptors()) {
      if (findings.stream().anyMatch(f -> f.ruleId().equals(meta.id()))) descriptors.add(meta);
    }
    descriptors.replaceAll(d -> withSeverity(d, settings.severity(d.id()).orElse(d.severity())));
    return new ScanResult(
        r.toolVersion(),
        r.target(),
        r.sourceRoot(),
        List.copyOf(descriptors),
        List.copyOf(findings),
        r.notifications(),
        r.stats(),
        List.copyOf(s.suppressed()));
  }

  private static RuleDescriptor withSeverity(RuleDescriptor d, Severity s) {
    if (s == d.severity()) return d;
    return new RuleDescriptor(
        d.id(), d.name(), s, d.summary(), d.tags(), d.precision(), d.helpMarkdown());
  }

  /** The findings of the rules, merged and sorted, before suppressions and settings. */
  private ScanResult runRules(ScanRequest request, ProgressListener progress)
      throws BadInputException {
    long start = System.nanoTime();
    Phases.mark("scan start");
    awaitCacheWrites();
    // A re-scan reads the cache index (tens of MB for a whole tree) while it walks the tree,
    // when the root that keys the index is known before the walk.
    Path earlyRoot = cacheDir != null ? InputFiles.rootBeforeWalk(request) : null;
    CompletableFuture<ScanCache.Index> earlyIndex =
        earlyRoot == null
            ? null
            : CompletableFuture.supplyAsync(
                () -> ScanCache.readIndex(cacheDir, fingerprint(request, earlyRoot)),
                Scanner::startDaemon);
    InputFiles.Collected collected = InputFiles.collect(request);
    Phases.mark("files walked");
    List<SourceInput> inputs = collected.files();
    Target target = request.target();
    Frontend frontend = new Frontend(target, request.parseSetup());
    KbuildTree kbuild = KbuildTree.NONE;
    if (request.compileCommands() == null && request.parseSetup().kbuild()) {
      kbuild = new KbuildTree(collected.root(), request.parseSetup().makeVariables());
      kbuild.prepare(inputs.stream().map(Scanner::absolute).toList());
      frontend.useKbuild(kbuild);
    }
    KernelKnowledge knowledge = request.knowledge();
    // A Scanner built with its own allocation table keeps it unless the request extends the tables.
    KernelApis allocs = knowledge == KernelKnowledge.builtin() ? apis : knowledge.allocApis();
    Knowledge tables = new Knowledge(knowledge, allocs);

    ScanRequest.ProgramScope scope = request.scope().resolve(inputs.size());
    List<Partition> partitions = keepUnits ? Partition.of(inputs, scope) : List.of();
    Partition[] partitionOf = new Partition[inputs.size()];
    for (Partition p : partitions) {
      for (int i : p.indices) partitionOf[i] = p;
    }

    FileOutcome[] outcomes = new FileOutcome[inputs.size()];
    ScanCache cache =
        openCache(
            request,
            collected.root(),
            earlyIndex != null && collected.root().equals(earlyRoot) ? earlyIndex : null);
    if (cache != null) cache.knownAttributes(collected.attributes());
    Phases.mark("cache index read");
    ScanCache.FileRecord[] reusable = new ScanCache.FileRecord[inputs.size()];
    boolean[] settled = new boolean[inputs.size()];
    if (cache != null) {
      // One or more stat calls per file and header: in parallel, they are most of a re-scan.
      IntStream.range(0, inputs.size())
          .parallel()
          .forEach(
              i -> {
                SourceInput in = inputs.get(i);
                reusable[i] = cache.unchanged(in.relPath(), absolute(in), commandKey(in));
              });
      for (Partition p : partitions) {
        ScanCache.ProgramRecord r = cache.program(p.name, p.files(inputs));
        boolean clean = r != null;
        for (int i : p.indices) clean &= reusable[i] != null;
        if (!clean) continue;
        // Nothing in this program changed: its results stand, nothing is parsed.
        for (int i : p.indices) {
          outcomes[i] = FileOutcome.restored(reusable[i]);
          settled[i] = true;
        }
        p.findings.addAll(r.findings());
        p.notifications.addAll(r.notifications());
      }
      for (int i = 0; i < inputs.size(); i++) {
        if (partitionOf[i] == null && reusable[i] != null) {
          outcomes[i] = FileOutcome.restored(reusable[i]);
          settled[i] = true;
        }
      }
    }
    Phases.mark("cache checked");
    int programsToRun = 0;
    for (Partition p : partitions) {
      boolean clean = true;
      for (int i : p.indices) clean &= settled[i];
      if (!clean) programsToRun++;
    }
    // Threads that may run one program's rules: more than one when programs are fewer than jobs.
    int ruleThreads = Math.max(1, request.jobs() / Math.max(1, programsToRun));
    List<String> names = inputs.stream().map(SourceInput::relPath).toList();
    FileRun.Work work =
        new FileRun.Work() {
          @Override
          public FileOutcome file(int index, WorkBudget budget) {
            // Reached only for files not settled from the cache: changed ones, and unchanged
            // ones whose program must run again (its units are needed).
            SourceInput in = inputs.get(index);
            FileOutcome kept = storedUnit(cache, partitionOf[index], reusable[index]);
            if (kept != null) return kept;
            FileOutcome o = processFile(frontend, target, tables, in, budget);
            // A skipped file is not remembered: a time or memory limit may not be hit next time.
            if (cache != null && !o.skipped) {
              remember(cache, in, o);
              if (o.unit != null) cache.saveUnit(ScanCache.unitKey(o.record), o.unit);
            }
            return o;
          }

          @Override
          public FileOutcome fileAbandoned(int index, WorkBudget budget, Throwable cause) {
            FileOutcome out = new FileOutcome();
            out.skip(fileStart(inputs.get(index)), lost(budget, cause));
            return out;
          }

          @Override
          public void program(Partition p, WorkBudget budget) {
            runProgramRules(p, target, tables, budget, ruleThreads);
          }

          @Override
          public void programAbandoned(Partition p, WorkBudget budget, Throwable cause) {
            p.giveUp(
                "whole-program rules on " + p.name + ": " + lost(budget, cause),
                p.firstFile(inputs));
          }
        };
    new FileRun(names, partitionOf, request.fileTimeoutMillis(), work)
        .run(request.jobs(), progress, outcomes);
    Phases.mark("files and programs done");

    boolean allSettled = true;
    for (boolean b : settled) allSettled &= b;
    if (cache != null) {
      boolean nothingRan = allSettled;
      Runnable save =
          () -> {
            try {
              saveCache(cache, inputs, outcomes, partitions, nothingRan);
            } catch (Throwable e) {
              // Even out of memory: a cache not written costs the next scan time, not results.
            }
            Phases.mark("cache saved");
          };
      if (deferCacheWrite) {
        // Written while the caller applies suppressions and writes reports (a sixth of a
        // re-scan); awaitCacheWrites() before the process ends, and before any index is read.
        PendingWrites.start(save);
      } else {
        save.run();
      }
    }
    lastFiles = inputs.stream().map(SourceInput::relPath).toList();
    Set<String> commentFree = new HashSet<>();
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] != null && outcomes[i].commentFree) commentFree.add(inputs.get(i).relPath());
    }
    lastCommentFree = Set.copyOf(commentFree);

    Set<Finding> findings = new LinkedHashSet<>();
    List<Notification> notes = new ArrayList<>();
    long lines = 0;
    // A module header is parsed with every .c file that includes it: count its functions and
    // problems once, and report each distinct notification once.
    Set<SrcRange> functionKeys = new HashSet<>();
    Map<SrcRange, Integer> problemKeys = new HashMap<>();
    int lostFunctions = 0;
    long lostLines = 0;
    int ownFunctions = 0;
    int ownProblems = 0;
    int ownFilesWithProblems = 0;
    Set<Notification> uniqueNotes = new LinkedHashSet<>();
    int skipped = 0;
    int fromCache = 0;
    int ruleFailures = 0;
    for (int i = 0; i < outcomes.length; i++) {
      FileOutcome o = outcomes[i];
      if (o == null) {
        // Only when even recording a failure failed (memory): still never lost silently.
        o = new FileOutcome();
        o.skip(fileStart(inputs.get(i)), "internal failure: the file's outcome was lost");
      }
      findings.addAll(o.findings);
      uniqueNotes.addAll(o.notifications);
      lines += o.lines;
      functionKeys.addAll(o.functionKeys);
      for (int k = 0; k < o.problemKeys.size(); k++) {
        problemKeys.put(o.problemKeys.get(k), o.problemKeysLost.get(k));
      }
      lostFunctions += o.ownLost.functions();
      lostLines += o.ownLost.lines();
      ownFunctions += o.ownFunctions;
      ownProblems += o.ownProblems;
      if (o.ownProblems > 0) ownFilesWithProblems++;
      if (o.skipped) skipped++;
      if (o.fromCache) fromCache++;
      ruleFailures += o.ruleFailures;
    }
    for (Partition p : partitions) {
      synchronized (p) {
        findings.addAll(p.findings);
        uniqueNotes.addAll(p.notifications);
        ruleFailures += p.ruleFailures;
      }
    }
    uniqueNotes.addAll(collected.unread());
    for (KbuildTree.Note n : kbuild.notes()) {
      String rel = collected.root().relativize(n.file()).toString();
      SrcRange at = new SrcRange(rel, n.line(), 1, n.line(), 1);
      uniqueNotes.add(new Notification("note", "kbuild", n.message(), at));
    }
    notes.addAll(uniqueNotes);
    int functions = ownFunctions + functionKeys.size();
    int problems = ownProblems + problemKeys.size();
    int filesWithProblems =
        ownFilesWithProblems
            + (int) problemKeys.keySet().stream().map(SrcRange::file).distinct().count();
    for (Map.Entry<SrcRange, Integer> e : problemKeys.entrySet()) {
      lostFunctions += e.getValue();
      lostLines += new ParseProblem(e.getKey(), "", 0).lostLines();
    }

    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Finding.ORDER);
    notes.sort(
        Comparator.comparing(Notification::location)
            .thenComparing(Notification::kind)
            .thenComparing(Notification::message));
    List<RuleDescriptor> descriptors = rules.stream().map(RuleDescriptor::of).toList();
    long millis = (System.nanoTime() - start) / 1_000_000;
    ScanStats stats =
        new ScanStats(
            inputs.size(),
            lines,
            functions,
            problems,
            filesWithProblems,
            skipped,
            fromCache,
            ruleFailures,
            lostFunctions,
            lostLines,
            millis);
    return new ScanResult(
        Version.version(),
        target,
        collected.root(),
        descriptors,
        List.copyOf(sorted),
        List.copyOf(notes),
        stats);
  }

  /** The scan's kernel tables, and its allocation table (the Scanner's own unless extended). */
  private record Knowledge(KernelKnowledge all, KernelApis allocs) {}

  /**
   * An unchanged file of a program that runs again (another of its files changed): its recorded
   * results and its stored unit, when a unit of that very parse (same key) is stored; else null.
   */
  private static FileOutcome storedUnit(ScanCache cache, Partition p, ScanCache.FileRecord r) {
    if (cache == null || p == null || r == null) return null;
    TranslationUnit unit = cache.unit(ScanCache.unitKey(r));
    if (unit == null) return null;
    FileOutcome o = FileOutcome.restored(r);
    o.unit = unit;
    return o;
  }

  private void runProgramRules(
      Partition p, Target target, Knowledge tables, WorkBudget budget, int ruleThreads) {
    List<TranslationUnit> units = p.takeUnits();
    boolean timed = Phases.on() && units.size() > 20;
    if (timed) Phases.mark("program " + p.name + " rules start");
    ProgramCtx shared = new ProgramCtx(units, target, tables);
    SrcRange where =
        units.isEmpty() ? SrcRange.UNKNOWN : new SrcRange(units.get(0).file(), 1, 1, 1, 1);
    int n = programRules.size();
    RuleView[] views = new RuleView[n];
    String[] failures = new String[n];
    AtomicInteger next = new AtomicInteger();
    Runnable drain =
        () -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            ProgramRule rule = programRules.get(i);
            String id = rule.info().id();
            if (budget.expired()) {
              failures[i] =
                  "rule "
                      + id
                      + " not run on the program "
                      + p.name
                      + ": "
                      + overBudget(budget, "");
              continue;
            }
            views[i] = new RuleView(shared);
            try {
              long t0 = System.nanoTime();
              rule.checkProgram(views[i]);
              long ms = (System.nanoTime() - t0) / 1_000_000;
              if (timed && ms > 10) Phases.mark("  rule " + id + " " + ms + " ms");
            } catch (Throwable e) {
              rethrowFatal(e);
              String why = budget.expired() ? overBudget(budget, "") : describe(e);
              failures[i] = "rule " + id + " failed on the program " + p.name + ": " + why;
            }
          }
        };
    // A re-scan that checks one program (or a scan of one module) would leave the other workers
    // idle: helpers take rules too, so that the atomic-context and pointer-origin facts, which
    // different rules ask for first, are computed side by side (docs/performance.md).
    int helpers = Math.min(ruleThreads, n) - 1;
    List<Thread> started = new ArrayList<>();
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    for (int h = 0; h < helpers; h++) {
      // A worker's deep stack: a rule's outcome on deeply nested code must not depend on -j.
      Thread t =
          new Thread(
              null,
              () -> {
                try {
                  budget.runOnThisThread(drain);
                } catch (Throwable e) {
                  fatal.compareAndSet(null, e);
                }
              },
              "kmodcheck-rules-" + p.name,
              Workers.STACK_BYTES);
      t.setDaemon(true);
      t.start();
      started.add(t);
    }
    drain.run();
    for (Thread t : started) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("scan interrupted", e);
      }
    }
    Throwable lost = fatal.get();
    if (lost instanceof Error e) throw e;
    if (lost != null) throw new IllegalStateException("a rule thread failed", lost);
    // In rule order, whichever thread ran a rule, so reports and the cache do not depend on -j;
    // what the rules reported before any failure is kept.
    Set<Finding> found = p.findingSet();
    for (int i = 0; i < n; i++) {
      if (failures[i] != null) p.failed(failures[i], where);
      if (views[i] != null) found.addAll(views[i].found());
    }
    p.addFindings(found);
    if (timed) Phases.mark("program " + p.name + " rules end");
  }

  private static void startDaemon(Runnable work) {
    Thread t = new Thread(work, "kmodcheck-cache-index");
    t.setDaemon(true);
    t.start();
  }

  /** The files that form one program for whole-program rules, and what those rules found. */
  static final class Partition {
    final String name;
    final int[] indices;
    private final TranslationUnit[] units;
    private final AtomicInteger remaining;
    final List<Finding> findings = new ArrayList<>();
    final List<Notification> notifications = new ArrayList<>();
    int ruleFailures;

    /** Given up by the watchdog: what its late thread still reports is dropped. */
    private boolean closed;

    /** A rule's run on this program that failed or did not happen: its findings may be missing. */
    synchronized void failed(String message, SrcRange where) {
      if (closed) return;
      notifications.add(new Notification("error", "rule-failed", message, where));
      ruleFailures++;
    }

    synchronized void addFindings(Collection<Finding> found) {
      if (!closed) findings.addAll(found);
    }

    synchronized void giveUp(String message, SrcRange where) {
      failed(message, where);
      closed = true;
    }

    SrcRange firstFile(List<SourceInput> inputs) {
      return fileStart(inputs.get(indices[0]));
    }

    private Partition(String name, List<Integer> indices) {
      this.name = name;
      this.indices = indices.stream().mapToInt(Integer::intValue).toArray();
      this.units = new TranslationUnit[this.indices.length];
      this.remaining = new AtomicInteger(this.indices.length);
    }

    List<String> files(List<SourceInput> inputs) {
      List<String> out = new ArrayList<>(indices.length);
      for (int i : indices) out.add(inputs.get(i).relPath());
      return out;
    }

    static List<Partition> of(List<SourceInput> inputs, ScanRequest.ProgramScope scope) {
      Map<String, List<Integer>> groups = new TreeMap<>();
      for (int i = 0; i < inputs.size(); i++) {
        String key = "";
        if (scope == ScanRequest.ProgramScope.DIRECTORY) {
          String rel = inputs.get(i).relPath();
          int slash = rel.lastIndexOf('/');
          key = slash < 0 ? "." : rel.substring(0, slash);
        }
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
      List<Partition> out = new ArrayList<>();
      groups.forEach((k, v) -> out.add(new Partition(k.isEmpty() ? "(all files)" : k, v)));
      return out;
    }

    /** Records a parsed file; true for the call that completes the program. */
    boolean fileDone(int inputIndex, FileOutcome o) {
      int j = Arrays.binarySearch(indices, inputIndex); // indices ascend
      units[j] = o.unit;
      o.unit = null;
      return remaining.decrementAndGet() == 0;
    }

    /** The program's units in input order (deterministic), handed over once. */
    synchronized List<TranslationUnit> takeUnits() {
      List<TranslationUnit> list = new ArrayList<>();
      for (int j = 0; j < units.length; j++) {
        if (units[j] != null) list.add(units[j]);
        units[j] = null;
      }
      return list;
    }

    Set<Finding> findingSet() {
      return new LinkedHashSet<>();
    }
  }

  static final class FileOutcome {
    final List<Finding> findings = new ArrayList<>();
    final List<Notification> notifications = new ArrayList<>();
    long lines;

    /** Functions and parse problems in the file itself, counted. */
    int ownFunctions;

    int ownProblems;

    /**
     * Those in module headers it includes, by place: another unit may report the same ones and they
     * are counted once.
     */
    List<SrcRange> functionKeys = List.of();

    List<SrcRange> problemKeys = List.of();

    /** Functions and lines lost to the file's own problems, and to each of problemKeys. */
    ScanCache.Lost ownLost = ScanCache.Lost.NONE;

    List<Integer> problemKeysLost = List.of();
    boolean skipped;

    /** Skipped for want of memory: tried once more when the other files are done. */
    boolean outOfMemory;

    int ruleFailures;
    TranslationUnit unit;

    /** The file's text is known not to contain the scan's comment marker. */
    boolean commentFree;

    /** True when the file was not parsed: its results (and unit) came from the cache. */
    boolean fromCache;

    /** For the cache: the record this outcome came from or was stored as. */
    ScanCache.FileRecord record;

    /** For the cache: the headers the parse looked for. */
    List<String> headers = List.of();

    static FileOutcome restored(ScanCache.FileRecord r) {
      FileOutcome o = new FileOutcome();
      ScanCache.Outcome s = r.outcome();
      o.findings.addAll(s.findings());
      o.notifications.addAll(s.notifications());
      o.lines = s.lines();
      o.ownFunctions = s.ownFunctions();
      o.ownProblems = s.ownProblems();
      o.functionKeys = s.functionKeys();
      o.problemKeys = s.problemKeys();
      o.ownLost = s.ownLost();
      o.problemKeysLost = s.problemKeysLost();
      o.skipped = s.skipped();
      o.commentFree = s.commentFree();
      o.record = r;
      o.fromCache = true;
      return o;
    }

    ScanCache.Outcome stored() {
      return new ScanCache.Outcome(
          List.copyOf(findings),
          List.copyOf(notifications),
          lines,
          ownFunctions,
          ownProblems,
          List.copyOf(functionKeys),
          List.copyOf(problemKeys),
          ownLost,
          List.copyOf(problemKeysLost),
          skipped,
          commentFree);
    }

    void skip(SrcRange file, String why) {
      skipped = true;
      notifications.add(new Notification("error", "file-skipped", "file skipped: " + why, file));
    }
  }

  private void remember(ScanCache cache, SourceInput in, FileOutcome o) {
    ScanCache.Dep source = cache.signature(absolute(in).toString());
    List<ScanCache.Dep> deps = new ArrayList<>();
    for (String h : o.headers) deps.add(cache.signature(h));
    o.record =
        new ScanCache.FileRecord(
            in.relPath(), commandKey(in), source, List.copyOf(deps), o.stored());
  }

  private void saveCache(
      ScanCache cache,
      List<SourceInput> inputs,
      FileOutcome[] outcomes,
      List<Partition> parts,
      boolean nothingRan) {
    // Rewriting an index of tens of MB when every result came from it would double a re-scan;
    // whether it still covers exactly these files and programs is checked by hash first.
    if (nothingRan && cache.covers(recordedFiles(outcomes), recordedPrograms(parts))) return;
    Map<String, ScanCache.FileRecord> files = new TreeMap<>();
    for (FileOutcome o : outcomes) {
      if (o != null && o.record != null) files.put(o.record.relPath(), o.record);
    }
    Map<String, ScanCache.ProgramRecord> programs = new TreeMap<>();
    for (Partition p : parts) {
      if (!recorded(p)) continue;
      programs.put(
          p.name,
          new ScanCache.ProgramRecord(
              p.name, p.files(inputs), List.copyOf(p.findings), List.copyOf(p.notifications)));
    }
    try {
      cache.save(new ScanCache.Index(files, programs));
    } catch (IOException | RuntimeException e) {
      // A cache that cannot be written costs the next scan time, not this scan's results.
    }
  }

  /** The files whose outcome has a cache record, by report path. */
  private static Set<String> recordedFiles(FileOutcome[] outcomes) {
    Set<String> files = new HashSet<>(outcomes.length * 2);
    for (FileOutcome o : outcomes) {
      if (o != null && o.record != null) files.add(o.record.relPath());
    }
    return files;
  }

  private static Set<String> recordedPrograms(List<Partition> parts) {
    Set<String> names = new HashSet<>();
    for (Partition p : parts) {
      if (recorded(p)) names.add(p.name);
    }
    return names;
  }

  /** Rules that failed or ran out of time may do better next time: their program is not stored. */
  private static boolean recorded(Partition p) {
    return p.ruleFailures == 0;
  }

  private ScanCache openCache(
      ScanRequest request, Path root, CompletableFuture<ScanCache.Index> earlyIndex)
      throws BadInputException {
    if (cacheDir == null) return null;
    try {
      String fingerprint = fingerprint(request, root);
      return earlyIndex == null
          ? ScanCache.open(cacheDir, fingerprint)
          : ScanCache.open(cacheDir, fingerprint, earlyIndex.join());
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("cannot use cache directory " + cacheDir + ": " + e.getMessage());
    }
  }

  /**
   * Everything besides the files and the tool build (which {@link ScanCache#fingerprint} adds) that
   * decides a scan's results: the rules, the target, the header-less parse setup, the kernel tables
   * (shipped and the project's rows) and kernel summaries, the program scope, the source root
   * (findings name files relative to it).
   */
  private String fingerprint(ScanRequest request, Path root) {
    StringBuilder sb = new StringBuilder();
    for (Rule r : rules)
      sb.append(r.getClass().getName()).append(' ').append(r.info().id()).append('\n');
    sb.append(request.target()).append('\n');
    sb.append(request.parseSetup()).append('\n');
    for (KernelKnowledge.Table t : KernelKnowledge.Table.values()) {
      sb.append(t).append(request.knowledge().extraRows(t)).append('\n');
    }
    sb.append(request.knowledge().kernelSummariesIdentity()).append('\n');
    sb.append(apis == KernelApis.builtin() ? "builtin" : "custom:" + System.identityHashCode(apis));
    sb.append('\n').append(request.scope()).append('\n').append(root).append('\n');
    sb.append(commentMarker).append('\n');
    return ScanCache.fingerprint(sb.toString());
  }

  private static Path absolute(SourceInput in) {
    return in.path().toAbsolutePath().normalize();
  }

  private static String commandKey(SourceInput in) {
    return in.command() == null ? "" : in.command().toString();
  }

  private static SrcRange fileStart(SourceInput in) {
    return new SrcRange(in.relPath(), 1, 1, 1, 1);
  }

  private FileOutcome processFile(
      Frontend frontend, Target target, Knowledge tables, SourceInput in, WorkBudget budget) {
    FileOutcome out = new FileOutcome();
    SrcRange fileStart = fileStart(in);
    TranslationUnit tu;
    try {
      Frontend.Parsed parsed = frontend.parseTracked(in);
      tu = parsed.unit();
      out.headers = parsed.headers();
      out.commentFree = commentMarker != null && !parsed.sourceContains(commentMarker);
    } catch (Throwable e) {
      rethrowFatal(e);
      out.outOfMemory = isOutOfMemory(e);
      String why =
          budget.expired()
              ? overBudget(budget, "while parsing")
              : out.outOfMemory
                  ? OUT_OF_MEMORY + " while parsing"
                  : "parser failed: " + describe(e);
      out.skip(fileStart, why);
      return out;
    }
    out.lines = tu.lines();
    out.functionKeys = new ArrayList<>();
    out.problemKeys = new ArrayList<>();
    out.problemKeysLost = new ArrayList<>();
    int ownLostFunctions = 0;
    long ownLostLines = 0;
    for (FunctionDef fn : tu.functions()) {
      if (fn.nameRange().file().equals(in.relPath())) {
        out.ownFunctions++;
      } else {
        out.functionKeys.add(fn.nameRange());
      }
    }
    for (ParseProblem pp : tu.problems()) {
      if (pp.range().file().equals(in.relPath())) {
        out.ownProblems++;
        ownLostFunctions += pp.lostFunctions();
        ownLostLines += pp.lostLines();
      } else {
        out.problemKeys.add(pp.range());
        out.problemKeysLost.add(pp.lostFunctions());
      }
    }
    out.ownLost = new ScanCache.Lost(ownLostFunctions, ownLostLines);
    // One notification per file with problems (the .c file or a module header it includes).
    Map<String, List<ParseProblem>> byFile = new TreeMap<>();
    for (ParseProblem p : tu.problems()) {
      byFile.computeIfAbsent(p.range().file(), f -> new ArrayList<>()).add(p);
    }
    for (List<ParseProblem> ps : byFile.values()) {
      ParseProblem first = ps.get(0);
      String msg =
          ps.size()
              + (ps.size() == 1 ? " parse problem" : " parse problems")
              + " (code there is not analysed); first: "
              + first.message();
      out.notifications.add(new Notification("warning", "parse-problems", msg, first.range()));
    }
    UnitCtx ctx = new UnitCtx(tu, target, tables, out.findings);
    for (UnitRule rule : unitRules) {
      String id = rule.info().id();
      if (budget.expired()) {
        // Findings of the rules that finished stay: they are complete for this file.
        out.skip(fileStart, overBudget(budget, "before rule " + id));
        break;
      }
      try {
        rule.checkUnit(ctx);
      } catch (Throwable e) {
        rethrowFatal(e);
        if (budget.expired()) {
          out.skip(fileStart, overBudget(budget, "in rule " + id));
          break;
        }
        if (isOutOfMemory(e)) {
          out.outOfMemory = true;
          out.skip(fileStart, OUT_OF_MEMORY + " in rule " + id);
          break;
        }
        out.ruleFailures++;
        out.notifications.add(
            new Notification(
                "error",
                "rule-failed",
                "rule "
                    + id
                    + " failed on this file (its findings here may be incomplete): "
                    + describe(e),
                fileStart));
      }
    }
    if (keepUnits && !out.skipped) out.unit = tu;
    return out;
  }

  private static final String OUT_OF_MEMORY =
      "out of memory (give Java more heap, e.g. KMODCHECK_JAVA_OPTS=-Xmx4g)";

  private static String overBudget(WorkBudget budget, String where) {
    return "exceeded the time budget of "
        + budget.describe()
        + " (--file-timeout)"
        + (where.isEmpty() ? "" : " " + where);
  }

  /** Why work given up by the workers is lost: its budget, or what failed around it. */
  private static String lost(WorkBudget budget, Throwable cause) {
    if (cause == null) return overBudget(budget, "and did not stop");
    return isOutOfMemory(cause) ? OUT_OF_MEMORY : "internal failure: " + describe(cause);
  }

  private static boolean isOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) return true;
    }
    return false;
  }

  /**
   * Errors that mean the JVM itself is broken are not one file's problem; everything else
   * (exceptions, stack overflow, memory, CDT's ParseError) is.
   */
  private static void rethrowFatal(Throwable e) {
    if (e instanceof VirtualMachineError
        && !(e instanceof StackOverflowError)
        && !(e instanceof OutOfMemoryError)) {
      throw (VirtualMachineError) e;
    }
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    String text =
        e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    // A rule failure on a real tree is reproduced from where it was thrown: KMODCHECK_DEBUG (as
    // for internal errors) adds the innermost frames to the notification.
    if (System.getenv("KMODCHECK_DEBUG") == null) return text;
    StringBuilder out = new StringBuilder(text);
    StackTraceElement[] frames = e.getStackTrace();
    for (int i = 0; i < Math.min(DEBUG_FRAMES, frames.length); i++) {
      out.append(" | at ").append(frames[i]);
    }
    return out.toString();
  }

  private static final int DEBUG_FRAMES = 12;

  private static final class UnitCtx implements UnitContext {
    private final TranslationUnit unit;
    private final Target target;
    private final Knowledge tables;
    private final List<Finding> sink;
    private TypeLayout layout;
    private final Map<FunctionDef, ValueEvaluator> evaluators = new IdentityHashMap<>();
    private final Map<Fact<UnitContext, ?>, Object> facts = new IdentityHashMap<>();

    UnitCtx(TranslationUnit unit, Target target, Knowledge tables, List<Finding> sink) {
      this.unit = unit;
      this.target = target;
      this.tables = tables;
      this.sink = sink;
    }

    @Override
    public TranslationUnit unit() {
      return unit;
    }

    @Override
    public Target target() {
      return target;
    }

    @Override
    public KernelApis apis() {
      return tables.allocs();
    }

    @Override
    public KernelKnowledge knowledge() {
      return tables.all();
    }

    @Override
    public ValueEvaluator evaluator(FunctionDef fn) {
      if (layout == null) layout = TypeLayout.forUnit(target, unit);
      // One evaluator per function, shared by every rule: its per-function facts (which locals
      // are written) are computed once. Module parameters take their variable's address in the
      // shim, so trusting unchanged static globals is safe.
      return evaluators.computeIfAbsent(fn, f -> new ValueEvaluator(target, layout, unit, f, true));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T fact(Fact<UnitContext, T> key) {
      // The unit's rules run one after another on its thread; a fact may ask for another.
      Object known = facts.get(key);
      if (known != null) return (T) known;
      T made = key.make(this);
      facts.put(key, made);
      return made;
    }

    @Override
    public void report(Finding finding) {
      sink.add(finding);
    }
  }

  /**
   * What the rules of one program share: its units, tables and facts. Facts are computed once, by
   * the first rule that asks; a rule on another thread that asks meanwhile waits for it.
   */
  private static final class ProgramCtx {
    private final List<TranslationUnit> units;
    private final Target target;
    private final Knowledge tables;
    private final Map<Fact<ProgramContext, ?>, CompletableFuture<Object>> facts =
        new ConcurrentHashMap<>();
    private final Map<TranslationUnit, TypeLayout> layouts = new IdentityHashMap<>();

    /** Each unit's whole-unit facts once for the program, not once per analysis that visits it. */
    private final ValueEvaluator.UnitFactsCache unitFacts = new ValueEvaluator.UnitFactsCache();

    ProgramCtx(List<TranslationUnit> units, Target target, Knowledge tables) {
      this.units = units;
      this.target = target;
      this.tables = tables;
    }

    @SuppressWarnings("unchecked")
    <T> T fact(Fact<ProgramContext, T> key, ProgramContext asker) {
      while (true) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = facts.putIfAbsent(key, mine);
        if (running == null) {
          try {
            T made = key.make(asker);
            mine.complete(made);
            return made;
          } catch (Throwable e) {
            facts.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
          }
        }
        try {
          return (T) running.join();
        } catch (CompletionException e) {
          // The rule computing it failed: this one tries itself, as when rules ran one by one
          // (unless the program's time is up).
          WorkBudget.checkpoint();
        }
      }
    }

    synchronized ValueEvaluator evaluator(TranslationUnit unit, FunctionDef fn) {
      TypeLayout layout = layouts.computeIfAbsent(unit, u -> TypeLayout.forUnit(target, u));
      return new ValueEvaluator(target, layout, unit, fn, true, unitFacts);
    }
  }

  /** One rule's view of its program: the shared facts, and its own findings. */
  private static final class RuleView implements ProgramContext {
    private final ProgramCtx shared;
    private final Set<Finding> sink = new LinkedHashSet<>();

    RuleView(ProgramCtx shared) {
      this.shared = shared;
    }

    Set<Finding> found() {
      synchronized (sink) {
        return new LinkedHashSet<>(sink);
      }
    }

    @Override
    public List<TranslationUnit> units() {
      return shared.units;
    }

    @Override
    public Target target() {
      return shared.target;
    }

    @Override
    public KernelApis apis() {
      return shared.tables.allocs();
    }

    @Override
    public KernelKnowledge knowledge() {
      return shared.tables.all();
    }

    @Override
    public void report(Finding finding) {
      synchronized (sink) {
        sink.add(finding);
      }
    }

    @Override
    public <T> T fact(Fact<ProgramContext, T> key) {
      return shared.fact(key, this);
    }

    @Override
    public ValueEvaluator evaluator(TranslationUnit unit, FunctionDef fn) {
      return shared.evaluator(unit, fn);
    }
  }
}
