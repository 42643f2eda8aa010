package io.slackmq.worker;

import io.slackmq.core.LockClient;
import io.slackmq.core.SlackApi;
import io.slackmq.core.Strategy;
import io.slackmq.worker.SlackMQWorker.Source;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Configures a {@link SlackMQWorker}. Each setter validates at once; the lock options (lease ttl,
 * attempts, worker id, strategy, time scale, clocks) are checked by core's {@link
 * LockClient.Builder}, which then builds the worker's lock client.
 */
public final class WorkerBuilder {
  /** Core checks each lock option as it is set, and builds the lock client from it. */
  final LockClient.Builder lock = LockClient.builder();

  String botToken;
  String appToken;
  String signingSecret;
  String apiUrl = "https://slack.com/api/";
  final Set<String> channels = new LinkedHashSet<>();
  Set<Source> sources;
  String eventsHost = "127.0.0.1";
  int eventsPort = 3000;
  String eventsPath = "/slack/events";
  int maxAttempts = 3;
  int handlerThreads = 4;
  int queueCapacity = 100;
  Duration sweepInterval = Duration.ofSeconds(60);
  Duration catchUpWindow = Duration.ofHours(1);
  Duration sweepGrace = Duration.ofSeconds(10);
  Duration pollInterval = Duration.ofSeconds(5);
  Duration retryDelay = Duration.ofSeconds(10);
  Duration stopDeadline = Duration.ofSeconds(30);
  Duration shutdownHookDeadline;
  final Set<String> fleet = new LinkedHashSet<>();
  final java.util.TreeSet<String> apps = new java.util.TreeSet<>();
  Duration affinityGrace = Duration.ofSeconds(5);
  Duration leaseTtl = Duration.ofSeconds(60);
  boolean strategySet;
  String canaryEmoji;
  String deadLetterChannel;
  double timeScale = 1.0;
  boolean pacing = true;
  Duration readLagBound = LockClient.DEFAULT_READ_LAG_BOUND;
  InstantSource clock = InstantSource.system();
  LongSupplier nanoTime = System::nanoTime;
  SlackApi.Sleeper sleeper = TimeUnit.NANOSECONDS::sleep;
  io.micrometer.core.instrument.MeterRegistry meterRegistry;

  WorkerBuilder() {}

  /** The bot token ({@code xoxb-}): Web API calls and locks. Required. */
  public WorkerBuilder botToken(String token) {
    this.botToken = Objects.requireNonNull(token, "botToken");
    return this;
  }

  /** The app-level token ({@code xapp-}) for Socket Mode. */
  public WorkerBuilder appToken(String token) {
    this.appToken = Objects.requireNonNull(token, "appToken");
    return this;
  }

  /** The app's signing secret, to verify Events API requests. */
  public WorkerBuilder signingSecret(String secret) {
    this.signingSecret = Objects.requireNonNull(secret, "signingSecret");
    return this;
  }

  /** The Web API prefix; default {@code https://slack.com/api/} (or an emulator's apiUrl). */
  public WorkerBuilder apiUrl(String url) {
    this.apiUrl = Objects.requireNonNull(url, "apiUrl");
    return this;
  }

  /** The channel ids to serve (messages elsewhere are ignored). At least one. */
  public WorkerBuilder channels(String... ids) {
    for (String id : ids) {
      channels.add(Objects.requireNonNull(id, "channel id"));
    }
    return this;
  }

  /**
   * The event sources; default SOCKET_MODE with an app token, else EVENTS_API with a signing
   * secret, else POLLING. The sweeper always runs.
   */
  public WorkerBuilder sources(Source first, Source... more) {
    if (sources != null) {
      throw new IllegalStateException("sources were already set to " + sources);
    }
    sources = EnumSet.of(first, more);
    return this;
  }

  /**
   * Where the Events API receiver listens; default 127.0.0.1:3000/slack/events (loopback: put a
   * reverse proxy with TLS in front, or pass "0.0.0.0" to listen on every interface); port 0 = any
   * free port.
   */
  public WorkerBuilder eventsApi(String host, int port, String path) {
    if (port < 0 || port > 65535 || !path.startsWith("/")) {
      throw new IllegalArgumentException("bad Events API address " + host + ":" + port + path);
    }
    this.eventsHost = host;
    this.eventsPort = port;
    this.eventsPath = path;
    return this;
  }

