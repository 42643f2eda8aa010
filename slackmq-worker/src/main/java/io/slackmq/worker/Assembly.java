package io.slackmq.worker;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import io.slackmq.core.LockClient;
import io.slackmq.core.SlackApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a worker's parts from a checked builder, once, and takes them down: the SDK client, the
 * lock client and the worker's own calls (one pacer: the app's budget), the threads, and the
 * message path (sources → {@link Admission} → {@link HandlerPool} → {@link DeliveryMode} → {@link
 * LeaseRunner}). Holds the tokens only inside the SDK clients and the sources that need them.
 */
final class Assembly {
  private static final Logger log = LoggerFactory.getLogger(Assembly.class);

  final WorkerConfig cfg;
  final List<Listener> listeners = new CopyOnWriteArrayList<>();
  final Counters counters = new Counters();
  final Self self = new Self();
  final LocalState local = new LocalState();
  final RateGate gate;
  final Vitals vitals;
  final LockClient lock;
  final SlackCalls calls;
  final HandlerPool pool;
  final Admission admission;
  final Affinity affinity;
  final LeaseRunner runner;
  private final Slack slack;
  private final ThreadPoolExecutor threads;
  private final ScheduledExecutorService scheduler;
  private final SourceSettings sources;

  /** What the sources need; the secrets are never printed. */
  private record SourceSettings(
      Set<SlackMQWorker.Source> kinds,
      String appToken,
      String signingSecret,
      String eventsHost,
      int eventsPort,
      String eventsPath) {
    @Override
    public String toString() {
      return kinds.toString();
    }
  }

