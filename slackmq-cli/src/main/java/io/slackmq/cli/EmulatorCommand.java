package io.slackmq.cli;

import io.slackmq.emulator.Emulator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slackmq emulator}: the local Slack as a process, until Ctrl-C. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the local Slack (Web API, Socket Mode, Events API, rate limits, faults) and prints",
      "its API URL, tokens and channel ids. Ctrl-C stops it cleanly."
    })
final class EmulatorCommand implements Callable<Integer> {
  enum RateLimits {
    slack,
    off
  }

  @Spec CommandSpec spec;
  @picocli.CommandLine.Mixin Logs.Options logs;

  @Option(
      names = "--port",
      defaultValue = "8765",
      description = "Port (0 picks a free one; default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Workspace config (JSON): teams, apps, users, channels.")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Keep state here across restarts (kill -9 safe).")
  Path dataDir;

  @Option(
      names = "--time-scale",
      defaultValue = "1",
      paramLabel = "X",
      description =
          "Emulated seconds per real second for rate limits and retries (60: a minute lasts 1 s).")
  double timeScale;

  @Option(
      names = "--rate-limits",
      defaultValue = "slack",
      paramLabel = "MODE",
      description = "slack (Slack's published tiers, the default) or off.")
  RateLimits rateLimits;

  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description = "Also write SLACK_API_URL, tokens, ids as KEY=VALUE lines here.")
  Path envFile;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seeds ids, tokens and faults (default ${DEFAULT-VALUE}).")
  long seed;

  @Mixin ConsoleOption console;

  @Override
  public Integer call() throws Exception {
    Emulator.Builder builder =
        Emulator.builder().host(host).port(port).timeScale(timeScale).seed(seed);
    if (rateLimits == RateLimits.off) {
      builder.noRateLimits();
    }
    if (config != null) {
      builder.config(config);
    }
    if (dataDir != null) {
      builder.dataDir(dataDir);
    }
    Emulator emulator = builder.start();
    var out = spec.commandLine().getOut();
    out.print(emulator.describe());
    Console web = console.start(emulator.env(), timeScale, emulator.adminToken(), out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (web != null) {
                    web.close();
                  }
                  emulator.close();
                  stopped.countDown();
                },
                "emulator-shutdown"));
    if (envFile != null) {
      emulator.writeEnvFile(envFile);
      out.println(
          "Wrote " + envFile.toAbsolutePath() + " (use it with --config, or `set -a; . FILE`)");
    }
    out.println("Ctrl-C to stop.");
    out.flush();
    stopped.await();
    return 0;
  }
}
