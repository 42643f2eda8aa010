package io.slackmq.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * Web API calls made by a {@link LockClient}, by method, counting every HTTP attempt (retries
 * included) whatever its outcome, and the attempts answered with HTTP 429.
 *
 * @param calls method name to attempts
 * @param rateLimited method name to 429 answers
 */
public record ApiCalls(Map<String, Long> calls, Map<String, Long> rateLimited) {

  public ApiCalls {
    calls = Map.copyOf(calls);
    rateLimited = Map.copyOf(rateLimited);
  }

  /** All attempts, all methods. */
  public long total() {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }

  /** All 429 answers. */
  public long totalRateLimited() {
    return rateLimited.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Slack's published limit for {@code method} in calls per minute per app per workspace (per
   * channel for chat.postMessage), as core paces it; 0 when core does not know the method.
   */
  public static int slackLimitPerMinute(String method) {
    return Pacer.TIERS.getOrDefault(method, 0);
  }

  /** Attempts of one method, e.g. {@code "pins.add"}. */
  public long of(String method) {
    return calls.getOrDefault(method, 0L);
  }

  /** The calls made since {@code earlier} was taken. */
  public ApiCalls minus(ApiCalls earlier) {
    return new ApiCalls(diff(calls, earlier.calls), diff(rateLimited, earlier.rateLimited));
  }

  /** The sum of both. */
  public ApiCalls plus(ApiCalls other) {
    Map<String, Long> c = new TreeMap<>(calls);
    other.calls.forEach((k, v) -> c.merge(k, v, Long::sum));
    Map<String, Long> r = new TreeMap<>(rateLimited);
    other.rateLimited.forEach((k, v) -> r.merge(k, v, Long::sum));
    return new ApiCalls(c, r);
  }

  private static Map<String, Long> diff(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> d = new TreeMap<>();
    now.forEach(
        (k, v) -> {
          long n = v - before.getOrDefault(k, 0L);
          if (n != 0) {
            d.put(k, n);
          }
        });
    return d;
  }

  @Override
  public String toString() {
    return "ApiCalls" + new TreeMap<>(calls) + " 429s" + new TreeMap<>(rateLimited);
  }
}
