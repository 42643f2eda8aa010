package io.slackmq.core;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.Message;
import com.slack.api.model.ResponseMetadata;
import com.slack.api.util.http.SlackHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import okhttp3.OkHttpClient;

/**
 * The one way SlackMQ calls Slack's Web API: paced per method at Slack's tier rates (shared by
 * every client of one app in the JVM), HTTP 429 answered by waiting Retry-After, 5xx, network
 * errors and Slack's transient {@code ok:false} codes retried with full-jitter exponential backoff,
 * all bounded by {@code maxRetries} and scaled by the time scale (a sped-up local Slack), every
 * HTTP attempt counted. Core's lock protocol, the worker, the CLI and the benchmarks all call
 * through it.
 *
 * <p>Errors are {@link SlackMQException} with Slack's code and what to do; the token stays inside
 * the SDK client and never appears in a message. Thread-safe.
 *
 * <pre>{@code
 * SlackApi api = SlackApi.builder(SlackApi.client(url, token, Duration.ofSeconds(10)))
 *     .pacing(url, token).build();
 * String ts = api.call("chat.postMessage",
 *     m -> m.chatPostMessage(r -> r.channel(channel).text("deploy web-7"))).getTs();
 * }</pre>
 */
public final class SlackApi {
  /** ok:false codes that mean "Slack had a problem": retried like a 5xx. */
  private static final Set<String> TRANSIENT =
      Set.of("internal_error", "fatal_error", "request_timeout", "service_unavailable");

  private static final long BACKOFF_BASE_NANOS = 100_000_000L;
  private static final long BACKOFF_CAP_NANOS = 5_000_000_000L;

  /** One Web API call through the SDK. */
  @FunctionalInterface
  public interface Call<T extends SlackApiTextResponse> {
    T run(MethodsClient methods) throws IOException, SlackApiException;
  }

  /**
   * A response, and whether an earlier attempt of the same call failed in a way that Slack may
   * still have applied (5xx, timeout, transient error): then an {@code already_*} answer may be our
   * own earlier attempt's doing.
   */
  public record Answer<T>(T response, boolean ambiguous) {}

  /** Told of every attempt and every 429 (for counters and back-pressure); must not block. */
  public interface Listener {
    /** An HTTP attempt of {@code method} is about to be sent. */
    default void attempted(String method) {}

    /** {@code method} was answered 429; this call waits {@code wait} before its next attempt. */
    default void rateLimited(String method, Duration wait) {}

    /**
     * An attempt of {@code method} ended: {@code error} is null when Slack answered ok, else
     * Slack's error code, {@code ratelimited}, {@code http_N} or {@code timeout} (no answer).
     */
    default void answered(String method, String error) {}
  }

  /** Waits; replaced in tests so that backoff and pacing cost no real time. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final MethodsClient methods;
  private final Pacer pacer;
  private final int maxRetries;
  private final double timeScale;
  private final Sleeper sleeper;
  private final Listener listener;
  private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> limited = new ConcurrentHashMap<>();

  private SlackApi(Builder b) {
    this.methods = b.methods;
    this.maxRetries = b.maxRetries;
    this.timeScale = b.timeScale;
    this.sleeper = b.sleeper;
    this.listener = Listeners.of(b.listeners);
    if (b.pacingUrl != null) {
      this.pacer =
          Pacer.Registry.SHARED.forToken(b.pacingUrl, b.pacingToken, timeScale, b.nanoTime);
    } else if (b.pacingByClient) {
      this.pacer = Pacer.Registry.SHARED.forClient(methods, timeScale, b.nanoTime);
    } else {
      this.pacer = Pacer.off();
    }
  }

  /** A builder around an SDK client (see {@link #client}). */
  public static Builder builder(MethodsClient methods) {
    return new Builder(Objects.requireNonNull(methods, "methods"));
  }

  private record ClientKey(String apiUrl, String tokenSha256, Duration timeout) {}

  /**
   * SDK clients shared within the JVM, one per (API URL, token, timeout): each has its own OkHttp
   * connection pool and dispatcher, so one per LockClient (the seed facade builds one per message)
   * would leak pools. Kept for the life of the JVM, as OkHttp recommends; idle connections are
   * evicted by OkHttp itself. The raw token is not part of the key.
   */
  private static final Map<ClientKey, MethodsClient> SHARED = new ConcurrentHashMap<>();

