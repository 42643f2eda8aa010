package io.slackmq.cli;

import io.slackmq.core.ApiCalls;
import java.util.Map;

/**
 * Throughput ceilings from Slack's per-minute limits (core's tier table, the one its pacer uses),
 * to state a fleet's throughput as a fraction of what Slack allows.
 */
final class Tiers {
  private Tiers() {}

  /**
   * The method that limits one app most, given its calls per message by method: the one whose limit
   * divided by its calls per message is smallest; "" when no method has a known limit.
   */
  static String bottleneck(Map<String, Double> callsPerMessage) {
    String worst = "";
    double best = Double.MAX_VALUE;
    for (var e : callsPerMessage.entrySet()) {
      int limit = ApiCalls.slackLimitPerMinute(e.getKey());
      if (limit > 0 && e.getValue() > 0 && limit / e.getValue() < best) {
        best = limit / e.getValue();
        worst = e.getKey();
      }
    }
    return worst;
  }

  /**
   * The most messages per minute one app can process: its bottleneck's limit / calls per message.
   */
  static double ceiling(Map<String, Double> callsPerMessage) {
    String method = bottleneck(callsPerMessage);
    return method.isEmpty()
        ? 0
        : ApiCalls.slackLimitPerMinute(method) / callsPerMessage.get(method);
  }
}
