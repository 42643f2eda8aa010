package io.slackmq.core;

import com.slack.api.methods.MethodsClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces calls per Web API method at Slack's tier rates (docs/PROTOCOL.md, "Rate limits").
 *
 * <p>Why not the SDK's {@code AsyncMethodsClient}: it paces in real minutes (an emulator at time
 * scale 60 would be throttled 60 times too hard unless every method got a custom rate), resolves
 * the team id with hidden {@code auth.test} calls that skew call counts, and gives up only after
 * its idle timeout (default 60 min) with a {@code RejectedExecutionException} that loses Slack's
 * error code. A token bucket per method, with rates from the tier table times the time scale, is a
 * few lines and keeps every call synchronous and counted.
 *
 * <p>The bucket holds a quarter of a minute's calls, so bursts stay within Slack's "temporary
 * burst" allowance; sustained rate is the tier rate. Slack's budget is per app per workspace per
 * method, so every {@link LockClient} of one app in a JVM must draw from the same buckets: {@link
 * Registry#SHARED} hands out one pacer per (API URL, token, time scale), or per SDK client when a
 * LockClient is built from one. Clients of one app that use different tokens (a bot token and a
 * user token) or run in different processes still pace separately; 429 + Retry-After does the rest.
 */
final class Pacer {
  /** Calls per minute per app per workspace (Slack's tiers; chat.postMessage ~1/s/channel). */
  static final Map<String, Integer> TIERS =
      Map.ofEntries(
          Map.entry("pins.add", 20),
          Map.entry("pins.remove", 20),
          Map.entry("pins.list", 20),
          Map.entry("reactions.add", 50),
          Map.entry("reactions.remove", 20),
          Map.entry("reactions.get", 50),
          Map.entry("stars.add", 20),
          Map.entry("stars.remove", 20),
          Map.entry("chat.postMessage", 60),
          Map.entry("chat.delete", 50),
          Map.entry("chat.update", 50),
          Map.entry("conversations.replies", 50),
          Map.entry("conversations.history", 50),
          Map.entry("auth.test", 600),
          Map.entry("chat.getPermalink", 600));

  private final boolean enabled;
  private final double timeScale;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  Pacer(boolean enabled, double timeScale, LongSupplier nanoTime) {
    this.enabled = enabled;
    this.timeScale = timeScale;
    this.nanoTime = nanoTime;
  }

  /** A pacer that never waits (pacing off). */
  static Pacer off() {
    return new Pacer(false, 1, System::nanoTime);
  }

  /** Blocks until {@code method} may be called. */
  void acquire(String method) throws InterruptedException {
    acquire(method, TimeUnit.NANOSECONDS::sleep);
  }

  /** Blocks through {@code sleeper} until {@code method} may be called. */
  void acquire(String method, SlackApi.Sleeper sleeper) throws InterruptedException {
    if (!enabled) {
      return;
    }
    Bucket b = bucket(method);
    long wait;
    while ((wait = b.take()) > 0) {
      sleeper.sleep(wait);
    }
  }

  /** How long a call of {@code method} would wait now (0: it may go); takes nothing. */
  long waitNanos(String method) {
    if (!enabled) {
      return 0;
    }
    return bucket(method).peek();
  }

  private Bucket bucket(String method) {
    return buckets.computeIfAbsent(method, m -> new Bucket(TIERS.getOrDefault(m, 20)));
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
      long wait = peek();
      if (wait == 0) {
        tokens -= 1;
      }
      return wait;
    }

    /** Refills, then returns 0 if a token is there, or how long to wait for one. */
    synchronized long peek() {
      long now = nanoTime.getAsLong();
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }
  }

  /**
   * Pacers shared within the JVM, one per app identity. The identity is the API URL plus a SHA-256
   * of the token (the raw token is never kept, so no key can print it) plus the time scale; or the
   * SDK client object itself (held weakly) when no token is known.
   */
  static final class Registry {
    /** The process-wide registry used by {@link LockClient.Builder#build()}. */
    static final Registry SHARED = new Registry();

    private record Key(String apiUrl, String tokenSha256, double timeScale) {}

    private final Map<Key, Pacer> byToken = new ConcurrentHashMap<>();
    private final Map<MethodsClient, Pacer> byClient = new WeakHashMap<>();

    /** The pacer of the app behind {@code token} at {@code apiUrl}, created on first use. */
    Pacer forToken(String apiUrl, String token, double timeScale, LongSupplier nanoTime) {
      String url = SlackApi.withSlash(apiUrl);
      return byToken.computeIfAbsent(
          new Key(url, sha256(token), timeScale), k -> new Pacer(true, timeScale, nanoTime));
    }

    /** The pacer of an SDK client (bound to one token), created on first use. */
    Pacer forClient(MethodsClient methods, double timeScale, LongSupplier nanoTime) {
      synchronized (byClient) {
        return byClient.computeIfAbsent(methods, k -> new Pacer(true, timeScale, nanoTime));
      }
    }

    @Override
    public String toString() {
      synchronized (byClient) {
        return "Pacer.Registry["
            + byToken.size()
            + " app(s) by token, "
            + byClient.size()
            + " by SDK client]";
      }
    }

    static String sha256(String token) {
      try {
        byte[] d =
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JVM has no SHA-256", e);
      }
    }
  }
}