  /**
   * The SDK client for {@code token} at {@code apiUrl} (a local Slack's, or Slack's own {@code
   * https://slack.com/api/}), shared within the JVM, without the SDK's hidden {@code auth.test}
   * calls, each call bounded by {@code timeout}.
   */
  public static MethodsClient client(String apiUrl, String token, Duration timeout) {
    String url = withSlash(apiUrl);
    return SHARED.computeIfAbsent(
        new ClientKey(url, Pacer.Registry.sha256(token), timeout),
        k -> {
          SlackConfig config = new SlackConfig();
          config.setMethodsEndpointUrlPrefix(url);
          config.setStatsEnabled(false); // it would add an auth.test per token to call counts
          OkHttpClient http = new OkHttpClient.Builder().callTimeout(timeout).build();
          return Slack.getInstance(config, new SlackHttpClient(http)).methods(token);
        });
  }

  static String withSlash(String apiUrl) {
    return apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
  }

  /** The SDK client this calls through. */
  public MethodsClient methods() {
    return methods;
  }

  /**
   * Calls {@code method}, retrying what Slack says is worth retrying; returns the last answer
   * whether ok or not.
   *
   * @throws SlackMQException {@code ratelimited}, {@code http_N} or {@code timeout} when the
   *     retries are spent, {@code interrupted} when the thread is interrupted
   */
  public <T extends SlackApiTextResponse> Answer<T> attempt(String method, Call<T> call) {
    boolean ambiguous = false;
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt >= maxRetries;
      long pause;
      try {
        pacer.acquire(method, sleeper);
        attempts.computeIfAbsent(method, m -> new LongAdder()).increment();
        listener.attempted(method);
        T r = call.run(methods);
        listener.answered(method, r.isOk() ? null : r.getError());
        if (r.isOk() || !TRANSIENT.contains(r.getError()) || last) {
          return new Answer<>(r, ambiguous);
        }
        ambiguous = true;
        pause = backoff(attempt);
      } catch (SlackApiException e) {
        int code = e.getResponse().code();
        listener.answered(method, code == 429 ? "ratelimited" : "http_" + code);
        if (code == 429) {
          limited.computeIfAbsent(method, m -> new LongAdder()).increment();
          pacer.rateLimited(method);
          Duration wait = retryAfter(e.getResponse().header("Retry-After"), timeScale);
          listener.rateLimited(method, wait);
          if (last) {
            throw new SlackMQException(
                "ratelimited",
                method
                    + " was rate limited "
                    + (attempt + 1)
                    + " times in a row; use fewer workers per app, a cheaper strategy, or retry later",
                e);
          }
          pause = wait.toNanos() + jitter();
        } else if (code >= 500) {
          ambiguous = true;
          if (last) {
            throw new SlackMQException(
                "http_" + code,
                method
                    + ": Slack answered HTTP "
                    + code
                    + " "
                    + (attempt + 1)
                    + " times; Slack may be degraded, retry later",
                e);
          }
          pause = backoff(attempt);
        } else {
          throw new SlackMQException(
              "http_" + code, method + ": unexpected HTTP " + code + "; check the API URL", e);
        }
      } catch (IOException e) {
        listener.answered(method, "timeout");
        ambiguous = true;
        if (last) {
          throw new SlackMQException(
              "timeout",
              method
                  + " got no answer after "
                  + (attempt + 1)
                  + " attempts ("
                  + e.getClass().getSimpleName()
                  + "); check the network and the API"
                  + " URL",
              e);
        }
        pause = backoff(attempt);
      } catch (InterruptedException e) {
        throw interrupted(method, e);
      }
      try {
        sleeper.sleep(pause);
      } catch (InterruptedException e) {
        throw interrupted(method, e);
      }
    }
  }

  /**
   * Like {@link #attempt} but an {@code ok:false} answer is thrown as {@link SlackMQException} with
   * Slack's code and a hint (the scope needed, for {@code missing_scope}).
   */
  public <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
    T r = attempt(method, call).response();
    if (!r.isOk()) {
      throw error(method, r);
    }
    return r;
  }

  /**
   * All messages of a paginated read ({@code conversations.history}, {@code .replies}), page by
   * page through {@code response_metadata.next_cursor}.
   *
   * @param page the call for one page, given the cursor ({@code null} for the first page)
   * @param items the page's messages
   * @param meta the page's response metadata
   */
  public <R extends SlackApiTextResponse> List<Message> messages(
      String method,
      Function<String, Call<R>> page,
      Function<R, List<Message>> items,
      Function<R, ResponseMetadata> meta) {
    List<Message> out = new ArrayList<>();
    String cursor = null;
    do {
      R r = call(method, page.apply(cursor));
      List<Message> got = items.apply(r);
      if (got != null) {
        out.addAll(got);
      }
      ResponseMetadata m = meta.apply(r);
      cursor = m == null ? null : m.getNextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return out;
  }

  /** Attempts and 429s so far, by method. */
  public ApiCalls calls() {
    Map<String, Long> c = new TreeMap<>();
    attempts.forEach((k, v) -> c.put(k, v.sum()));
    Map<String, Long> l = new TreeMap<>();
    limited.forEach((k, v) -> l.put(k, v.sum()));
    return new ApiCalls(c, l);
  }

  private static SlackMQException interrupted(String method, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new SlackMQException("interrupted", method + " was interrupted; shutting down?", e);
  }

  static SlackMQException error(String method, SlackApiTextResponse r) {
    return new SlackMQException(r.getError(), Hints.hint(method, r));
  }

  /**
   * How long a 429's {@code Retry-After} header asks to wait, scaled by {@code timeScale}; one
   * second (scaled) when the header is missing or malformed, as Slack's docs suggest, and at least
   * 10 ms.
   */
  public static Duration retryAfter(String header, double timeScale) {
    long seconds = 1;
    try {
      if (header != null) {
        seconds = Math.max(0, Long.parseLong(header.trim()));
      }
    } catch (NumberFormatException ignored) {
      // keep one second
    }
    long nanos = (long) (TimeUnit.SECONDS.toNanos(Math.min(seconds, 3600)) / timeScale);
    return Duration.ofNanos(Math.max(nanos, 10_000_000L));
  }

  /** So that workers told the same Retry-After don't all come back in lockstep. */
  private long jitter() {
    return ThreadLocalRandom.current()
        .nextLong(Math.max(1, (long) (BACKOFF_BASE_NANOS / timeScale)));
  }

  private long backoff(int attempt) {
    long cap = Math.min(BACKOFF_CAP_NANOS, BACKOFF_BASE_NANOS << Math.min(attempt, 10));
    return (long) (ThreadLocalRandom.current().nextLong(cap / 2, cap + 1) / timeScale);
  }

  /** Options of a {@link SlackApi}; defaults: no pacing, 4 retries, time scale 1. */
  public static final class Builder {
    private final MethodsClient methods;
    private String pacingUrl;
    private String pacingToken;
    private boolean pacingByClient;
    private int maxRetries = 4;
    private double timeScale = 1.0;
    private LongSupplier nanoTime = System::nanoTime;
    private Sleeper sleeper = TimeUnit.NANOSECONDS::sleep;
    private final java.util.List<Listener> listeners = new java.util.ArrayList<>();

    private Builder(MethodsClient methods) {
      this.methods = methods;
    }

    /**
     * Paces at Slack's tiers, drawing from the one budget this JVM keeps for the app behind {@code
     * token} at {@code apiUrl} (every client of the app shares it, as Slack counts it).
     */
    public Builder pacing(String apiUrl, String token) {
      this.pacingUrl = withSlash(Objects.requireNonNull(apiUrl, "apiUrl"));
      this.pacingToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /** Paces at Slack's tiers, one budget per SDK client (when no token is known). */
    public Builder pacingByClient() {
      this.pacingByClient = true;
      return this;
    }

    /** Retries after the first attempt; 0 for none. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = checkRetries(maxRetries);
      return this;
    }

    static int checkRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
      }
      return maxRetries;
    }

    static double checkScale(double scale) {
      if (!(scale > 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException("timeScale must be > 0, was " + scale);
      }
      return scale;
    }

    /** Pace, back off and read Retry-After as if time ran {@code scale} times faster. */
    public Builder timeScale(double scale) {
      this.timeScale = checkScale(scale);
      return this;
    }

    /** The monotonic clock the pacer reads (nanoseconds) and how it waits. */
    public Builder time(LongSupplier nanoTime, Sleeper sleeper) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Adds a listener, told of every attempt, every answer and every 429. */
    public Builder listener(Listener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Records every answer in {@code registry}: {@code slackmq.slack.api.calls} (tags {@code
     * method}, {@code error}) and {@code slackmq.slack.ratelimited} (tag {@code method}).
     * Micrometer is an optional dependency: this is the only method that needs it.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      return listener(new MicrometerMeters(registry));
    }

    public SlackApi build() {
      return new SlackApi(this);
    }
  }
}
