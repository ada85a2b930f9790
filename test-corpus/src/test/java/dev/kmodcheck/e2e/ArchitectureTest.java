package dev.kmodcheck.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceRule;
import dev.kmodcheck.Version;
import dev.kmodcheck.rules.KmallocSizeLimit;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of ARCHITECTURE.md, checked on the compiled main classes of the analyzer and
 * rules modules: only the frontend sees CDT, each package imports only the layers its row names,
 * and packages form no cycle. The dependencies that break these rules today are listed in {@link
 * #KNOWN}; anything else fails the build, and so does a listed one that is gone or no longer needs
 * its entry, so the list can only shrink.
 */
class ArchitectureTest {

  /**
   * Layer name, its packages below {@code dev.kmodcheck} ("" is the root package), what it imports.
   */
  private record Layer(String name, List<String> packages, List<String> mayImport) {}

  // Kept in the same order and words as the table in ARCHITECTURE.md, which a test below compares.
  static final List<Layer> LAYERS =
      List.of(
          layer("Base", "'', budget", ""),
          layer("Kernel", "kernel", "Base"),
          layer("Ir", "ir", "Base"),
          layer("Frontend", "frontend", "Ir, Kernel, Base"),
          layer("Facts", "facts", "Ir, Kernel, Base"),
          layer("Check", "check", "Facts, Ir, Kernel, Base"),
          layer("Rules", "rules", "Check, Facts, Ir, Kernel, Base"),
          layer("Cache", "cache", "Check, Ir, Base"),
          layer("Engine", "engine", "Cache, Frontend, Check, Facts, Ir, Kernel, Base"),
          layer("Summarize", "summarize", "Engine, Check, Facts, Ir, Kernel, Base"),
          layer("Config", "config", "Check, Facts, Kernel, Base"),
          layer("Report", "report", "Engine, Check, Facts, Ir, Kernel, Base"),
          layer(
              "Cli",
              "cli",
              "Report, Config, Summarize, Engine, Frontend, Check, Facts, Ir, Kernel, Base"));

  /**
   * Class-to-class dependencies that break a rule but are tolerated until a named change removes
   * them (nested classes count as their top-level class), each group with that change.
   */
  static final List<String> KNOWN = List.of();

  private static final String ROOT = "dev.kmodcheck";

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    // The code sources of one class per module: their main classes only, never test classes.
    classes =
        new ClassFileImporter()
            .importLocations(
                List.of(codeSource(Version.class), codeSource(KmallocSizeLimit.class)));
  }

  private static Location codeSource(Class<?> type) throws URISyntaxException {
    Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    // A module's classes folder up to the test phase, its jar from the package phase on.
    return Files.isDirectory(p)
        ? Location.of(p)
        : Location.of(URI.create("jar:" + p.toUri() + "!/"));
  }

  @Test
  void onlyTheFrontendSeesCdt() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".frontend..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse..")
        .because("the frontend turns CDT's AST into the IR that everything else reads")
        .check(classes);
  }

  @Test
  void onlyTheEngineUsesTheCache() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".engine..", ROOT + ".cache..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".cache..")
        .because("a scan with --cache reports what one without it does, whoever runs it")
        .check(classes);
  }

  @Test
  void eachPackageImportsOnlyTheLayersOfItsRow() {
    layers(KNOWN).check(classes);
  }

  @Test
  void packagesFormNoCycle() {
    cycles(KNOWN).check(classes);
  }

  @Test
  void everyKnownExceptionStillOccursAndIsStillNeeded() {
    List<String> stale = new ArrayList<>();
    for (String entry : KNOWN) {
      String[] ends = ends(entry);
      List<String> others = new ArrayList<>(KNOWN);
      others.remove(entry);
      Map<String, Set<String>> graph = packageGraph(others);
      String from = packageOf(ROOT + "." + ends[0]);
      String to = packageOf(ROOT + "." + ends[1]);
      if (!occurs(ends[0], ends[1])) {
        stale.add(entry + ": no longer occurs");
      } else if (from.equals(to) || !breaksLayers(from, to) && !reaches(graph, to, from)) {
        stale.add(entry + ": breaks no rule");
      }
    }
    assertEquals(List.of(), stale, "remove these from KNOWN");
  }

  @Test
  void theLayerTableOfArchitectureMdIsTheOneChecked() throws IOException {
    String page = Files.readString(Cli.REPO.resolve("ARCHITECTURE.md"));
    int start = page.indexOf("\n## Packages\n");
    assertTrue(start >= 0, "ARCHITECTURE.md has a section 'Packages'");
    int end = page.indexOf("\n## ", start + 1);
    String section = page.substring(start, end < 0 ? page.length() : end);
    // | Rules | `dev.kmodcheck.rules` | what it holds | Check, Facts, Ir, Base |
    Pattern row =
        Pattern.compile("^\\| (\\w+) \\| ([^|]+) \\| [^|]+ \\| ([^|]+) \\|$", Pattern.MULTILINE);
    Map<String, String> documented = new LinkedHashMap<>();
    Matcher m = row.matcher(section);
    while (m.find()) {
      if (m.group(1).equals("Layer")) continue;
      documented.put(m.group(1), m.group(2).strip() + " | " + m.group(3).strip());
    }
    Map<String, String> checked = new LinkedHashMap<>();
    for (Layer l : LAYERS) {
      List<String> pkgs = l.packages().stream().map(p -> "`" + qualified(p) + "`").toList();
      String imports = l.mayImport().isEmpty() ? "-" : String.join(", ", l.mayImport());
      checked.put(l.name(), String.join(", ", pkgs) + " | " + imports);
    }
    assertEquals(checked, documented);
    assertTrue(section.contains("ArchitectureTest"), "the section names the test that enforces it");
  }

  private static LayeredArchitecture layers(List<String> known) {
    LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (Layer l : LAYERS) {
      String[] pkgs =
          l.packages().stream()
              .map(p -> p.isEmpty() ? ROOT : qualified(p) + "..")
              .toArray(String[]::new);
      arch = arch.layer(l.name()).definedBy(pkgs);
    }
    for (Layer l : LAYERS) {
      arch =
          l.mayImport().isEmpty()
              ? arch.whereLayer(l.name()).mayNotAccessAnyLayer()
              : arch.whereLayer(l.name()).mayOnlyAccessLayers(l.mayImport().toArray(String[]::new));
    }
    arch = arch.ensureAllClassesAreContainedInArchitecture();
    for (String entry : known) {
      String[] ends = ends(entry);
      arch = arch.ignoreDependency(within(ends[0]), within(ends[1]));
    }
    return arch;
  }

  private static SliceRule cycles(List<String> known) {
    SliceRule rule = slices().matching(ROOT + ".(**)").should().beFreeOfCycles();
    for (String entry : known) {
      String[] ends = ends(entry);
      rule = rule.ignoreDependency(within(ends[0]), within(ends[1]));
    }
    return rule;
  }

  private static boolean occurs(String origin, String target) {
    return classes.stream()
        .filter(c -> topLevel(c).equals(ROOT + "." + origin))
        .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
        .anyMatch(d -> topLevel(d.getTargetClass()).equals(ROOT + "." + target));
  }

  /**
   * Package to the packages it depends on, leaving out the dependencies listed in {@code known}.
   */
  private static Map<String, Set<String>> packageGraph(List<String> known) {
    Set<String> ignored = new HashSet<>();
    for (String entry : known) {
      String[] ends = ends(entry);
      ignored.add(ROOT + "." + ends[0] + " -> " + ROOT + "." + ends[1]);
    }
    Map<String, Set<String>> graph = new HashMap<>();
    for (JavaClass c : classes) {
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass t = d.getTargetClass();
        if (!(t.getPackageName() + ".").startsWith(ROOT + ".")
            || ignored.contains(topLevel(c) + " -> " + topLevel(t))) {
          continue;
        }
        graph.computeIfAbsent(c.getPackageName(), k -> new HashSet<>()).add(t.getPackageName());
      }
    }
    return graph;
  }

  private static boolean reaches(Map<String, Set<String>> graph, String from, String to) {
    Deque<String> work = new ArrayDeque<>(List.of(from));
    Set<String> seen = new HashSet<>(work);
    while (!work.isEmpty()) {
      String p = work.pop();
      if (p.equals(to)) return true;
      for (String next : graph.getOrDefault(p, Set.of())) {
        if (seen.add(next)) work.push(next);
      }
    }
    return false;
  }

  private static boolean breaksLayers(String fromPackage, String toPackage) {
    Layer from = layerOf(fromPackage);
    Layer to = layerOf(toPackage);
    return from != to && !from.mayImport().contains(to.name());
  }

  private static Layer layerOf(String pkg) {
    for (Layer l : LAYERS) {
      for (String p : l.packages()) {
        String full = qualified(p);
        if (pkg.equals(full) || !p.isEmpty() && pkg.startsWith(full + ".")) return l;
      }
    }
    throw new AssertionError("no layer for " + pkg);
  }

  /** The full name of package {@code p} below the root ("" is the root). */
  private static String qualified(String p) {
    return p.isEmpty() ? ROOT : ROOT + "." + p;
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  private static Layer layer(String name, String packages, String mayImport) {
    return new Layer(name, split(packages.replace("''", "")), split(mayImport));
  }

  private static List<String> split(String list) {
    return list.isEmpty() ? List.of() : List.of(list.split(", ", -1));
  }

  private static String[] ends(String entry) {
    String[] ends = entry.split(" -> ");
    assertEquals(2, ends.length, entry);
    return ends;
  }

  /** The class {@code ROOT.name} or one nested in it. */
  private static DescribedPredicate<JavaClass> within(String name) {
    String full = ROOT + "." + name;
    return DescribedPredicate.describe(full, c -> topLevel(c).equals(full));
  }

  private static String topLevel(JavaClass c) {
    String name = c.getName();
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }
}
