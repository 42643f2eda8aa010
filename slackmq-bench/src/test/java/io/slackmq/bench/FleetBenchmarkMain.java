package io.slackmq.bench;

import io.slackmq.emulator.Emulator;
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
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      FleetBenchmark.Result r =
          FleetBenchmark.run(
              FleetBenchmark.Config.local(
                  slack, workers, messages, 20, 1, false, Duration.ofMinutes(3)));
      System.out.println(
          "LATENCY no rate limits, "
              + workers
              + " workers, "
              + messages
              + " messages, one every 20 ms: "
              + r);
    }
    try (Emulator slack = Emulator.builder().slackRateLimits().timeScale(60).start()) {
      FleetBenchmark.Result r =
          FleetBenchmark.run(
              FleetBenchmark.Config.local(
                  slack, workers, messages, 0, 60, true, Duration.ofMinutes(5)));
      System.out.println(
          "THROUGHPUT Slack limits at time scale 60, "
              + workers
              + " workers, "
              + messages
              + " messages posted at once: "
              + r);
    }
  }
}
