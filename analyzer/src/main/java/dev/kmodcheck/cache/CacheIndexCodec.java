package dev.kmodcheck.cache;

import dev.kmodcheck.cache.ScanCache.Dep;
import dev.kmodcheck.cache.ScanCache.FileRecord;
import dev.kmodcheck.cache.ScanCache.Index;
import dev.kmodcheck.cache.ScanCache.Outcome;
import dev.kmodcheck.cache.ScanCache.ProgramRecord;
import dev.kmodcheck.check.Confidence;
import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.ir.CompactIn;
import dev.kmodcheck.ir.CompactOut;
import dev.kmodcheck.ir.SrcRange;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of the cache index: every string once (then a number), every header signature
 * once (then a number), integers as varints. Java serialization of the same index took 0.6 s to
 * read and as long to write for drivers/ (32 MB), most of a cached re-scan; this form is read in a
 * fraction of that.
 *
 * <p>A stream that does not start with this build's magic and version, or ends early, decodes to
 * null: the cache treats it as a miss.
 */
final class CacheIndexCodec {

  private static final int MAGIC = 0x4b4d4331; // "KMC1"
  private static final int VERSION = 3;
  private static final Severity[] SEVERITIES = Severity.values();

  private CacheIndexCodec() {}

  static byte[] encode(Index index) {
    CompactOut w = new CompactOut();
    w.varint(MAGIC);
    w.varint(VERSION);
    Map<Dep, Integer> deps = new LinkedHashMap<>();
    for (FileRecord f : index.files().values()) {
      deps.putIfAbsent(f.source(), deps.size());
      for (Dep d : f.deps()) deps.putIfAbsent(d, deps.size());
    }
    w.varint(deps.size());
    for (Dep d : deps.keySet()) {
      w.string(d.path());
      w.varlong(d.size() + 1); // -1 for a missing file
      w.varlong(d.mtime() + 1);
      w.string(d.hash());
    }
    w.varint(index.files().size());
    for (FileRecord f : index.files().values()) {
      w.string(f.relPath());
      w.string(f.command());
      w.varint(deps.get(f.source()));
      w.varint(f.deps().size());
      for (Dep d : f.deps()) w.varint(deps.get(d));
      Outcome o = f.outcome();
      findings(w, o.findings());
      notifications(w, o.notifications());
      w.varlong(o.lines());
      w.varint(o.ownFunctions());
      w.varint(o.ownProblems());
      ranges(w, o.functionKeys());
      ranges(w, o.problemKeys());
      w.varint(o.ownLost().functions());
      w.varlong(o.ownLost().lines());
      for (int lost : o.problemKeysLost()) w.varint(lost);
      w.varint((o.skipped() ? 1 : 0) | (o.commentFree() ? 2 : 0));
    }
    w.varint(index.programs().size());
    for (ProgramRecord p : index.programs().values()) {
      w.string(p.name());
      w.varint(p.files().size());
      for (String file : p.files()) w.string(file);
      findings(w, p.findings());
      notifications(w, p.notifications());
    }
    return w.toByteArray();
  }

