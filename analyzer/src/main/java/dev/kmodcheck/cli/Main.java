package dev.kmodcheck.cli;

import dev.kmodcheck.Version;
import dev.kmodcheck.check.Rule;
import dev.kmodcheck.check.RuleRegistry;
import dev.kmodcheck.engine.Phases;
import dev.kmodcheck.engine.Scanner;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code kmodcheck check|baseline|rules|explain}. */
@Command(
    name = "kmodcheck",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Finds memory-allocation misuse in Linux kernel-module C code.",
    footer = {
      "",
      "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;",
      "            2 usage, configuration or input error, or (with --strict) a skipped file",
      "            or failed rule; 3 internal error."
    })
public final class Main implements Runnable {

  /** The subcommands by name, in the order help lists them. */
  private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    for (Class<?> c :
        List.of(
            CheckCommand.class,
            BaselineCommand.class,
            RulesCommand.class,
            ExplainCommand.class,
            SummarizeCommand.class)) {
      m.put(c.getAnnotation(Command.class).name(), c);
    }
    return Collections.unmodifiableMap(m);
  }

  public static final int EXIT_OK = 0;
  public static final int EXIT_FINDINGS = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_INTERNAL = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command (check, baseline, rules, explain, summarize)");
  }

  public static void main(String[] args) {
    Phases.mark("main");
    int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    Phases.mark("exit");
    System.exit(code);
  }

  /** Runs the CLI with the given streams; returns the exit code (used by tests too). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, RuleRegistry.load());
  }

  public static int execute(String[] args, PrintWriter out, PrintWriter err, List<Rule> rules) {
    CommandLine cmd = new CommandLine(new Main(), new Factory(rules));
    // Building a subcommand's model by reflection costs tens of milliseconds in a cold JVM, a
    // tenth of a cached re-scan: only the one named is built, all of them for anything else
    // (help, a mistyped name).
    Class<?> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
    for (Class<?> sub : named != null ? List.of(named) : List.copyOf(SUBCOMMANDS.values())) {
      cmd.addSubcommand(sub);
    }
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          // One line that names the problem, never a stack trace or the whole usage text.
          err.println("kmodcheck: " + ex.getMessage());
          err.println("Try 'kmodcheck " + subcommandName(ex.getCommandLine()) + "--help'.");
          err.flush();
          return EXIT_USAGE;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          if (ex instanceof UsageError u) {
            err.println("kmodcheck: " + u.getMessage());
            err.flush();
            return EXIT_USAGE;
          }
          err.println(
              "kmodcheck: internal error: "
                  + ex
                  + " (please report it; set KMODCHECK_DEBUG=1 for the stack trace)");
          if (System.getenv("KMODCHECK_DEBUG") != null) ex.printStackTrace(err);
          err.flush();
          return EXIT_INTERNAL;
        });
    int code = cmd.execute(args);
    // A scan's cache index is written while its reports are: complete before the command ends.
    Scanner.awaitCacheWrites();
    out.flush();
    err.flush();
    return code;
  }

  private static String subcommandName(CommandLine c) {
    return c.getParent() == null ? "" : c.getCommandName() + " ";
  }

  /** Lets subcommands receive the rule list (tests can pass their own). */
  private record Factory(List<Rule> rules) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == CheckCommand.class) return cls.cast(new CheckCommand(rules));
      if (cls == BaselineCommand.class) return cls.cast(new BaselineCommand(rules));
      if (cls == RulesCommand.class) return cls.cast(new RulesCommand(rules));
      if (cls == ExplainCommand.class) return cls.cast(new ExplainCommand(rules));
      if (cls == SummarizeCommand.class) return cls.cast(new SummarizeCommand());
      return CommandLine.defaultFactory().create(cls);
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kmodcheck " + Version.version()};
    }
  }

  /** A user mistake found while running a command: printed as one line, exit code 2. */
  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }
}
