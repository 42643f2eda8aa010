package io.slackmq.core;

import com.slack.api.methods.MethodsClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Leases on Slack messages: {@link #acquire} marks a message (pin, reaction and/or star: a cheap
 * visible filter), claims it in a ledger thread under the message, and verifies that the claim won.
 * The ledger is a totally ordered log (Slack stamps each reply with a unique, increasing ts), so
 * every worker decides the same holder. See docs/PROTOCOL.md.
 *
 * <pre>{@code
 * try (LockClient client = LockClient.builder().token(botToken).ttl(Duration.ofMinutes(2)).build()) {
 *   if (client.acquire(channel, ts) instanceof Outcome.Acquired a) {
 *     try (Lease lease = a.lease().startWatchdog()) {
 *       handle(message);
 *       lease.complete();
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe: many threads may share one client (each claim carries its own id). Calls are
 * paced per method by Slack's tier, honour 429 Retry-After, and back off with jitter on 5xx and
 * timeouts (bounded). Tokens never appear in logs, exceptions or {@code toString()}.
 */
public final class LockClient implements AutoCloseable {
  final Settings settings;
  final SlackPort slack;
  final Engine engine;

  LockClient(Settings settings, SlackPort slack) {
    this(settings, slack, LockMeters.NONE);
  }

  LockClient(Settings settings, SlackPort slack, LockMeters meters) {
    this.settings = settings;
    this.slack = slack;
    this.engine = new Engine(settings, slack, meters);
  }

  /** The default read-lag bound, 2 s; why this much: docs/PROTOCOL.md (A1'). */
  public static final Duration DEFAULT_READ_LAG_BOUND = Duration.ofSeconds(2);

  /** A builder; {@link Builder#token} (or {@link Builder#methods}) is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tries to take the message {@code (channel, ts)}. Blocks for a few API calls (paced). Never
   * throws for Slack errors: they come back as {@link Outcome.Failed}.
   */
  public Outcome acquire(String channel, String ts) {
    return engine.acquire(channel, ts);
  }

  /**
   * As {@link #acquire(String, String)} with this acquire's own lease ttl (the claim carries it;
   * renewals keep it): for locks whose every acquire has its own bound, as ShedLock's
   * lockAtMostFor.
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  public Outcome acquire(String channel, String ts, Duration ttl) {
    return engine.acquire(channel, ts, Builder.positive(ttl, "ttl"));
  }

  /**
   * Reads the message's marks and ledger (one conversations.replies call per 200 replies) and says
   * whether it is free, held, expired, done or dead-lettered. Changes nothing.
   *
   * @throws SlackMQException with Slack's error code
   */
  public MessageState inspect(String channel, String ts) {
    return engine.inspect(channel, ts);
  }

  /**
   * Puts the dead-lettered message {@code (channel, ts)} back in the queue, as SQS's redrive does:
   * writes a redrive entry in its thread (this client's {@link #workerId()} as who, the entry's ts
   * as when, {@code reason} as why), after which its attempts start again from zero, and removes
   * the dead reaction. A message that is not dead-lettered is left alone ({@link Redrive.NotDead}).
   * Safe to run twice, and while workers race for the message: the ledger counts a redrive only on
   * a dead message, so it never frees a live lease. Blocks for about five calls plus the read-lag
   * bound. Never throws for Slack errors: they come back as {@link Redrive.Failed}.
   */
  public Redrive redrive(String channel, String ts, String reason) {
    return engine.redrive(channel, ts, reason);
  }

  /** Web API calls made so far by this client, by method (retries and 429s included). */
  public ApiCalls calls() {
    return slack.calls();
  }

  /** This client's worker id, as written in ledger entries. */
  public String workerId() {
    return settings.workerId();
  }

  /** The reaction that marks a message locked (REACTION strategy), canonical name. */
  public String lockEmoji() {
    return settings.lockEmoji();
  }

  /** The reaction that marks a message done, canonical name. */
  public String doneEmoji() {
    return settings.doneEmoji();
  }

  /** The reaction that marks a message dead-lettered, canonical name. */
  public String deadEmoji() {
    return settings.deadEmoji();
  }

  /** Stops watchdogs and the scheduler this client created (not one passed to the builder). */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "LockClient[worker="
        + settings.workerId()
        + ", strategy="
        + settings.strategy()
        + ", ttl="
        + settings.ttl()
        + "]";
  }

  /** Configures a {@link LockClient}. Each option may be set once. */
  public static final class Builder {
    private String token;
    private String apiUrl = "https://slack.com/api/";
    private MethodsClient methods;
    private Strategy strategy = Strategy.PIN;
    private Duration ttl = Duration.ofSeconds(60);
    private Duration safetyMargin;
    private Duration clockSkew = Duration.ofSeconds(2);
    private int maxAttempts = 3;
    private String workerId;
    private String lockEmoji = "lock";
    private String doneEmoji = "white_check_mark";
    private String deadEmoji = "skull";
    private boolean keepLockReaction = true;
    private InstantSource clock = InstantSource.system();
    private LongSupplier nanoTime = System::nanoTime;
    private SlackApi.Sleeper sleeper = TimeUnit.NANOSECONDS::sleep;
    private double timeScale = 1.0;
    private boolean pacing = true;
    private int maxRetries = 4;
    private Duration callTimeout = Duration.ofSeconds(10);
    private ScheduledExecutorService scheduler;
    private SlackApi.Listener listener = new SlackApi.Listener() {};
    private LockMeters meters = LockMeters.NONE;
    private Duration readLagBound = DEFAULT_READ_LAG_BOUND;
    private boolean compactLedger;

    Builder() {}

    /** A bot ({@code xoxb-}) or user ({@code xoxp-}, needed for STAR) token. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The Web API prefix; default {@code https://slack.com/api/} (an emulator's apiUrl). */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
      return this;
    }

    /**
     * An existing SDK client (already bound to a token); its calls replace those built from token
     * and apiUrl. Pacing is then shared by the clients built from this same SDK client; to share it
     * with every client of the app in the JVM, also set {@link #token} and {@link #apiUrl} (used
     * only to identify the app's budget).
     */
    public Builder methods(MethodsClient methods) {
      this.methods = Objects.requireNonNull(methods, "methods");
      return this;
    }

    /** The lock marks; default {@link Strategy#PIN}. */
    public Builder strategy(Strategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** The lease time to live; default 60 s. Renew with {@link Lease#extend()} or a watchdog. */
    public Builder ttl(Duration ttl) {
      this.ttl = positive(ttl, "ttl");
      return this;
    }

    /**
     * How long before the ttl the holder considers its lease gone (covers clock-rate drift and
     * in-flight calls); default ttl/10, at least 100 ms.
     */
    public Builder safetyMargin(Duration margin) {
      this.safetyMargin = Objects.requireNonNull(margin, "safetyMargin");
      return this;
    }

    /**
     * How far this host's wall clock may differ from Slack's; default 2 s. Only used to guess when
     * another worker's lease looks expired (a wrong guess costs calls, never safety).
     */
    public Builder clockSkew(Duration skew) {
      this.clockSkew = Objects.requireNonNull(skew, "clockSkew");
      return this;
    }

    /** Attempts (claims released or expired) before the message is dead-lettered; default 3. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * This worker's name in the ledger; default host/pid/random. Letters, digits, {@code ._:@/-}.
     */
    public Builder workerId(String workerId) {
      if (!Ledger.WORKER_ID.matcher(workerId).matches()) {
        throw new IllegalArgumentException(
            "workerId must be 1-64 of [A-Za-z0-9._:@/-], was '" + workerId + "'");
      }
      this.workerId = workerId;
      return this;
    }

    /** The lock reaction for {@link Strategy.Mark#REACTION}; default {@code lock}. */
    public Builder lockEmoji(String name) {
      this.lockEmoji = emoji(name);
      return this;
    }

    /**
     * The reaction that marks a message done; default {@code white_check_mark}. Aliases are stored
     * under Slack's canonical name ({@code thumbsup} becomes {@code +1}), as for every emoji
     * option.
     */
    public Builder doneEmoji(String name) {
      this.doneEmoji = emoji(name);
      return this;
    }

    /** The reaction that marks a message dead-lettered; default {@code skull}. */
    public Builder deadEmoji(String name) {
      this.deadEmoji = emoji(name);
      return this;
    }

    /**
     * Whether complete() leaves the lock reaction in place (REACTION strategy); default true: it
     * saves a Tier 2 reactions.remove per message, and the done reaction wins anyway.
     */
    public Builder keepLockReactionOnComplete(boolean keep) {
      this.keepLockReaction = keep;
      return this;
    }

    /**
     * The wall clock (estimates of Slack's time, Instants in outcomes) and the monotonic clock
     * (lease deadlines, pacing, backoff). For tests; default the system clocks. Paced clients of
     * one app share the pacer, and with it the clock, of the first one built.
     */
    public Builder clock(InstantSource wall, LongSupplier nanoTime) {
      this.clock = Objects.requireNonNull(wall, "wall");
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /** How the client waits for the pacer and between retries (a fake in tests). */
    public Builder sleeper(SlackApi.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Pace as if time ran {@code scale} times faster: for an emulator running scaled rate limits
     * (emulated minute = 1 real second at 60). Also scales Retry-After. Default 1.
     */
    public Builder timeScale(double scale) {
      this.timeScale = SlackApi.Builder.checkScale(scale);
      return this;
    }

    /**
     * Whether to pace calls per method by Slack's tiers; default true. Every paced client of one
     * app (same API URL, token and time scale, or the same {@link #methods} client) in this JVM
     * draws from one budget per method, as Slack counts them.
     */
    public Builder pacing(boolean pacing) {
      this.pacing = pacing;
      return this;
    }

    /** Retries per call on 429, 5xx and timeouts before failing; default 4. */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = SlackApi.Builder.checkRetries(maxRetries);
      return this;
    }

    /** HTTP timeout per call (only with {@link #token}); default 10 s. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /**
     * The scheduler for watchdogs; default 4 daemon threads created on first use (so a renewal
     * waiting out a 429 does not delay the other leases' renewals). Give a scheduler with several
     * threads too.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Told of every Web API attempt and every 429 of this client (a worker closes its gate for the
     * Retry-After, so its sources hold back too); must not block. Default: nobody.
     */
    public Builder listener(SlackApi.Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Records this client's work in {@code registry} ({@code slackmq.lock.*}, {@code
     * slackmq.slack.*}; see docs/OPERATIONS.md). Micrometer is an optional dependency: only this
     * method needs it. Default: no meters.
     */
    public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
      this.meters = new MicrometerMeters(registry);
      return this;
    }

    /**
     * How long after a write Slack's reads may still miss it (assumption A1' in docs/PROTOCOL.md);
     * default {@link #DEFAULT_READ_LAG_BOUND}. Every claim waits this long (scaled by the time
     * scale) before the read that decides it, and every renewal before the read that confirms it:
     * it costs latency, never calls. Zero is safe only on a linearizable Slack, such as the local
     * Slack without its read-lag fault. Beyond the bound, a takeover or a double win on a
     * non-atomic mark can produce two holders.
     */
    public Builder readLagBound(Duration bound) {
      Objects.requireNonNull(bound, "readLagBound");
      if (bound.isNegative()) {
        throw new IllegalArgumentException("readLagBound must be >= 0, was " + bound);
      }
      this.readLagBound = bound;
      return this;
    }

    /**
     * Whether a won claim deletes the older ledger entries that can no longer matter (chat.delete,
     * Tier 3); default false. For a message locked over and over, whose thread would otherwise grow
     * with every lock; see docs/PROTOCOL.md, "Compaction".
     */
    public Builder compactLedger(boolean compact) {
      this.compactLedger = compact;
      return this;
    }

    /** Builds the client. */
    public LockClient build() {
      if (token == null && methods == null) {
        throw new IllegalStateException("set token(...) or methods(...)");
      }
      if (strategy.uses(Strategy.Mark.REACTION)
          && (lockEmoji.equals(doneEmoji) || lockEmoji.equals(deadEmoji))) {
        throw new IllegalStateException("lockEmoji must differ from doneEmoji and deadEmoji");
      }
      Duration margin =
          safetyMargin != null ? safetyMargin : max(ttl.dividedBy(10), Duration.ofMillis(100));
      if (margin.compareTo(ttl.dividedBy(2)) > 0) {
        throw new IllegalStateException("safetyMargin " + margin + " must be <= ttl/2");
      }
      Settings s =
          new Settings(
              strategy,
              ttl,
              margin,
              clockSkew,
              maxAttempts,
              workerId != null ? workerId : Settings.defaultWorkerId(),
              lockEmoji,
              doneEmoji,
              deadEmoji,
              keepLockReaction,
              clock,
              nanoTime,
              timeScale,
              scheduler,
              readLagBound,
              sleeper,
              compactLedger);
      // One pacer per app in this JVM: clients of one app share Slack's per-app budget.
      SlackApi.Builder api =
          SlackApi.builder(methods != null ? methods : SlackApi.client(apiUrl, token, callTimeout))
              .maxRetries(maxRetries)
              .timeScale(timeScale)
              .time(nanoTime, sleeper)
              .listener(listener)
              .listener(meters);
      if (pacing && token != null) {
        api.pacing(apiUrl, token);
      } else if (pacing) {
        api.pacingByClient();
      }
      SlackPort port = new SdkSlackPort(api.build());
      return new LockClient(s, port, meters);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }

    private static Duration max(Duration a, Duration b) {
      return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Checks an emoji name as every emoji option here does and returns Slack's canonical name (for
     * callers with emoji options of their own).
     *
     * @throws IllegalArgumentException if it is not an emoji name (colons, spaces, capitals)
     */
    public static String emoji(String name) {
      return Emoji.canonical(name);
    }
  }
}
