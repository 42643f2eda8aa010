package io.slackmq.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code slackmq console}: the live web console of a queue, until Ctrl-C. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a web page that shows the queue live: each message's state (waiting, held by whom",
      "and until when, done by whom, dead-lettered), its pins, reactions and ledger, the workers",
      "seen, and a chart. It reads Slack like `status`, within 8 % of the app's budget per",
      "method. On the local Slack it also drives it (post and react as a person, drop sockets,",
      "switch faults); on a real workspace it only reads. Loopback only unless --allow-remote."
    })
final class ConsoleCommand implements Callable<Integer> {
  /** The environment variable that may hold the password (flags show in ps). */
  static final String PASSWORD_ENV = "SLACKMQ_CONSOLE_PASSWORD";

  @Spec CommandSpec spec;
  @Mixin SlackOptions slack;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port (0 picks a free one; default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}: this machine only).")
  String host;

  @Option(
      names = "--allow-remote",
      description = "Allow a --host reachable from other machines (then a password is required).")
  boolean allowRemote;

  @Option(
      names = "--password",
      paramLabel = "SECRET",
      description =
          "Required of every request (Basic auth, any user name) when set (env "
              + PASSWORD_ENV
              + "; prefer it: flags show in ps). Required with --allow-remote.")
  String password;

  @Option(
      names = "--read-only",
      description = "Drive nothing, even on the local Slack (on a real workspace it never does).")
  boolean readOnly;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "How many of the newest messages to show (1..200, default ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = "--time-scale",
      paramLabel = "X",
      description =
          "Emulated seconds per real second of the local Slack (default: ask it; 1 on real Slack).")
  Double timeScale;

  private final Map<String, String> env;

  ConsoleCommand() {
    this(System.getenv());
  }

  ConsoleCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    ConsoleSettings settings = settings();
    try (Console console = Console.start(settings)) {
      PrintWriter out = spec.commandLine().getOut();
      out.println("Console: " + console.url() + "  (" + console.describe() + ")");
      out.println("Ctrl-C to stop.");
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "console-shutdown"));
      stopped.await();
    }
    return 0;
  }

  /**
   * The options, checked: exit 2 for a host beyond loopback without --allow-remote and a password.
   */
  ConsoleSettings settings() {
    if (limit < 1 || limit > ConsoleSettings.MAX_LIMIT) {
      throw new ParameterException(
          spec.commandLine(), "--limit must be 1.." + ConsoleSettings.MAX_LIMIT);
    }
    if (timeScale != null && !(timeScale > 0 && timeScale <= 10_000)) {
      throw new ParameterException(spec.commandLine(), "--time-scale must be in (0, 10000]");
    }
    String pass = password != null ? password : env.get(PASSWORD_ENV);
    if (pass != null && pass.isBlank()) {
      pass = null;
    }
    boolean remote = beyondLoopback(host);
    if (remote && !allowRemote) {
      throw new ParameterException(
          spec.commandLine(),
          "--host "
              + host
              + " is reachable from other machines: add --allow-remote and a password ("
              + PASSWORD_ENV
              + " or --password), or keep the default 127.0.0.1");
    }
    if (remote && pass == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--allow-remote needs a password: set " + PASSWORD_ENV + " (or --password)");
    }
    if (pass != null && pass.length() < 12) {
      throw new ParameterException(spec.commandLine(), "the password must be 12+ characters");
    }
    return new ConsoleSettings(
        slack.apiUrl(),
        slack.token(),
        slack.userTokenOrNull(),
        slack.channel(),
        host,
        port,
        pass,
        timeScale,
        limit,
        readOnly,
        env.get("SLACK_EMULATOR_ADMIN_TOKEN"));
  }

  /** Whether {@code host} can be reached from other machines. */
  static boolean beyondLoopback(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return !(h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.startsWith("127."));
  }
}
