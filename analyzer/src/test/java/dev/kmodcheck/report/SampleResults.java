package dev.kmodcheck.report;

import dev.kmodcheck.check.Finding;
import dev.kmodcheck.check.Notification;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.check.Severity;
import dev.kmodcheck.check.TraceStep;
import dev.kmodcheck.engine.ScanResult;
import dev.kmodcheck.engine.ScanStats;
import dev.kmodcheck.ir.SrcRange;
import dev.kmodcheck.kernel.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Synthetic scan results over small C files written to a temporary source root. */
public final class SampleResults {

  static final String DRIVER_C =
      String.join(
          "\n",
          "#include <linux/slab.h>",
          "",
          "static int foo_probe(struct device *dev)",
          "{",
          "\tspin_lock(&foo_lock);",
          "\tbuf = kmalloc(8 << 20, GFP_KERNEL);",
          "\tother = kmalloc(8 << 20, GFP_KERNEL);",
          "\tspin_unlock(&foo_lock);",
          "\treturn 0;",
          "}",
          "");

  /** A path that needs percent-encoding in a SARIF uri. */
  static final String ODD_NAME = "drivers/odd dir/ä#1.c";

  private SampleResults() {}

  public static RuleDescriptor rule(String id, Severity severity) {
    String name = toPascal(id);
    String help =
        "# " + id + "\n\nExplains " + id + " in full.\n\n## Fix\n\n```c\nvmalloc(n);\n```\n";
    return new RuleDescriptor(
        id, name, severity, "Summary of " + id + ".", List.of("memory", "kernel"), "high", help);
  }

  /** Writes the sample sources under {@code root} and returns a result with findings in them. */
  public static ScanResult sample(Path root) throws IOException {
    write(root, "drivers/foo/foo.c", DRIVER_C);
    write(root, ODD_NAME, "void odd(void)\n{\n\tx = kmalloc(1 << 30, 0);\n}\n");
    List<RuleDescriptor> rules =
        List.of(
            rule("kmalloc-size-limit", Severity.ERROR),
            rule("sleep-in-atomic", Severity.WARNING),
            rule("unused-note", Severity.NOTE));
    SrcRange lock = new SrcRange("drivers/foo/foo.c", 5, 2, 5, 22);
    List<Finding> findings =
        List.of(
            new Finding(
                "sleep-in-atomic",
                Severity.WARNING,
                "GFP_KERNEL allocation may sleep in atomic context",
                new SrcRange("drivers/foo/foo.c", 6, 8, 6, 36),
                "foo_probe",
                List.of(new TraceStep(lock, "spin_lock() starts atomic context"))),
            new Finding(
                "kmalloc-size-limit",
                Severity.ERROR,
                "kmalloc of 8 MiB exceeds KMALLOC_MAX_SIZE (4 MiB)",
                new SrcRange("drivers/foo/foo.c", 6, 8, 6, 36),
                "foo_probe",
                List.of()),
            new Finding(
                "kmalloc-size-limit",
                Severity.ERROR,
                "kmalloc of 8 MiB exceeds KMALLOC_MAX_SIZE (4 MiB)",
                new SrcRange("drivers/foo/foo.c", 7, 10, 7, 38),
                "foo_probe",
                List.of()),
            new Finding(
                "kmalloc-size-limit",
                Severity.ERROR,
                "kmalloc of 1 GiB exceeds KMALLOC_MAX_SIZE (4 MiB)",
                new SrcRange(ODD_NAME, 3, 6, 3, 25),
                "odd",
                List.of()));
    List<Notification> notifications =
        List.of(
            new Notification(
                "warning",
                "parse-problems",
                "2 parse problems; first: syntax error",
                new SrcRange("drivers/foo/foo.c", 3, 1, 3, 10)),
            new Notification("note", "file-skipped", "not a C file", null));
    return new ScanResult(
        "0.1.0",
        Target.defaultTarget(),
        root.toAbsolutePath(),
        rules,
        findings,
        notifications,
        new ScanStats(2, 3400, 210, 2, 1, 1, 0, 0, 3, 40, 812));
  }

  /** No findings, no notifications, no rules. */
  public static ScanResult empty(Path root) {
    return new ScanResult(
        "0.1.0",
        Target.defaultTarget(),
        root.toAbsolutePath(),
        List.of(),
        List.of(),
        List.of(),
        new ScanStats(0, 0, 0, 0, 0, 0, 0, 0));
  }

  /** {@code base} with other findings. */
  public static ScanResult withFindings(ScanResult base, List<Finding> findings) {
    return new ScanResult(
        base.toolVersion(),
        base.target(),
        base.sourceRoot(),
        base.rules(),
        findings,
        base.notifications(),
        base.stats());
  }

  static void write(Path root, String relative, String text) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String toPascal(String id) {
    StringBuilder out = new StringBuilder();
    for (String part : id.split("-")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }
}
