package io.slackmq.cli;

import io.slackmq.core.ApiCalls;
import java.time.Duration;

/**
 * How often the console may call Slack: a fixed share of each method's per-app tier, so that it
 * never takes more than a small part of the budget it shares with the workers of its app.
 *
 * <p>The console reads {@code conversations.history} once per tick and {@code
 * conversations.replies} at most {@link #repliesPerTick} times per tick, so with both at {@link
 * #SHARE} of Tier 3 (50 per minute) it makes at most 4 calls of each per (emulated) minute: 8 % of
 * the app's budget, under the 10 % it promises with room for a call that lands in the next minute.
 * On a local Slack with rate limits off there is no budget to share, and the console refreshes
 * every {@link #UNLIMITED_TICK}.
 *
 * @param tick how long between two refreshes (real time)
 * @param repliesPerTick the thread reads a refresh may make
 */
record ConsoleBudget(Duration tick, int repliesPerTick) {
  /** The share of each method's tier the console allows itself. */
  static final double SHARE = 0.08;

  static final Duration UNLIMITED_TICK = Duration.ofMillis(250);
  private static final Duration MIN_TICK = Duration.ofMillis(100);

  /**
   * The budget at {@code timeScale} emulated seconds per real second, within Slack's limits ({@code
   * limited}) or without ({@code !limited}: a local Slack with its rate limits off).
   */
  static ConsoleBudget of(double timeScale, boolean limited) {
    if (!limited) {
      return new ConsoleBudget(UNLIMITED_TICK, 10);
    }
    double historyPerMinute = perMinute("conversations.history", timeScale);
    long tickMillis = (long) Math.ceil(60_000 / historyPerMinute);
    Duration tick = Duration.ofMillis(Math.max(MIN_TICK.toMillis(), tickMillis));
    double repliesPerTick =
        perMinute("conversations.replies", timeScale) * tick.toMillis() / 60_000;
    return new ConsoleBudget(tick, Math.max(1, (int) Math.floor(repliesPerTick)));
  }

  /** The calls per real minute of {@code method} the console allows itself. */
  static double perMinute(String method, double timeScale) {
    return ApiCalls.slackLimitPerMinute(method) * SHARE * timeScale;
  }
}
