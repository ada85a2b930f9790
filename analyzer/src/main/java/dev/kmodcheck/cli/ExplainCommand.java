package dev.kmodcheck.cli;

import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.report.Suppressions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = "Show a rule's documentation: what it finds, why, examples, how to fix.")
final class ExplainCommand implements Callable<Integer> {

  private final List<Rule> rules;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "RULE", description = "A rule id, as listed by 'kmodcheck rules'.")
  String ruleId;

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
    throw new Main.UsageError(
        "unknown rule '"
            + ruleId
            + "' (known: "
            + rules.stream().map(r -> r.info().id()).collect(Collectors.joining(", "))
            + ")");
  }
}
