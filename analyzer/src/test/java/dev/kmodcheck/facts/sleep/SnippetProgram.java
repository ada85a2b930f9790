package dev.kmodcheck.facts.sleep;

import dev.kmodcheck.facts.TypeLayout;
import dev.kmodcheck.facts.ValueEvaluator;
import dev.kmodcheck.facts.program.CallSite;
import dev.kmodcheck.facts.program.FunctionRef;
import dev.kmodcheck.facts.program.Program;
import dev.kmodcheck.frontend.Frontend;
import dev.kmodcheck.frontend.SourceInput;
import dev.kmodcheck.ir.TranslationUnit;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** C snippets parsed header-less by the real frontend into one {@link Program}. */
public final class SnippetProgram {
  private static final Frontend FRONTEND = new Frontend(Target.defaultTarget());

  public final Program program;

  /** {@code files} alternates file names and contents. */
  public SnippetProgram(Path dir, String... files) {
    List<TranslationUnit> units = new ArrayList<>();
    try {
      for (int i = 0; i < files.length; i += 2) {
        Path file = dir.resolve(files[i]);
        Files.createDirectories(file.getParent());
        Files.writeString(file, files[i + 1], StandardCharsets.UTF_8);
      }
      for (int i = 0; i < files.length; i += 2) {
        if (!files[i].endsWith(".c")) continue;
        units.add(FRONTEND.parse(new SourceInput(dir.resolve(files[i]), files[i], null)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    program = new Program(units);
  }

  public FunctionRef fn(String name) {
    return program.functions().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no function " + name));
  }

  /** The first call site in {@code caller} whose name is {@code callee}. */
  public CallSite site(String caller, String callee) {
    return program.callSites(fn(caller)).stream()
        .filter(s -> callee.equals(s.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no call to " + callee + " in " + caller));
  }

  /** Every call site in {@code caller} whose name is {@code callee}, in source order. */
  public List<CallSite> sites(String caller, String callee) {
    return program.callSites(fn(caller)).stream().filter(s -> callee.equals(s.name())).toList();
  }

  public ValueEvaluator evaluator(FunctionRef f) {
    Target t = Target.defaultTarget();
    return new ValueEvaluator(t, TypeLayout.forUnit(t, f.unit()), f.unit(), f.def());
  }
}