  Assembly(WorkerBuilder b) {
    this.gate = new RateGate(b.nanoTime, b.sleeper);
    this.vitals = new Vitals(b.nanoTime);
    if (b.meterRegistry != null) {
      counters.meters = new MicrometerWorkerMeters(b.meterRegistry, counters.active);
    }
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(b.apiUrl);
    config.setStatsEnabled(false); // no hidden auth.test per token
    this.slack = Slack.getInstance(config);
    MethodsClient methods = slack.methods(b.botToken);
    // The token and URL key core's pacer: every worker of one app in this JVM draws from one
    // per-app budget, as Slack counts it; a 429 the lock client meets closes our gate too.
    this.lock =
        b.lock
            .methods(methods)
            .token(b.botToken)
            .apiUrl(b.apiUrl)
            .listener(
                new SlackApi.Listener() {
                  @Override
                  public void rateLimited(String method, Duration wait) {
                    gate.pause(wait);
                  }

                  @Override
                  public void answered(String method, String error) {
                    vitals.answered(method, error);
                  }
                })
            .build();
    this.cfg = config(b, lock);
    SlackApi.Builder api = SlackApi.builder(methods).timeScale(b.timeScale);
    api.time(b.nanoTime, b.sleeper);
    api.listener(
        new SlackApi.Listener() {
          @Override
          public void answered(String method, String error) {
            vitals.answered(method, error);
          }
        });
    if (b.meterRegistry != null) {
      api.meterRegistry(b.meterRegistry);
    }
    this.calls = new SlackCalls(b.pacing ? api.pacing(b.apiUrl, b.botToken) : api, counters, gate);
    AtomicInteger n = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            b.handlerThreads,
            b.handlerThreads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(b.queueCapacity),
            r -> daemon(r, "slackmq-handler-" + n.incrementAndGet()));
    this.threads.allowCoreThreadTimeOut(true);
    this.scheduler = Executors.newScheduledThreadPool(2, r -> daemon(r, "slackmq-scheduler"));
    Replies replies = new Replies(cfg, calls, counters, local, b.deadLetterChannel);
    this.runner = new LeaseRunner(cfg, lock, calls, replies, local, counters);
    Map<Delivery, DeliveryMode> modes =
        Map.of(
            Delivery.ONE, new DeliverOne(lock, runner, local),
            Delivery.ALL, new DeliverAll(cfg, calls, replies, local, counters),
            Delivery.ROLLING, new DeliverRolling(cfg, calls, runner, replies, local, self));
    this.pool =
        new HandlerPool(cfg, threads, scheduler, modes, local, self, gate, counters, vitals);
    this.affinity = new Affinity(cfg, self, calls, pool);
    this.admission = new Admission(cfg, listeners, self, local, pool, counters, affinity);
    this.sources =
        new SourceSettings(
            b.sources, b.appToken, b.signingSecret, b.eventsHost, b.eventsPort, b.eventsPath);
  }

  private static WorkerConfig config(WorkerBuilder b, LockClient lock) {
    // Polls at most once per channel per 1.2 s (Tier 3, 50/min), scaled: well within the tier.
    long floor = (long) (b.channels.size() * 1200 / b.timeScale);
    Duration poll = b.pollInterval.toMillis() >= floor ? b.pollInterval : Duration.ofMillis(floor);
    return new WorkerConfig(
        Set.copyOf(b.channels),
        lock.workerId(),
        b.maxAttempts,
        b.retryDelay,
        b.sweepInterval,
        b.catchUpWindow,
        b.sweepGrace,
        poll,
        Set.copyOf(b.fleet),
        List.copyOf(b.apps),
        b.affinityGrace,
        b.leaseTtl,
        b.canaryEmoji,
        b.timeScale,
        b.readLagBound,
        lock.lockEmoji(),
        lock.doneEmoji(),
        lock.deadEmoji(),
        b.clock,
        b.nanoTime,
        b.sleeper);
  }

  /** The configured event sources, not started. */
  List<EventSource> sources() {
    List<EventSource> out = new ArrayList<>();
    for (SlackMQWorker.Source s : sources.kinds()) {
      out.add(
          switch (s) {
            case SOCKET_MODE ->
                new SocketModeSource(
                    slack, sources.appToken(), m -> admission.offer(m, "socket_mode"));
            case EVENTS_API ->
                new EventsApiReceiver(
                    sources.eventsHost(),
                    sources.eventsPort(),
                    sources.eventsPath(),
                    sources.signingSecret(),
                    m -> admission.offer(m, "events_api"),
                    () -> cfg.clock().millis());
            case POLLING -> new HistoryPoller(cfg, calls, admission, pool, gate, scheduler, vitals);
          });
    }
    return out;
  }

  /** Starts the sweeper: its first round, now, catches up on the window. */
  void startSweeper() {
    scheduler.scheduleWithFixedDelay(
        Guard.of(log, vitals, "the sweeper", new Sweeper(cfg, calls, admission, pool, gate)),
        0,
        cfg.sweepInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    if (cfg.apps().size() >= 2) {
      long every = Math.max(affinity.graceNanos() / 4, TimeUnit.MILLISECONDS.toNanos(50));
      scheduler.scheduleWithFixedDelay(
          Guard.of(log, vitals, "the affinity check", affinity::check),
          every,
          every,
          TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Stops taking messages and lets running handlers finish until {@code endNanos} (¾ of what is
   * left, the rest for hand-backs), then interrupts them: an interrupted handler hands its own
   * lease back. Handing it back while it still runs would let another worker start the same job.
   */
  void drain(long endNanos) {
    scheduler.shutdownNow(); // sweeper, poller, scheduled retries
    pool.stopAccepting();
    threads.shutdown();
    try {
      long wait = Math.max(0, (endNanos - cfg.nanoTime().getAsLong()) * 3 / 4);
      if (!threads.awaitTermination(wait, TimeUnit.NANOSECONDS)) {
        log.warn(
            "{} handler(s) still running at the deadline: interrupting them",
            runner.activeLeases());
        threads.shutdownNow();
        // At least a second for the interrupted handlers' hand-backs (two Web API calls each).
        long grace = Math.max(endNanos - cfg.nanoTime().getAsLong(), TimeUnit.SECONDS.toNanos(1));
        if (!threads.awaitTermination(grace, TimeUnit.NANOSECONDS)) {
          log.warn(
              "{} handler(s) ignored the interrupt: their leases are left to expire (the"
                  + " watchdog stops now), so no other worker runs them alongside",
              runner.activeLeases());
        }
      }
    } catch (InterruptedException e) {
      runner.handBackAll("worker " + cfg.workerId() + " interrupted while stopping");
      Thread.currentThread().interrupt();
    }
  }

  /** As a crash: nothing more is completed or handed back; leases are left to expire. */
  void kill() {
    runner.kill();
    pool.stopAccepting();
  }

  /** Stops the threads and closes the clients (watchdogs stop with the lock client). */
  void close() {
    scheduler.shutdownNow();
    threads.shutdownNow();
    lock.close();
    try {
      slack.close();
    } catch (Exception e) {
      log.debug("closing the SDK: {}", e.toString());
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