  /** The index, or null when {@code bytes} are not an index of this format. */
  static Index decode(byte[] bytes) {
    try {
      CompactIn r = new CompactIn(bytes);
      if (r.varint() != MAGIC || r.varint() != VERSION) return null;
      Dep[] deps = new Dep[r.count()];
      for (int i = 0; i < deps.length; i++) {
        deps[i] = new Dep(r.string(), r.varlong() - 1, r.varlong() - 1, r.string());
      }
      int fileCount = r.count();
      Map<String, FileRecord> files = new HashMap<>(fileCount * 2);
      for (int i = 0; i < fileCount; i++) {
        String relPath = r.string();
        String command = r.string();
        Dep source = deps[r.varint()];
        Dep[] own = new Dep[r.count()];
        for (int k = 0; k < own.length; k++) own[k] = deps[r.varint()];
        List<Finding> findings = findings(r);
        List<Notification> notifications = notifications(r);
        long lines = r.varlong();
        int ownFunctions = r.varint();
        int ownProblems = r.varint();
        List<SrcRange> functionKeys = ranges(r);
        List<SrcRange> problemKeys = ranges(r);
        ScanCache.Lost ownLost = new ScanCache.Lost(r.varint(), r.varlong());
        Integer[] keysLost = new Integer[problemKeys.size()];
        for (int k = 0; k < keysLost.length; k++) keysLost[k] = r.varint();
        int flags = r.varint();
        Outcome o =
            new Outcome(
                findings,
                notifications,
                lines,
                ownFunctions,
                ownProblems,
                functionKeys,
                problemKeys,
                ownLost,
                List.of(keysLost),
                (flags & 1) != 0,
                (flags & 2) != 0);
        files.put(relPath, new FileRecord(relPath, command, source, List.of(own), o));
      }
      int programCount = r.count();
      Map<String, ProgramRecord> programs = new HashMap<>(programCount * 2);
      for (int i = 0; i < programCount; i++) {
        String name = r.string();
        String[] members = new String[r.count()];
        for (int k = 0; k < members.length; k++) members[k] = r.string();
        programs.put(
            name, new ProgramRecord(name, List.of(members), findings(r), notifications(r)));
      }
      if (!r.atEnd()) return null;
      return new Index(files, programs);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static final Confidence[] CONFIDENCES = Confidence.values();

  private static void findings(CompactOut w, List<Finding> findings) {
    w.varint(findings.size());
    for (Finding f : findings) {
      w.string(f.ruleId());
      w.varint(f.severity().ordinal());
      w.string(f.message());
      range(w, f.range());
      w.string(f.function());
      w.varint(f.trace().size());
      for (TraceStep s : f.trace()) {
        range(w, s.range());
        w.string(s.message());
      }
      w.varint(f.confidence() == null ? 0 : f.confidence().ordinal() + 1);
      w.string(f.rootCause());
    }
  }

  private static List<Finding> findings(CompactIn r) {
    int n = r.count();
    if (n == 0) return List.of();
    Finding[] out = new Finding[n];
    for (int i = 0; i < n; i++) {
      String rule = r.string();
      Severity severity = SEVERITIES[r.varint()];
      String message = r.string();
      SrcRange range = range(r);
      String function = r.string();
      TraceStep[] trace = new TraceStep[r.count()];
      for (int k = 0; k < trace.length; k++) trace[k] = new TraceStep(range(r), r.string());
      int confidence = r.varint();
      String rootCause = r.string();
      out[i] =
          new Finding(
              rule,
              severity,
              message,
              range,
              function,
              List.of(trace),
              confidence == 0 ? null : CONFIDENCES[confidence - 1],
              rootCause);
    }
    return List.of(out);
  }

  private static void notifications(CompactOut w, List<Notification> notes) {
    w.varint(notes.size());
    for (Notification n : notes) {
      w.string(n.level());
      w.string(n.kind());
      w.string(n.message());
      range(w, n.location());
    }
  }

  private static List<Notification> notifications(CompactIn r) {
    int n = r.count();
    if (n == 0) return List.of();
    Notification[] out = new Notification[n];
    for (int i = 0; i < n; i++) {
      out[i] = new Notification(r.string(), r.string(), r.string(), range(r));
    }
    return List.of(out);
  }

  private static void ranges(CompactOut w, List<SrcRange> ranges) {
    w.varint(ranges.size());
    for (SrcRange s : ranges) range(w, s);
  }

  private static List<SrcRange> ranges(CompactIn r) {
    int n = r.count();
    if (n == 0) return List.of();
    SrcRange[] out = new SrcRange[n];
    for (int i = 0; i < n; i++) out[i] = range(r);
    return List.of(out);
  }

  private static void range(CompactOut w, SrcRange s) {
    w.range(s);
  }

  private static SrcRange range(CompactIn r) {
    return r.range();
  }
}
