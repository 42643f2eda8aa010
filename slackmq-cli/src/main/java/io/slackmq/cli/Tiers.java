package io.slackmq.cli;

import java.util.Map;

/**
 * Slack's published per-minute limits of the methods SlackMQ calls (per app per workspace; per
 * channel for chat.postMessage), to state throughput as a fraction of what Slack allows. Sources:
 * docs.slack.dev rate-limit tiers and the SDK's MethodsRateLimits (see shared SLACK-FACTS.md).
 */
final class Tiers {
  private static final Map<String, Integer> PER_MINUTE = Map.ofEntries(
      Map.entry("pins.add", 20), Map.entry("pins.remove", 20), Map.entry("pins.list", 20),
      Map.entry("reactions.add", 50), Map.entry("reactions.remove", 20),
      Map.entry("reactions.get", 50), Map.entry("stars.add", 20), Map.entry("stars.remove", 20),
      Map.entry("chat.postMessage", 60), Map.entry("chat.update", 50), Map.entry("chat.delete", 50),
      Map.entry("conversations.history", 50), Map.entry("conversations.replies", 50),
      Map.entry("auth.test", 600));

  private Tiers() {}

  /** Calls per minute Slack allows for {@code method}, or 0 when this table does not know it. */
  static int perMinute(String method) {
    return PER_MINUTE.getOrDefault(method, 0);
  }

  /**
   * The most messages per minute one app can process, given its calls per message by method:
   * the tightest method's limit divided by its calls per message.
   */
  static double ceiling(Map<String, Double> callsPerMessage) {
    double best = Double.MAX_VALUE;
    for (var e : callsPerMessage.entrySet()) {
      int limit = perMinute(e.getKey());
      if (limit > 0 && e.getValue() > 0) {
        best = Math.min(best, limit / e.getValue());
      }
    }
    return best == Double.MAX_VALUE ? 0 : best;
  }

  /** The method that sets {@link #ceiling}. */
  static String bottleneck(Map<String, Double> callsPerMessage) {
    String worst = "";
    double best = Double.MAX_VALUE;
    for (var e : callsPerMessage.entrySet()) {
      int limit = perMinute(e.getKey());
      if (limit > 0 && e.getValue() > 0 && limit / e.getValue() < best) {
        best = limit / e.getValue();
        worst = e.getKey();
      }
    }
    return worst;
  }
}
