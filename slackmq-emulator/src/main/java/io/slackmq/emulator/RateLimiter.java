package io.slackmq.emulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slack's rate limits: a token bucket per (team, app, method), refilled at the tier's rate per
 * emulated minute, holding at most the tier's burst. A call that finds the bucket empty is refused
 * with the real seconds until a token is back ({@code Retry-After}).
 */
final class RateLimiter {
  enum Mode {
    OFF,
    SLACK,
    CUSTOM
  }

  private final EmulatorClock clock;
  private volatile Mode mode;

  /** Per-method overrides in calls per minute (CUSTOM mode, and the non-Marketplace profile). */
  private final Map<String, Integer> custom = new ConcurrentHashMap<>();

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(EmulatorClock clock, Mode mode, Map<String, Integer> custom) {
    this.clock = clock;
    this.mode = mode;
    this.custom.putAll(custom);
  }

  Mode mode() {
    return mode;
  }

  void mode(Mode mode) {
    this.mode = mode;
    buckets.clear();
  }

  void custom(String method, int perMinute) {
    custom.put(method, perMinute);
    buckets.clear();
  }

  /**
   * Switches mode and, when {@code limits} is not null, replaces every custom limit; buckets
   * restart full.
   */
  synchronized void configure(Mode mode, Map<String, Integer> limits) {
    if (limits != null) {
      custom.clear();
      custom.putAll(limits);
    }
    this.mode = mode;
    buckets.clear();
  }

  double timeScale() {
    return clock.timeScale();
  }

  Map<String, Integer> custom() {
    return Map.copyOf(custom);
  }

  /**
   * Takes one call from the bucket of {@code key}.
   *
   * @return 0 when the call may proceed, else the whole seconds to put in {@code Retry-After}
   */
  long acquire(String key, String method, Tier tier, boolean tier1Profile) {
    if (mode == Mode.OFF) {
      return 0;
    }
    int perMinute = tier.perMinute;
    int burst = tier.burst;
    Integer override = mode == Mode.CUSTOM ? custom.get(method) : null;
    if (override != null) {
      perMinute = override;
      burst = Math.max(1, override);
    } else if (tier1Profile) {
      // Slack's words for the 2025 non-Marketplace profile are "limited to 1 request per
      // minute": no burst, unlike plain Tier 1 (see docs/EMULATOR.md, "Rate limits").
      perMinute = Tier.TIER_1.perMinute;
      burst = 1;
    }
    if (perMinute <= 0) {
      return 0; // a custom 0 means unlimited
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket());
    long nanosPerToken = 60_000_000_000L / perMinute;
    synchronized (bucket) {
      long now = clock.emulatedNanos();
      if (bucket.last == Long.MIN_VALUE) {
        bucket.tokens = burst;
        bucket.last = now;
      }
      long refill = (now - bucket.last) / nanosPerToken;
      if (refill > 0) {
        bucket.tokens = Math.min(burst, bucket.tokens + refill);
        bucket.last += refill * nanosPerToken;
      }
      if (bucket.tokens >= 1) {
        if (bucket.tokens == burst) {
          bucket.last = now; // a full bucket does not bank time
        }
        bucket.tokens--;
        return 0;
      }
      long waitEmulatedNanos = bucket.last + nanosPerToken - now;
      double realSeconds = waitEmulatedNanos / clock.timeScale() / 1e9;
      return Math.max(1, (long) Math.ceil(realSeconds));
    }
  }

  private static final class Bucket {
    long tokens;
    long last = Long.MIN_VALUE;
  }
}
