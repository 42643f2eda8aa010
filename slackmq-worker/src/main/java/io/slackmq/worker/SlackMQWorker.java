package io.slackmq.worker;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import io.slackmq.core.ApiCalls;
import io.slackmq.core.LockClient;
import io.slackmq.core.SlackApi;
import io.slackmq.core.Strategy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker that turns Slack channels into a work queue: listeners (regex to handler) fed by Socket
 * Mode, the Events API or history polling, with exactly-once handling across a fleet (core's
 * leases), ALL and ROLLING delivery, a sweeper that recovers missed messages and dead holders, and
 * a graceful stop that never leaves a lock behind. See docs/WORKER.md.
 *
 * <pre>{@code
 * SlackMQWorker worker = SlackMQWorker.builder()
 *     .botToken(System.getenv("SLACK_BOT_TOKEN"))
 *     .appToken(System.getenv("SLACK_APP_TOKEN"))   // Socket Mode
 *     .channels("C0123456")
 *     .build();
 * worker.listen("^hostname$", m -> m.reply("I am running on " + hostname));
 * worker.start();
 * }</pre>
 *
 * <p>Lifecycle: {@link State#NEW} → {@link #start()} → {@link State#RUNNING} → {@link
 * #stop(Duration)} → {@link State#TERMINATED}; a start that fails ends in {@link State#FAILED} with
 * {@link #failureCause()}. Handlers run on a bounded pool ({@code handlerThreads}); the methods of
 * this class are thread-safe.
 */
public final class SlackMQWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlackMQWorker.class);

  /** The lifecycle states. */
  public enum State {
    NEW,
    STARTING,
    RUNNING,
    STOPPING,
    TERMINATED,
    FAILED
  }

  /** Where messages come from. */
  public enum Source {
    /** Socket Mode over a WebSocket (needs the app-level token). */
    SOCKET_MODE,
    /** Events API: an embedded HTTP receiver (needs the signing secret). */
    EVENTS_API,
    /** conversations.history polling, for hosts that can receive nothing. */
    POLLING
  }

  private final Builder b;
  private final WorkerConfig cfg;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Counters counters = new Counters();
  private final RateGate gate = new RateGate();
  private final Slack slack;
  private final LockClient lock;
  private final LockClient rollingLock;
  private final SlackCalls calls;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService scheduler;
  private final Dispatcher dispatcher;
  private final List<EventSource> sources = new CopyOnWriteArrayList<>();
  private final Object lifecycle = new Object();
  private volatile State state = State.NEW;

  /** Open once start() has ended (RUNNING or FAILED): stop() and kill() wait for it. */
  private final CountDownLatch startEnded = new CountDownLatch(1);

  private volatile Throwable failure;
  private EventsApiReceiver receiver;
  private Thread shutdownHook;

  private SlackMQWorker(Builder b) {
    this.b = b;
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(b.apiUrl);
    config.setStatsEnabled(false); // no hidden auth.test per token
    this.slack = Slack.getInstance(config);
    MethodsClient methods = slack.methods(b.botToken);
    this.lock = lockClient(b, methods, b.maxAttempts);
    // ROLLING releases the lease after each worker's turn and core counts every claim as an
    // attempt, so its dead-letter limit scales with the fleet.
    this.rollingLock = lockClient(b, methods, b.maxAttempts * Math.max(1, b.fleet.size()));
    this.cfg =
        new WorkerConfig(
            Set.copyOf(b.channels),
            lock.workerId(),
            b.maxAttempts,
            b.retryDelay,
            b.sweepInterval,
            b.catchUpWindow,
            b.sweepGrace,
            pollInterval(b),
            Set.copyOf(b.fleet),
            b.canaryEmoji,
            b.timeScale,
            "lock",
            "white_check_mark",
            "skull");
    // The worker's own calls draw from the same per-app budget as its lock clients.
    SlackApi.Builder api = SlackApi.builder(methods).timeScale(b.timeScale);
    this.calls = new SlackCalls(b.pacing ? api.pacing(b.apiUrl, b.botToken) : api, counters, gate);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            b.handlerThreads,
            b.handlerThreads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(b.queueCapacity),
            r -> daemon(r, "slackmq-handler-" + n.incrementAndGet()));
    this.pool.allowCoreThreadTimeOut(true);
    this.scheduler = Executors.newScheduledThreadPool(2, r -> daemon(r, "slackmq-scheduler"));
    this.dispatcher =
        new Dispatcher(cfg, listeners, lock, rollingLock, calls, counters, gate, pool, scheduler);
  }

  private static LockClient lockClient(Builder b, MethodsClient methods, int maxAttempts) {
    // The token and URL (besides the SDK client) key core's pacer: every worker of one app in
    // this JVM then draws from one per-app budget, as Slack counts it.
    LockClient.Builder lb =
        LockClient.builder()
            .methods(methods)
            .token(b.botToken)
            .apiUrl(b.apiUrl)
            .strategy(b.strategy)
            .ttl(b.ttl)
            .maxAttempts(maxAttempts)
            .timeScale(b.timeScale)
            .pacing(b.pacing);
    if (b.workerId != null) {
      lb.workerId(b.workerId);
    }
    return lb.build();
  }

  /** Polls at most once per channel per 1.2 s (Tier 3, 50/min), scaled: well within the tier. */
  private static Duration pollInterval(Builder b) {
    long floor = (long) (b.channels.size() * 1200 / b.timeScale);
    return b.pollInterval.toMillis() >= floor ? b.pollInterval : Duration.ofMillis(floor);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** A builder; {@link Builder#botToken} and {@link Builder#channels} are required. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- listeners -----------------------------------------------------------------------------

  /** Registers a {@link Delivery#ONE} listener for messages whose text contains {@code regex}. */
  public Listener listen(String regex, Handler handler) {
    return listen(regex, Delivery.ONE, handler);
  }

  /** Registers a listener with the given delivery mode. */
  public Listener listen(String regex, Delivery delivery, Handler handler) {
    return add(new Listener(Pattern.compile(regex), delivery, handler, false));
  }

  /** Registers a ONE listener for messages that mention this bot (any text). */
  public Listener onMention(Handler handler) {
    return onMention(".*", handler);
  }

  /** Registers a ONE listener for mentions whose text (mention removed) contains {@code regex}. */
  public Listener onMention(String regex, Handler handler) {
    return add(new Listener(Pattern.compile(regex), Delivery.ONE, handler, true));
  }

  /**
   * Registers every method of {@code target} annotated {@link ListenTo}; each must take exactly one
   * {@link MessageContext}.
   *
   * @return the listeners, in declaration order
   * @throws IllegalArgumentException if an annotated method has another signature
   */
  public List<Listener> register(Object target) {
    List<Listener> out = new ArrayList<>();
    for (Method m : target.getClass().getDeclaredMethods()) {
      ListenTo a = m.getAnnotation(ListenTo.class);
      if (a == null) {
        continue;
      }
      if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != MessageContext.class) {
        throw new IllegalArgumentException(
            "@ListenTo method " + m.getName() + " must take exactly one MessageContext");
      }
      m.setAccessible(true);
      Handler h =
          ctx -> {
            try {
              m.invoke(target, ctx);
            } catch (InvocationTargetException e) {
              throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
          };
      Listener l =
          add(new Listener(Pattern.compile(a.value()), a.delivery(), h, a.mention()))
              .inChannels(a.channels())
              .fromUsers(a.users())
              .allowBots(a.allowBots());
      out.add(l);
    }
    return out;
  }

  private Listener add(Listener l) {
    if (l.delivery == Delivery.ROLLING && cfg.fleet().isEmpty()) {
      throw new IllegalStateException("ROLLING needs the fleet's worker ids: builder.fleet(...)");
    }
    listeners.add(l);
    return l;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /**
   * Connects (auth.test, then each source), starts the sweeper (its first round catches up on the
   * window), and returns when RUNNING. Blocks for a few calls.
   *
   * @throws IllegalStateException if not NEW, or if starting failed (state FAILED, cause kept)
   */
  public SlackMQWorker start() {
    synchronized (lifecycle) {
      if (state != State.NEW) {
        throw new IllegalStateException(
            "worker " + cfg.workerId() + " is " + state + "; start() needs NEW");
      }
      state = State.STARTING;
    }
    try {
      String[] me = calls.whoAmI();
      dispatcher.botUser = me[0];
      dispatcher.botId = me[1];
      for (Source s : b.sources) {
        EventSource src = create(s);
        sources.add(src);
        src.start();
      }
      long sweep = cfg.sweepInterval().toMillis();
      scheduler.scheduleWithFixedDelay(
          new Sweeper(cfg, calls, dispatcher, gate), 0, sweep, TimeUnit.MILLISECONDS);
      if (b.shutdownHookDeadline != null) {
        shutdownHook = new Thread(() -> stop(b.shutdownHookDeadline), "slackmq-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
      state = State.RUNNING;
      log.info(
          "worker {} running: sources {}, channels {}, {} listeners",
          cfg.workerId(),
          b.sources,
          cfg.channels(),
          listeners.size());
      return this;
    } catch (Exception e) {
      failure = e;
      cleanUp();
      state = State.FAILED;
      throw new IllegalStateException("worker " + cfg.workerId() + " failed to start: " + e, e);
    } finally {
      startEnded.countDown();
    }
  }

  private EventSource create(Source s) {
    if (s == Source.SOCKET_MODE) {
      return new SocketModeSource(slack, b.appToken, dispatcher::offer);
    }
    if (s == Source.EVENTS_API) {
      receiver =
          new EventsApiReceiver(
              b.eventsHost,
              b.eventsPort,
              b.eventsPath,
              b.signingSecret,
              dispatcher::offer,
              System::currentTimeMillis);
      return receiver;
    }
    return new HistoryPoller(cfg, calls, dispatcher, gate, scheduler);
  }

  /**
   * Stops taking messages, lets running handlers finish within {@code deadline}, then releases the
   * leases of those still running (interrupting them), and closes connections. Never leaves a lock
   * behind. Idempotent; blocks up to about {@code deadline}.
   */
  public void stop(Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    synchronized (lifecycle) {
      if (state == State.NEW) {
        state = State.TERMINATED;
        cleanUp();
        return;
      }
    }
    awaitStartEnded(end - System.nanoTime()); // a stop during start() waits for it to end
    synchronized (lifecycle) {
      if (state != State.RUNNING) {
        return; // already stopping or stopped, start() failed, or start() is still hanging
      }
      state = State.STOPPING;
    }
    log.info("worker {} stopping (deadline {})", cfg.workerId(), deadline);
    for (EventSource s : sources) {
      s.stop();
    }
    scheduler.shutdownNow(); // sweeper, poller, scheduled retries
    dispatcher.stopAccepting();
    pool.shutdown();
    try {
      // Keep a slice of the deadline for releasing what did not finish.
      long wait = Math.max(0, (end - System.nanoTime()) * 3 / 4);
      if (!pool.awaitTermination(wait, TimeUnit.NANOSECONDS)) {
        // Interrupt first: a handler that stops releases its own lease. Releasing while it
        // still runs would let another worker start the same job beside it.
        log.warn(
            "{} handler(s) still running at the deadline: interrupting them",
            dispatcher.activeLeases());
        pool.shutdownNow();
        // At least a second for the interrupted handlers' releases (two Web API calls each).
        long grace = Math.max(end - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        if (!pool.awaitTermination(grace, TimeUnit.NANOSECONDS)) {
          log.warn(
              "{} handler(s) ignored the interrupt: their leases are left to expire (the"
                  + " watchdog stops now), so no other worker runs them alongside",
              dispatcher.activeLeases());
        }
      }
    } catch (InterruptedException e) {
      dispatcher.releaseAll("worker " + cfg.workerId() + " interrupted while stopping");
      Thread.currentThread().interrupt();
    }
    cleanUp();
    state = State.TERMINATED;
    log.info("worker {} terminated: {}", cfg.workerId(), metrics());
  }

  /**
   * Stops this worker the way a crash (kill -9) would: nothing is released or completed, lease
   * renewals stop, running handlers are interrupted and whatever they do next is ignored. Other
   * workers take its messages over once the leases expire. For chaos drills and tests; use {@link
   * #stop(Duration)} to shut down. Returns at once (after a start() in progress has ended, up to 10
   * s); idempotent.
   */
  public void kill() {
    awaitStartEnded(TimeUnit.SECONDS.toNanos(10));
    synchronized (lifecycle) {
      if (state == State.TERMINATED || state == State.FAILED) {
        return;
      }
      state = State.STOPPING;
    }
    log.warn("worker {} killed: its leases are left to expire", cfg.workerId());
    dispatcher.killed = true;
    dispatcher.stopAccepting();
    cleanUp();
    state = State.TERMINATED;
  }

  private void awaitStartEnded(long nanos) {
    try {
      if (state == State.STARTING && !startEnded.await(Math.max(0, nanos), TimeUnit.NANOSECONDS)) {
        log.warn("worker {} is still starting; stop() gives up waiting for it", cfg.workerId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void cleanUp() {
    for (EventSource s : sources) {
      s.stop();
    }
    scheduler.shutdownNow();
    pool.shutdownNow();
    lock.close();
    rollingLock.close();
    try {
      slack.close();
    } catch (Exception e) {
      log.debug("closing the SDK: {}", e.toString());
    }
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // the JVM is already shutting down
      }
    }
  }

  /** {@link #stop(Duration)} with the builder's stop deadline (default 30 s). */
  @Override
  public void close() {
    stop(b.stopDeadline);
  }

  /** The current lifecycle state. */
  public State state() {
    return state;
  }

  /** Why the worker FAILED; null otherwise. */
  public Throwable failureCause() {
    return failure;
  }

  /** This worker's id (in ledger entries and ALL/ROLLING records). */
  public String workerId() {
    return cfg.workerId();
  }

  /** The Events API receiver's bound port; -1 without the EVENTS_API source or before start. */
  public int eventsApiPort() {
    EventsApiReceiver r = receiver;
    return r == null || state != State.RUNNING ? -1 : r.port();
  }

  /** A snapshot of the counters (this worker and its lock clients). Cheap; no Slack call. */
  public WorkerMetrics metrics() {
    ApiCalls lockCalls = lock.calls().plus(rollingLock.calls());
    return counters.snapshot(lockCalls.calls(), lockCalls.totalRateLimited());
  }

  @Override
  public String toString() {
    return "SlackMQWorker[" + cfg.workerId() + ", " + state + "]";
  }

  /** Configures a {@link SlackMQWorker}. Each setter validates at once. */
  public static final class Builder {
    private String botToken;
    private String appToken;
    private String signingSecret;
    private String apiUrl = "https://slack.com/api/";
    private final Set<String> channels = new LinkedHashSet<>();
    private Set<Source> sources;
    private String eventsHost = "0.0.0.0";
    private int eventsPort = 3000;
    private String eventsPath = "/slack/events";
    private String workerId;
    private Strategy strategy = Strategy.PIN;
    private Duration ttl = Duration.ofSeconds(60);
    private int maxAttempts = 3;
    private int handlerThreads = 4;
    private int queueCapacity = 100;
    private Duration sweepInterval = Duration.ofSeconds(60);
    private Duration catchUpWindow = Duration.ofHours(1);
    private Duration sweepGrace = Duration.ofSeconds(10);
    private Duration pollInterval = Duration.ofSeconds(5);
    private Duration retryDelay = Duration.ofSeconds(10);
    private Duration stopDeadline = Duration.ofSeconds(30);
    private Duration shutdownHookDeadline;
    private final Set<String> fleet = new LinkedHashSet<>();
    private String canaryEmoji;
    private double timeScale = 1.0;
    private boolean pacing = true;

    Builder() {}

    /** The bot token ({@code xoxb-}): Web API calls and locks. Required. */
    public Builder botToken(String token) {
      this.botToken = Objects.requireNonNull(token, "botToken");
      return this;
    }

    /** The app-level token ({@code xapp-}) for Socket Mode. */
    public Builder appToken(String token) {
      this.appToken = Objects.requireNonNull(token, "appToken");
      return this;
    }

    /** The app's signing secret, to verify Events API requests. */
    public Builder signingSecret(String secret) {
      this.signingSecret = Objects.requireNonNull(secret, "signingSecret");
      return this;
    }

    /** The Web API prefix; default {@code https://slack.com/api/} (or an emulator's apiUrl). */
    public Builder apiUrl(String url) {
      this.apiUrl = Objects.requireNonNull(url, "apiUrl");
      return this;
    }

    /** The channel ids to serve (messages elsewhere are ignored). At least one. */
    public Builder channels(String... ids) {
      for (String id : ids) {
        channels.add(Objects.requireNonNull(id, "channel id"));
      }
      return this;
    }

    /**
     * The event sources; default SOCKET_MODE with an app token, else EVENTS_API with a signing
     * secret, else POLLING. The sweeper always runs.
     */
    public Builder sources(Source first, Source... more) {
      if (sources != null) {
        throw new IllegalStateException("sources were already set to " + sources);
      }
      sources = EnumSet.of(first, more);
      return this;
    }

    /** Where the Events API receiver listens; default 0.0.0.0:3000/slack/events; 0 = any port. */
    public Builder eventsApi(String host, int port, String path) {
      if (port < 0 || port > 65535 || !path.startsWith("/")) {
        throw new IllegalArgumentException("bad Events API address " + host + ":" + port + path);
      }
      this.eventsHost = host;
      this.eventsPort = port;
      this.eventsPath = path;
      return this;
    }

    /** This worker's id in the ledger; default host/pid/random (see core). */
    public Builder workerId(String id) {
      this.workerId = Objects.requireNonNull(id, "workerId");
      return this;
    }

    /** The lock marks; default {@link Strategy#PIN} (exclusive across apps). */
    public Builder strategy(Strategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** The lease time to live (renewed by a watchdog while a handler runs); default 60 s. */
    public Builder leaseTtl(Duration ttl) {
      this.ttl = positive(ttl, "leaseTtl");
      return this;
    }

    /** Failed attempts before a message is dead-lettered; default 3. */
    public Builder maxAttempts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + n);
      }
      this.maxAttempts = n;
      return this;
    }

    /** Handler threads (the bound on concurrent handlers); default 4. */
    public Builder handlerThreads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("handlerThreads must be >= 1, was " + n);
      }
      this.handlerThreads = n;
      return this;
    }

    /** Messages waiting for a handler thread; beyond it they are left to the sweeper. */
    public Builder queueCapacity(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("queueCapacity must be >= 1, was " + n);
      }
      this.queueCapacity = n;
      return this;
    }

    /** How often the sweeper reads the catch-up window; default 60 s. */
    public Builder sweepInterval(Duration d) {
      this.sweepInterval = positive(d, "sweepInterval");
      return this;
    }

    /** How far back the sweeper looks (and a restarted worker catches up); default 1 h. */
    public Builder catchUpWindow(Duration d) {
      this.catchUpWindow = positive(d, "catchUpWindow");
      return this;
    }

    /**
     * How old an unmarked ONE message must be before the sweeper takes it rather than wait for its
     * event; default 10 s.
     */
    public Builder sweepGrace(Duration d) {
      this.sweepGrace = Objects.requireNonNull(d, "sweepGrace");
      return this;
    }

    /** POLLING's interval per round (raised to stay within Tier 3); default 5 s. */
    public Builder pollInterval(Duration d) {
      this.pollInterval = positive(d, "pollInterval");
      return this;
    }

    /** Delay before a failed handler's message is retried here; default 10 s. */
    public Builder retryDelay(Duration d) {
      this.retryDelay = Objects.requireNonNull(d, "retryDelay");
      return this;
    }

    /** The deadline {@link #close()} gives running handlers; default 30 s. */
    public Builder stopDeadline(Duration d) {
      this.stopDeadline = Objects.requireNonNull(d, "stopDeadline");
      return this;
    }

    /** Registers a JVM shutdown hook (SIGTERM) that stops the worker within {@code deadline}. */
    public Builder shutdownHook(Duration deadline) {
      this.shutdownHookDeadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /** The worker ids of the fleet, for ROLLING (every one of them handles each message). */
    public Builder fleet(String... workerIds) {
      fleet.addAll(List.of(workerIds));
      return this;
    }

    /**
     * ROLLING canary: after the first worker's turn, the others wait until a human (not a bot)
     * reacts with {@code emoji} on the message.
     */
    public Builder canary(String emoji) {
      if (!emoji.matches("[a-z0-9_+'-]+")) {
        throw new IllegalArgumentException("not an emoji name (no colons): " + emoji);
      }
      this.canaryEmoji = emoji;
      return this;
    }

    /** Pace and read Retry-After as if time ran {@code scale} times faster (an emulator's). */
    public Builder timeScale(double scale) {
      if (!(scale > 0)) {
        throw new IllegalArgumentException("timeScale must be > 0, was " + scale);
      }
      this.timeScale = scale;
      return this;
    }

    /** Whether the lock client paces its calls by tier; default true. */
    public Builder pacing(boolean pacing) {
      this.pacing = pacing;
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
      return "SlackMQWorker.Builder[channels=" + channels + ", sources=" + sources + "]";
    }
  }
}
