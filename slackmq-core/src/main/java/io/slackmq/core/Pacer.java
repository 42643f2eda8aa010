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
 * LockClient is built from one.
 *
 * <p>Clients of one app in different processes (several hosts, one bot token) cannot see each
 * other's buckets; each would pace at the whole tier and together they would meet 429 after 429. So
 * each bucket adapts as TCP does (AIMD): a 429 halves this process's share of the tier (at most
 * once per {@value #CUT_EVERY_SECONDS} emulated seconds, so that the calls already in flight count
 * as one signal; never below 1/{@value #MIN_SHARE_DIVISOR}) and empties the burst; every emulated
 * minute without one gives back {@value #GROWTH_PER_MINUTE} of the tier. N processes of one app
 * then settle near 1/N each, with an occasional 429 as they probe for more.
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

  static final int CUT_EVERY_SECONDS = 2;
  static final int MIN_SHARE_DIVISOR = 16;
  static final double GROWTH_PER_MINUTE = 0.1;

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

  /**
   * Slack answered {@code method} with 429: this process takes a smaller share of the tier (see the
   * class comment).
   */
  void rateLimited(String method) {
    if (enabled) {
      bucket(method).cut();
    }
  }

  /** This process's share of {@code method}'s tier now, 1/16 to 1 (for tests and reports). */
  double share(String method) {
    return enabled ? bucket(method).share() : 1;
  }

  private Bucket bucket(String method) {
    return buckets.computeIfAbsent(method, m -> new Bucket(TIERS.getOrDefault(m, 20)));
  }

  private final class Bucket {
    private final double capacity;
    private final double perNano;
    private final double growthPerNano;
    private final long cutEveryNanos;
    private double tokens;
    private double share = 1;
    private long last;
    private long lastCut;

    Bucket(int perMinute) {
      this.capacity = Math.max(1, perMinute / 4.0);
      this.perNano = perMinute * timeScale / 60e9;
      this.growthPerNano = GROWTH_PER_MINUTE * timeScale / 60e9;
      this.cutEveryNanos = (long) (TimeUnit.SECONDS.toNanos(CUT_EVERY_SECONDS) / timeScale);
      this.tokens = capacity;
      this.last = nanoTime.getAsLong();
      this.lastCut = last - cutEveryNanos;
    }

    synchronized void cut() {
      long now = nanoTime.getAsLong();
      peek();
      if (now - lastCut >= cutEveryNanos) {
        share = Math.max(1.0 / MIN_SHARE_DIVISOR, share / 2);
        lastCut = now;
      }
      tokens = Math.min(tokens, 0);
    }

    synchronized double share() {
      peek();
      return share;
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
      long elapsed = now - last;
      tokens = Math.min(Math.max(1, capacity * share), tokens + elapsed * perNano * share);
      share = Math.min(1, share + elapsed * growthPerNano);
      last = now;
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / (perNano * share));
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
