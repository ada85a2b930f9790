package dev.kmodcheck.cli;

import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "rules", mixinStandardHelpOptions = true, description = "List the rules.")
final class RulesCommand implements Callable<Integer> {

  private final List<Rule> rules;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  RulesCommand(List<Rule> rules) {
    this.rules = rules;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int width = rules.stream().mapToInt(r -> r.info().id().length()).max().orElse(10);
    for (Rule r : rules) {
      RuleInfo i = r.info();
      out.printf("%-" + width + "s  %-7s  %s%n", i.id(), i.severity().label(), i.summary());
    }
    return Main.EXIT_OK;
  }
}
