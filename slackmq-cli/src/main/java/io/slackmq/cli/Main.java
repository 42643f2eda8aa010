package io.slackmq.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code slackmq} command. Every subcommand has {@code --help}; a bad flag prints what is wrong
 * and the usage, and exits 2.
 */
@Command(
    name = "slackmq",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "A Slack channel as a simple message queue: many workers see a message, exactly one acts on it.",
      "",
      "Settings come from flags, then the environment (SLACK_API_URL, SLACK_BOT_TOKEN,",
      "SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, SLACK_CHANNEL; SLACKMQ_<OPTION> for the others),",
      "then --config FILE (YAML, or KEY=VALUE lines). `slackmq worker --print-config` shows them."
    },
    subcommands = {
      DemoCommand.class,
      WorkerCommand.class,
      SendCommand.class,
      StatusCommand.class,
      RedriveCommand.class,
      ConsoleCommand.class,
      EmulatorCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    boolean quiet = args.length > 0 && (args[0].equals("demo") || args[0].equals("bench"));
    if (quiet && !java.util.Arrays.asList(args).contains("--verbose")) {
      // The demo and the benchmarks speak through their summaries; workers' logs would drown
      // them. (Set before the first logger exists: logback reads them when it configures.)
      System.setProperty("slackmq.log", "ERROR");
      System.setProperty("slackmq.sdk.log", "OFF");
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /** The command line, its settings resolved from {@code env} (and the config file) too. */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionStrategy(parsed -> execute(cl, parsed, env));
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          // A failure the user can act on: one line, no stack trace (run with -Dslackmq.debug for
          // it).
          commandLine
              .getErr()
              .println("slackmq " + commandLine.getCommandName() + ": " + e.getMessage());
          if (Boolean.getBoolean("slackmq.debug")) {
            e.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    return cl;
  }

  /**
   * Runs the parsed command once its unset settings are filled from the environment and the config
   * file ({@link Config}: parsed again with them as flags, so they are checked as flags are), and
   * logging is set to its {@code --log-format}.
   */
  private static int execute(CommandLine cl, ParseResult parsed, Map<String, String> env) {
    ParseResult sub = parsed.subcommand();
    ParseResult run = parsed;
    if (sub != null
        && !sub.isUsageHelpRequested()
        && !sub.isVersionHelpRequested()
        && sub.commandSpec().mixins().containsKey("slack")) {
      Map<String, Config.Origin> origins = new LinkedHashMap<>();
      List<String> args = Config.resolve(sub, parsed.expandedArgs(), env, origins);
      if (args != parsed.expandedArgs()) {
        CommandLine again = commandLine(env);
        again.setExpandAtFiles(false); // already expanded
        again.setOut(cl.getOut());
        again.setErr(cl.getErr());
        run = again.parseArgs(args.toArray(String[]::new));
      }
      ((SlackOptions) run.subcommand().commandSpec().mixins().get("slack").userObject()).origins =
          origins;
    }
    if (run.subcommand() != null) {
      OptionSpec format = run.subcommand().commandSpec().findOption("--log-format");
      if (format != null) {
        Logs.use((Logs.Format) format.getValue());
      }
    }
    return new CommandLine.RunLast().execute(run);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"slackmq " + (v == null ? "dev" : v)};
    }
  }
}
