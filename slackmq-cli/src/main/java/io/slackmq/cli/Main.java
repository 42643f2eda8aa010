package io.slackmq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
      "Connection settings come from flags, then the environment (SLACK_API_URL, SLACK_BOT_TOKEN,",
      "SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, SLACK_CHANNEL), then --config FILE (KEY=VALUE lines)."
    },
    subcommands = {
      DemoCommand.class,
      WorkerCommand.class,
      SendCommand.class,
      StatusCommand.class,
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
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
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
