package dev.kmodcheck.cli;

import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleDescriptor;
import dev.kmodcheck.engine.Suppressions;
import java.io.PrintWriter;
import java.util.ArrayList;
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
    // The suppression meta rules too: explain and .kmodcheck.json accept their ids.
    List<RuleDescriptor> all = new ArrayList<>();
    for (Rule r : rules) all.add(RuleDescriptor.of(r));
    all.addAll(Suppressions.descriptors());
    int width = all.stream().mapToInt(d -> d.id().length()).max().orElse(10);
    for (RuleDescriptor d : all) {
      out.printf("%-" + width + "s  %-7s  %s%n", d.id(), d.severity().label(), d.summary());
    }
    return Main.EXIT_OK;
  }
}
