package io.slackmq.worker;

import io.slackmq.emulator.Emulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs {@link FleetBenchmark} on embedded emulators, side by side: latency without rate limits,
 * then throughput under Slack's limits at time scale 60. Not a test (see docs/BENCHMARKS.md).
 */
public final class FleetBenchmarkMain {
  private FleetBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    int workers = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dir = Files.createTempDirectory("slackmq-bench");
    try (TestSlack slack = TestSlack.start(1, dir)) {
      FleetBenchmark.Result r = FleetBenchmark.run(new FleetBenchmark.Config(
          slack.emulator.apiUrl(), slack.botToken(1), slack.appToken(1),
          slack.env.get("SLACK_USER_TOKEN_ALICE"), slack.channel, workers, messages, 20, 1,
          false, Duration.ofMinutes(3)));
      System.out.println("LATENCY no rate limits, " + workers + " workers, " + messages
          + " messages, one every 20 ms: " + r);
    }
    try (TestSlack slack = TestSlack.start(1, dir,
        Emulator.builder().slackRateLimits().timeScale(60))) {
      FleetBenchmark.Result r = FleetBenchmark.run(new FleetBenchmark.Config(
          slack.emulator.apiUrl(), slack.botToken(1), slack.appToken(1),
          slack.env.get("SLACK_USER_TOKEN_ALICE"), slack.channel, workers, messages, 0, 60,
          true, Duration.ofMinutes(5)));
      System.out.println("THROUGHPUT Slack limits at time scale 60, " + workers + " workers, "
          + messages + " messages posted at once: " + r);
    }
  }
}