  /** This worker's id in the ledger; default host/pid/random (see core). */
  public WorkerBuilder workerId(String id) {
    lock.workerId(Objects.requireNonNull(id, "workerId"));
    return this;
  }

  /**
   * The lock marks. Default: {@link Strategy#PIN} (exclusive across apps), or {@link
   * Strategy#REACTION} (Tier 3: a higher ceiling) when {@link #apps} names a single app, since then
   * every worker shares one bot user.
   */
  public WorkerBuilder strategy(Strategy strategy) {
    lock.strategy(strategy);
    this.strategySet = true;
    return this;
  }

  /**
   * The bot user ids ({@code U...}) of every app in the fleet, this worker's included. With two or
   * more, each message of a ONE listener has a home app (a stable hash of channel and ts): its
   * workers act at once, the other apps' workers only after {@link #affinityGrace} if it is still
   * unclaimed, so a fleet of K apps gets K apps' budgets instead of every app paying for every
   * message. With one, the fleet shares a bot user and the default strategy becomes REACTION. See
   * docs/WORKER.md, "Several apps".
   */
  public WorkerBuilder apps(String... botUserIds) {
    apps.clear();
    for (String id : botUserIds) {
      if (id == null || !id.matches("[UW][A-Z0-9]{2,}")) {
        throw new IllegalArgumentException(
            "apps(...) takes bot user ids (U... as auth.test's user_id names them), got " + id);
      }
      apps.add(id);
    }
    return this;
  }

  /**
   * How long a non-home app leaves an unclaimed message to its home app before taking it over;
   * default 5 s (scaled by the time scale).
   */
  public WorkerBuilder affinityGrace(Duration grace) {
    this.affinityGrace = positive(grace, "affinityGrace");
    return this;
  }

  /** The lease time to live (renewed by a watchdog while a handler runs); default 60 s. */
  public WorkerBuilder leaseTtl(Duration ttl) {
    lock.ttl(ttl);
    this.leaseTtl = ttl;
    return this;
  }

  /** Failed attempts before a message is dead-lettered; default 3. */
  public WorkerBuilder maxAttempts(int n) {
    lock.maxAttempts(n);
    this.maxAttempts = n;
    return this;
  }

