package io.slackmq.worker;

import io.slackmq.core.ApiCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

  /**
   * What a supervisor asks (a Kubernetes probe, a systemd watchdog, {@code slackmq worker
   * --http-port}'s {@code /healthz} and {@code /readyz}). Computed from what the worker saw; makes
   * no call.
   *
   * @param live false once the worker FAILED or ended, or while a scheduled task (sweeper, poller,
   *     retries) keeps failing: restart it
   * @param ready true only if live, RUNNING (not starting, not stopping), every event source can
   *     deliver, and Slack answers (a token Slack refuses, no answer or HTTP 5xx make it false
   *     until Slack answers again): send it work
   * @param reasons why not live or not ready; empty when both hold
   */
  public record Health(boolean live, boolean ready, List<String> reasons) {
    public Health {
      reasons = List.copyOf(reasons);
    }
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

  private final Assembly parts;
  private final WorkerConfig cfg;
  private final Lifecycle lifecycle;
  private final Duration stopDeadline;
  private final Duration shutdownHookDeadline;
  private final List<EventSource> sources = new CopyOnWriteArrayList<>();
  private volatile EventsApiReceiver receiver;
  private Thread shutdownHook;

  SlackMQWorker(WorkerBuilder b) {
    this.parts = new Assembly(b);
    this.cfg = parts.cfg;
    this.lifecycle = new Lifecycle("worker " + cfg.workerId());
    this.stopDeadline = b.stopDeadline;
    this.shutdownHookDeadline = b.shutdownHookDeadline;
    parts.vitals.onFatal(this::failFatally);
  }

  /** A builder; {@link WorkerBuilder#botToken} and {@link WorkerBuilder#channels} are required. */
  public static WorkerBuilder builder() {
    return new WorkerBuilder();
  }

  // ---- listeners -----------------------------------------------------------------------------

  /** Registers a {@link Delivery#ONE} listener for messages whose text contains {@code regex}. */
  public Listener listen(String regex, Handler handler) {
    return listen(regex, Delivery.ONE, handler);
  }

  /**
   * Registers a listener with the given delivery mode. Patterns are RE2 syntax, matched in linear
   * time (no backreferences or lookaround).
   *
   * @throws IllegalArgumentException if RE2 cannot compile {@code regex}, with its reason
   */
  public Listener listen(String regex, Delivery delivery, Handler handler) {
    return add(new Listener(Listener.compile(regex), delivery, handler, false));
  }

  /** Registers a ONE listener for messages that mention this bot (any text). */
  public Listener onMention(Handler handler) {
    return onMention(".*", handler);
  }

  /** Registers a ONE listener for mentions whose text (mention removed) contains {@code regex}. */
  public Listener onMention(String regex, Handler handler) {
    return add(new Listener(Listener.compile(regex), Delivery.ONE, handler, true));
  }

  /**
   * Registers every method of {@code target} annotated {@link ListenTo}; each must take exactly one
   * {@link MessageContext}.
   *
   * @return the listeners, in declaration order
   * @throws IllegalArgumentException if an annotated method has another signature
   */
  public List<Listener> register(Object target) {
    List<Listener> found = ListenToMethods.of(target);
    found.forEach(this::add);
    return found;
  }

  private Listener add(Listener l) {
    if (l.delivery == Delivery.ROLLING && cfg.fleet().isEmpty()) {
      throw new IllegalStateException("ROLLING needs the fleet's worker ids: builder.fleet(...)");
    }
    parts.listeners.add(l);
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
    lifecycle.starting();
    try {
      String[] me = parts.calls.whoAmI();
      parts.self.learn(me[0], me[1]);
      for (EventSource src : parts.sources()) {
        sources.add(src);
        if (src instanceof EventsApiReceiver r) {
          receiver = r;
        }
        src.start();
      }
      parts.startSweeper();
      if (shutdownHookDeadline != null) {
        shutdownHook = new Thread(() -> stop(shutdownHookDeadline), "slackmq-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
      lifecycle.running();
      log.info(
          "worker {} running: sources {}, channels {}, {} listeners, {}{}",
          cfg.workerId(),
          sources.size(),
          cfg.channels(),
          parts.listeners.size(),
          parts.lock,
          cfg.apps().size() > 1 ? ", affinity over " + cfg.apps().size() + " apps" : "");
      return this;
    } catch (Exception e) {
      cleanUp();
      lifecycle.failed(e);
      throw new IllegalStateException("worker " + cfg.workerId() + " failed to start: " + e, e);
    }
  }

  /**
   * Stops taking messages, lets running handlers finish within {@code deadline}, then hands back
   * the leases of those still running (interrupting them), and closes connections. Never leaves a
   * lock behind. Idempotent; blocks up to about {@code deadline}.
   */
  public void stop(Duration deadline) {
    long end = cfg.nanoTime().getAsLong() + deadline.toNanos();
    if (lifecycle.terminateIfNew()) {
      cleanUp();
      return;
    }
    if (!lifecycle.stopping(end - cfg.nanoTime().getAsLong())) {
      return; // already stopping or stopped, start() failed, or start() is still hanging
    }
    log.info("worker {} stopping (deadline {})", cfg.workerId(), deadline);
    sources.forEach(EventSource::stop);
    parts.drain(end);
    cleanUp();
    lifecycle.terminated();
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
    if (!lifecycle.killing(TimeUnit.SECONDS.toNanos(10))) {
      return;
    }
    log.warn("worker {} killed: its leases are left to expire", cfg.workerId());
    parts.kill();
    cleanUp();
    lifecycle.terminated();
  }

  private void cleanUp() {
    sources.forEach(EventSource::stop);
    parts.close();
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // the JVM is already shutting down
      }
    }
  }

  /**
   * A JVM error the worker cannot go on after (out of memory): FAILED with it as the cause, then
   * taken down as {@link #kill()} does (its leases expire and other workers take them over; nothing
   * more is written, since nothing in this process can be trusted to work now).
   */
  private void failFatally(Throwable cause) {
    if (!lifecycle.failedWhileRunning(cause)) {
      return;
    }
    log.error(
        "worker {} FAILED ({}): its leases are left to expire; restart it",
        cfg.workerId(),
        cause.toString());
    try {
      Thread down =
          new Thread(
              () -> {
                parts.kill();
                cleanUp();
              },
              "slackmq-failed");
      down.setDaemon(true);
      down.start();
    } catch (Throwable e) { // no thread to be had: leave it to the process's supervisor
      log.error("could not take worker {} down: {}", cfg.workerId(), e.toString());
    }
  }

  /**
   * Whether this worker is live and ready, and why not. Cheap; no Slack call. See {@link Health}.
   */
  public Health health() {
    State s = state();
    List<String> reasons = new ArrayList<>(parts.vitals.liveness());
    if (s == State.FAILED) {
      reasons.add("FAILED: " + failureCause());
    } else if (s == State.TERMINATED) {
      reasons.add("terminated");
    }
    boolean live = reasons.isEmpty();
    if (live && s != State.RUNNING) {
      reasons.add(
          s == State.STOPPING
              ? "stopping: takes no new work"
              : s.name().toLowerCase(java.util.Locale.ROOT));
    }
    for (EventSource src : sources) {
      String p = src.problem();
      if (p != null) {
        reasons.add(p);
      }
    }
    String slack = parts.vitals.slack();
    if (slack != null) {
      reasons.add(slack);
    }
    return new Health(live, reasons.isEmpty(), reasons);
  }

  /** {@link #stop(Duration)} with the builder's stop deadline (default 30 s). */
  @Override
  public void close() {
    stop(stopDeadline);
  }

  /** The current lifecycle state. */
  public State state() {
    return lifecycle.state();
  }

  /** Why the worker FAILED; null otherwise. */
  public Throwable failureCause() {
    return lifecycle.failure();
  }

  /** This worker's id (in ledger entries and ALL/ROLLING records). */
  public String workerId() {
    return cfg.workerId();
  }

  /** The Events API receiver's bound port; -1 without the EVENTS_API source or before start. */
  public int eventsApiPort() {
    EventsApiReceiver r = receiver;
    return r == null || state() != State.RUNNING ? -1 : r.port();
  }

  /** A snapshot of the counters (this worker and its lock client). Cheap; no Slack call. */
  public WorkerMetrics metrics() {
    ApiCalls lockCalls = parts.lock.calls();
    return parts.counters.snapshot(lockCalls.calls(), lockCalls.totalRateLimited());
  }

  @Override
  public String toString() {
    return "SlackMQWorker[" + cfg.workerId() + ", " + state() + "]";
  }
}
