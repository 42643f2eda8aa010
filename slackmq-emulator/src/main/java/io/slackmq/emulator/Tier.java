package io.slackmq.emulator;

/**
 * Slack's rate-limit tiers, in calls per minute per (team, app, method), with the burst the
 * emulator allows (Slack publishes no burst sizes: see docs/EMULATOR.md).
 */
enum Tier {
  TIER_1(1, 5),
  TIER_2(20, 20),
  TIER_3(50, 50),
  TIER_4(100, 100),
  /** auth.test, api.test, chat.getPermalink: "hundreds of requests per minute". */
  SPECIAL_AUTH(600, 600),
  /**
   * apps.connections.open: Tier 1 on paper ("1+ per minute"), but Bolt opens two per connection at
   * start and an app may hold 10 connections that Slack refreshes, so the emulator grants a burst
   * of 30 and 10 per minute (real allowances unpublished).
   */
  CONNECTIONS_OPEN(10, 30),
  /** chat.postMessage: about one message per second per channel, with bursts. */
  SPECIAL_POST(60, 30);

  final int perMinute;
  final int burst;

  Tier(int perMinute, int burst) {
    this.perMinute = perMinute;
    this.burst = burst;
  }
}