  /** Handler threads (the bound on concurrent handlers); default 4. */
  public WorkerBuilder handlerThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("handlerThreads must be >= 1, was " + n);
    }
    this.handlerThreads = n;
    return this;
  }

  /** Messages waiting for a handler thread; beyond it they are left to the sweeper. */
  public WorkerBuilder queueCapacity(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1, was " + n);
    }
    this.queueCapacity = n;
    return this;
  }

  /** How often the sweeper reads the catch-up window; default 60 s. */
  public WorkerBuilder sweepInterval(Duration d) {
    this.sweepInterval = positive(d, "sweepInterval");
    return this;
  }

  /** How far back the sweeper looks (and a restarted worker catches up); default 1 h. */
  public WorkerBuilder catchUpWindow(Duration d) {
    this.catchUpWindow = positive(d, "catchUpWindow");
    return this;
  }

  /**
   * How old an unmarked ONE message must be before the sweeper takes it rather than wait for its
   * event; default 10 s.
   */
  public WorkerBuilder sweepGrace(Duration d) {
    this.sweepGrace = Objects.requireNonNull(d, "sweepGrace");
    return this;
  }

  /** POLLING's interval per round (raised to stay within Tier 3); default 5 s. */
  public WorkerBuilder pollInterval(Duration d) {
    this.pollInterval = positive(d, "pollInterval");
    return this;
  }

  /** Delay before a failed handler's message is retried here; default 10 s. */
  public WorkerBuilder retryDelay(Duration d) {
    this.retryDelay = Objects.requireNonNull(d, "retryDelay");
    return this;
  }

  /** The deadline {@link SlackMQWorker#close()} gives running handlers; default 30 s. */
  public WorkerBuilder stopDeadline(Duration d) {
    this.stopDeadline = Objects.requireNonNull(d, "stopDeadline");
    return this;
  }

  /** Registers a JVM shutdown hook (SIGTERM) that stops the worker within {@code deadline}. */
  public WorkerBuilder shutdownHook(Duration deadline) {
    this.shutdownHookDeadline = Objects.requireNonNull(deadline, "deadline");
    return this;
  }

  /** The worker ids of the fleet, for ROLLING (every one of them handles each message). */
  public WorkerBuilder fleet(String... workerIds) {
    fleet.addAll(List.of(workerIds));
    return this;
  }

  /**
   * ROLLING canary: after the first worker's turn, the others wait until a human (not a bot) reacts
   * with {@code emoji} on the message.
   */
  public WorkerBuilder canary(String emoji) {
    this.canaryEmoji = LockClient.Builder.emoji(emoji);
    return this;
  }

  /**
   * A channel where each dead letter is announced once, by the worker that dead-lettered it: a link
   * to the message, the reason, and the command that redrives it. Default: none (the message's
   * thread and its dead reaction say it anyway). The bot must be a member of that channel.
   */
  public WorkerBuilder deadLetterChannel(String channelId) {
    this.deadLetterChannel = Objects.requireNonNull(channelId, "deadLetterChannel");
    return this;
  }

  /** Pace and read Retry-After as if time ran {@code scale} times faster (an emulator's). */
  public WorkerBuilder timeScale(double scale) {
    lock.timeScale(scale);
    this.timeScale = scale;
    return this;
  }

  /** Whether the worker and its lock client pace their calls by tier; default true. */
  public WorkerBuilder pacing(boolean pacing) {
    lock.pacing(pacing);
    this.pacing = pacing;
    return this;
  }

  /**
   * The wall clock (catch-up window, sweep grace, Events API freshness) and the monotonic clock
   * (rate-limit gate, stop deadline, leases), for tests; default the system clocks.
   */
  public WorkerBuilder clock(InstantSource wall, LongSupplier nanoTime) {
    lock.clock(wall, nanoTime);
    this.clock = wall;
    this.nanoTime = nanoTime;
    return this;
  }

  /** How the worker and its lock client wait (backoff, pacing, the gate); a fake in tests. */
  public WorkerBuilder sleeper(SlackApi.Sleeper sleeper) {
    lock.sleeper(sleeper);
    this.sleeper = sleeper;
    return this;
  }

  /**
   * How long Slack's reads may lag behind writes (core's {@link LockClient.Builder#readLagBound});
   * default {@link LockClient#DEFAULT_READ_LAG_BOUND}. Each claim and renewal waits it out before
   * its deciding read, and the poller re-reads that far back so that a message that shows up late
   * (after a newer one) is not skipped.
   */
  public WorkerBuilder readLagBound(Duration bound) {
    lock.readLagBound(bound);
    this.readLagBound = bound;
    return this;
  }

  /**
   * Records the worker's and its lock client's work in {@code registry}: {@code slackmq.job.*},
   * {@code slackmq.events.received}, {@code slackmq.lock.*} and {@code slackmq.slack.*} (see
   * docs/OPERATIONS.md). Micrometer is an optional dependency: only this method needs it. Default:
   * no meters ({@link SlackMQWorker#metrics()} counts either way).
   */
  public WorkerBuilder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
    this.meterRegistry = Objects.requireNonNull(registry, "registry");
    lock.meterRegistry(registry);
    return this;
  }

  /** Builds the worker (state NEW); nothing connects before {@link SlackMQWorker#start()}. */
  public SlackMQWorker build() {
    if (botToken == null) {
      throw new IllegalStateException("botToken(...) is required");
    }
    if (channels.isEmpty()) {
      throw new IllegalStateException("channels(...) needs at least one channel id");
    }
    if (sources == null) {
      sources =
          EnumSet.of(
              appToken != null
                  ? Source.SOCKET_MODE
                  : signingSecret != null ? Source.EVENTS_API : Source.POLLING);
    }
    if (sources.contains(Source.SOCKET_MODE) && appToken == null) {
      throw new IllegalStateException("SOCKET_MODE needs appToken(...)");
    }
    if (sources.contains(Source.EVENTS_API) && signingSecret == null) {
      throw new IllegalStateException("EVENTS_API needs signingSecret(...)");
    }
    if (!strategySet && apps.size() == 1) {
      lock.strategy(Strategy.REACTION);
    }
    if (canaryEmoji != null && fleet.isEmpty()) {
      throw new IllegalStateException("canary(...) needs fleet(...)");
    }
    return new SlackMQWorker(this);
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "WorkerBuilder[channels=" + channels + ", sources=" + sources + "]";
  }
}
