package io.slackmq.examples;

import io.slackmq.junit.LocalSlack;
import io.slackmq.worker.SlackMQWorker;
import io.slackmq.worker.WorkerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a worker connects: a real workspace (from the environment) or the embedded local Slack.
 *
 * @param apiUrl the Web API prefix ({@code https://slack.com/api/} or an emulator's)
 * @param botToken the app's bot token ({@code xoxb-})
 * @param appToken the app-level token ({@code xapp-}, scope {@code connections:write}) for Socket
 *     Mode: the worker needs no public URL
 * @param channel the id of the channel used as the queue ({@code C...}, not its name)
 * @param timeScale 1 on real Slack; the local Slack runs 60 times faster, and the worker paces its
 *     calls and reads Retry-After in that time
 * @param sweepInterval how often a worker re-reads the channel; ROLLING's next worker in line finds
 *     the released message this way, so it sets the pace of a rolling update
 */
record SlackEnv(
    String apiUrl,
    String botToken,
    String appToken,
    String channel,
    double timeScale,
    Duration sweepInterval) {

  static final String SLACK_API = "https://slack.com/api/";

  /** An emulated minute lasts one real second: rate limits and Retry-After shrink with it. */
  static final double LOCAL_TIME_SCALE = 60;

  /**
   * The embedded local Slack the examples run on when no workspace is configured: the emulator's
   * default workspace (apps slackmq-a and slackmq-b, a human alice, #ops) with Slack's rate limits,
   * 60 times faster.
   */
  static LocalSlack localSlack() {
    return LocalSlack.configure().slackRateLimits().timeScale(LOCAL_TIME_SCALE).start();
  }

  /**
   * How a worker of {@code app} ({@code "slackmq-a"} or {@code "slackmq-b"}) connects to the local
   * Slack; it sweeps every 300 ms, which is 18 emulated seconds.
   */
  static SlackEnv local(LocalSlack slack, String app) {
    return new SlackEnv(
        slack.apiUrl(),
        slack.botToken(app),
        slack.appToken(app),
        slack.channel(),
        LOCAL_TIME_SCALE,
        Duration.ofMillis(300));
  }

  private static final List<String> REQUIRED =
      List.of("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CHANNEL");

  /**
   * A real workspace when SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_CHANNEL are all set
   * (SLACK_API_URL is optional); null when none is set, so the example runs on the local Slack.
   *
   * @throws IllegalArgumentException when only some are set (a typo should not silently fall back
   *     to the local Slack)
   */
  static SlackEnv fromEnvironment(Map<String, String> env) {
    List<String> missing = new ArrayList<>();
    for (String name : REQUIRED) {
      if (isBlank(env.get(name))) {
        missing.add(name);
      }
    }
    if (missing.size() == REQUIRED.size()) {
      return null;
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "to use a real workspace also set "
              + missing
              + " (or unset "
              + REQUIRED
              + " to run on the embedded local Slack)");
    }
    String apiUrl = isBlank(env.get("SLACK_API_URL")) ? SLACK_API : env.get("SLACK_API_URL");
    return new SlackEnv(
        apiUrl,
        env.get("SLACK_BOT_TOKEN"),
        env.get("SLACK_APP_TOKEN"),
        env.get("SLACK_CHANNEL"),
        1,
        Duration.ofSeconds(10));
  }

  /** A worker builder connected here over Socket Mode; add what the example needs, build. */
  WorkerBuilder worker() {
    return SlackMQWorker.builder()
        .apiUrl(apiUrl)
        .botToken(botToken)
        .appToken(appToken) // Socket Mode: events come over a WebSocket the worker opens
        .channels(channel)
        .timeScale(timeScale)
        .sweepInterval(sweepInterval)
        .stopDeadline(Duration.ofSeconds(10));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** Tokens never reach logs or output. */
  @Override
  public String toString() {
    return "SlackEnv[" + apiUrl + ", channel " + channel + "]";
  }
}
