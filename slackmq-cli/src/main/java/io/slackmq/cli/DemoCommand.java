package io.slackmq.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code slackmq demo}: the whole system in one run, on the embedded local Slack. Exits 0 only if
 * every message was completed exactly once.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a local Slack (Slack's rate limits, time-scaled), a fleet of workers of two apps",
      "over Socket Mode, posts a batch of tasks as a human (hostname, deploy web-N, a rolling",
      "update with a canary), shows progress, then a summary. Exit code 0 only if every message",
      "was completed exactly once. --chaos also kills a worker mid-job and injects faults."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "Workers in the fleet (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--messages",
      defaultValue = "40",
      description = "Tasks to post (default ${DEFAULT-VALUE}), plus one rolling update.")
  int messages;

  @Option(
      names = "--strategy",
      defaultValue = "pin",
      paramLabel = "MARKS",
      description =
          "pin (default: workers of two apps), reaction (workers share one app's bot user), pin+reaction, ...")
  String strategy;

  @Option(
      names = "--time-scale",
      defaultValue = "60",
      paramLabel = "X",
      description =
          "Emulated seconds per real second for Slack's rate limits (default ${DEFAULT-VALUE}: a minute lasts 1 s).")
  double timeScale;

  @Option(
      names = "--ttl",
      defaultValue = "PT3S",
      description = "Lease time-to-live (default ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(
      names = "--chaos",
      description =
          "Kill a worker mid-job; inject HTTP 500s, latency, duplicate events, socket refreshes and a race window.")
  boolean chaos;

  @Option(
      names = "--no-rolling",
      negatable = true,
      defaultValue = "true",
      description = "Include the rolling update (default: yes).")
  boolean rolling;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seeds the emulator, faults and task durations (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--verbose", description = "Show the workers' logs.")
  boolean verbose;

  @Option(
      names = "--timeout",
      defaultValue = "PT100S",
      description = "Give up after this long (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin ConsoleOption console;

  @Option(
      names = "--keep-open",
      description =
          "With --console: keep the console and the local Slack up at the end, until Ctrl-C.")
  boolean keepOpen;

  @Override
  public Integer call() throws Exception {
    if (workers < 2 || workers > 10) {
      throw new ParameterException(
          spec.commandLine(), "--workers must be 2..10 (Slack allows 10 sockets per app)");
    }
    if (messages < 1 || messages > 500) {
      throw new ParameterException(spec.commandLine(), "--messages must be 1..500");
    }
    DemoSettings settings =
        new DemoSettings(
            workers,
            messages,
            WorkerCommand.parseStrategy(spec, strategy),
            timeScale,
            ttl,
            chaos,
            rolling,
            seed,
            timeout);
    if (keepOpen && console.port == null) {
      throw new ParameterException(spec.commandLine(), "--keep-open needs --console");
    }
    return new DemoRun(settings, spec.commandLine().getOut(), spec.commandLine().getErr())
        .console(console, keepOpen)
        .run();
  }
}
