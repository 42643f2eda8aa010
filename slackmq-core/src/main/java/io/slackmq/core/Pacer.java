package io.slackmq.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces calls per Web API method at Slack's tier rates (docs/PROTOCOL.md, "Rate limits").
 *
 * <p>Why not the SDK's {@code AsyncMethodsClient}: it paces in real minutes (an emulator at
 * time scale 60 would be throttled 60 times too hard unless every method got a custom rate),
 * resolves the team id with hidden {@code auth.test} calls that skew call counts, and gives up
 * only after its idle timeout (default 60 min) with a {@code RejectedExecutionException} that
 * loses Slack's error code. A token bucket per method, with rates from the tier table times
 * the time scale, is a few lines and keeps every call synchronous and counted.
 *
 * <p>The bucket holds a quarter of a minute's calls, so bursts stay within Slack's "temporary
 * burst" allowance; sustained rate is the tier rate. It is per client: several clients of one
 * app share Slack's budget, and then 429 + Retry-After does the rest.
 */
final class Pacer {
  /** Calls per minute per app per workspace (Slack's tiers; chat.postMessage ~1/s/channel). */
  static final Map<String, Integer> TIERS = Map.ofEntries(
      Map.entry("pins.add", 20), Map.entry("pins.remove", 20), Map.entry("pins.list", 20),
      Map.entry("reactions.add", 50), Map.entry("reactions.remove", 20),
      Map.entry("reactions.get", 50), Map.entry("stars.add", 20), Map.entry("stars.remove", 20),
      Map.entry("chat.postMessage", 60), Map.entry("chat.delete", 50),
      Map.entry("chat.update", 50), Map.entry("conversations.replies", 50),
      Map.entry("conversations.history", 50), Map.entry("auth.test", 600));

  private final boolean enabled;
  private final double timeScale;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  Pacer(boolean enabled, double timeScale, LongSupplier nanoTime) {
    this.enabled = enabled;
    this.timeScale = timeScale;
    this.nanoTime = nanoTime;
  }

  /** Blocks until {@code method} may be called. */
  void acquire(String method) throws InterruptedException {
    if (!enabled) {
      return;
    }
    int perMinute = TIERS.getOrDefault(method, 20);
    Bucket b = buckets.computeIfAbsent(method, m -> new Bucket(perMinute));
    long wait;
    while ((wait = b.take()) > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private final class Bucket {
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    Bucket(int perMinute) {
      this.capacity = Math.max(1, perMinute / 4.0);
      this.perNano = perMinute * timeScale / 60e9;
      this.tokens = capacity;
      this.last = nanoTime.getAsLong();
    }

    /** Takes a token and returns 0, or returns how long to wait for one. */
    synchronized long take() {
      long now = nanoTime.getAsLong();
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perNano);
    }
  }
}
