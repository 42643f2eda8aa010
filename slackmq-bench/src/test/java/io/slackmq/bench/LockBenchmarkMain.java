package io.slackmq.bench;

import io.slackmq.emulator.Emulator;

/**
 * Runs {@link LockBenchmark} on an emulator with Slack's rate limits at a time scale. Not a test.
 * Args: [timeScale=60] [workers=10] [messages=500] [capMinutes=20].
 */
public final class LockBenchmarkMain {
  private LockBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    double cap = args.length > 3 ? Double.parseDouble(args[3]) : 20;
    try (Emulator slack = Emulator.builder().slackRateLimits().timeScale(scale).start()) {
      var env = slack.env();
      System.out.println(LockBenchmark.Row.HEADER);
      for (LockBenchmark.Row row :
          LockBenchmark.run(
              slack.apiUrl(),
              env.get("SLACK_BOT_TOKEN_SLACKMQ_A"),
              env.get("SLACK_USER_TOKEN_ALICE"),
              env.get("SLACK_CHANNEL"),
              scale,
              workers,
              messages,
              cap)) {
        System.out.println(row);
      }
    }
  }
}
