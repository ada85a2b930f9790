package dev.kmodcheck.cli;

import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.engine.Suppressions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Show a rule's documentation (what it finds, why, examples, how to fix), or what a"
            + " notification kind (parse-problems, kbuild) means.")
final class ExplainCommand implements Callable<Integer> {

  private final List<Rule> rules;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "RULE", description = "A rule id, as listed by 'kmodcheck rules'.")
  String ruleId;

  /** Notification kinds that 'explain' documents, as reports name them. */
  static final List<String> NOTIFICATIONS = List.of("kbuild", "parse-problems");

  ExplainCommand(List<Rule> rules) {
    this.rules = rules;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Rule r : rules) {
      if (r.info().id().equals(ruleId)) {
        RuleDescriptor d = RuleDescriptor.of(r);
        out.println(d.helpMarkdown() != null ? d.helpMarkdown().strip() : d.summary());
        return Main.EXIT_OK;
      }
    }
    for (RuleDescriptor d : Suppressions.descriptors()) {
      if (d.id().equals(ruleId)) {
        out.println(d.helpMarkdown() != null ? d.helpMarkdown().strip() : d.summary());
        return Main.EXIT_OK;
      }
    }
    if (NOTIFICATIONS.contains(ruleId)) {
      out.println(notificationHelp(ruleId).strip());
      return Main.EXIT_OK;
    }
    throw new Main.UsageError(
        "unknown rule '"
            + ruleId
            + "' (known: "
            + rules.stream().map(r -> r.info().id()).collect(Collectors.joining(", "))
            + "; notifications: "
            + String.join(", ", NOTIFICATIONS)
            + ")");
  }

  private static String notificationHelp(String kind) {
    String resource = "/dev/kmodcheck/cli/explain/" + kind + ".md";
    try (InputStream in = ExplainCommand.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
