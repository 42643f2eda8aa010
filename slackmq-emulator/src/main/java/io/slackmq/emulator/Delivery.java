package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.EventFactory.Outbound;
import io.slackmq.emulator.EventsApiPusher.Outcome;
import io.slackmq.emulator.SocketModeServer.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events and retries them on Slack's schedule.
 *
 * <p>Each event goes to one random live Socket Mode connection of its app (or, for an app that uses
 * the Events API, to its request URL). An attempt that is not acked within {@link
 * #ACK_TIMEOUT_SECONDS} emulated seconds (Socket Mode), or not answered 2xx in that time (HTTP),
 * has failed; retry 1 follows at once, retry 2 one emulated minute later, retry 3 five emulated
 * minutes later, each carrying {@code retry_attempt}/{@code retry_reason} (Socket Mode) or {@code
 * X-Slack-Retry-Num}/{@code X-Slack-Retry-Reason} (HTTP). An event that finds no open socket counts
 * as a failed attempt once the ack timeout has passed, so a client that reconnects quickly gets it
 * on the next retry. After retry 3 the event is dropped.
 *
 * <p>The listener runs under the workspace lock and only builds payloads and enqueues them; all
 * sending happens on the scheduler's threads.
 */
final class Delivery implements Workspace.Listener {
  static final long ACK_TIMEOUT_SECONDS = 3;

  /**
   * The ack deadline is never shorter than this in real time: at a time scale of 60 the 3 s would
   * be 50 ms, and a JIT warm-up or a busy CI box would pass for a dead client.
   */
  static final long MIN_ACK_TIMEOUT_REAL_MILLIS = 250;

  /** Emulated seconds between a failed attempt and retry 1, 2, 3. */
  static final long[] RETRY_DELAY_SECONDS = {0, 60, 300};

  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  private record Attempt(Outbound event, int number) {}

  /** Delivery counters of one app, for the admin API and tests. */
  static final class Counters {
    final LongAdder events = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    final LongAdder dropped = new LongAdder();
  }

  private final EventFactory factory;
  private final SocketModeServer sockets;
  private final EventsApiPusher pusher;
  private final Faults faults;
  private final EmulatorClock clock;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Attempt> awaitingAck = new ConcurrentHashMap<>();

  /** Bumped by {@link #forgetPending}: attempts scheduled before it are not made. */
  private volatile long generation;

  private final Map<String, Counters> counters = new ConcurrentHashMap<>();

  Delivery(
      EventFactory factory,
      SocketModeServer sockets,
      EventsApiPusher pusher,
      Faults faults,
      EmulatorClock clock,
      ScheduledExecutorService scheduler) {
    this.factory = factory;
    this.sockets = sockets;
    this.pusher = pusher;
    this.faults = faults;
    this.clock = clock;
    this.scheduler = scheduler;
    sockets.onAck(this::acked);
  }

  @Override
  public void applied(Mutation mutation) {
    for (Outbound event : factory.events(mutation)) {
      // Fault draws happen here, in commit order, so a seed gives the same faults every run.
      long delay = faults.eventDelayMillis();
      boolean duplicate = faults.duplicateEvent();
      Counters c = counters(event.app());
      c.events.increment();
      long gen = generation;
      scheduler.schedule(() -> attempt(event, 0, "", gen), delay, TimeUnit.MILLISECONDS);
      if (duplicate) {
        c.duplicated.increment();
        scheduler.schedule(() -> attempt(event, 0, "", gen), delay, TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Forgets every event not delivered or retried yet, and the counters: what a reset workspace must
   * not receive (its messages are gone).
   */
  void forgetPending() {
    generation++;
    awaitingAck.clear();
    counters.clear();
  }

  Counters counters(App app) {
    return counters.computeIfAbsent(app.id, k -> new Counters());
  }

  /** One delivery attempt; {@code gen} is the generation it was scheduled in. */
  private void attempt(Outbound event, int number, String reason, long gen) {
    if (gen != generation) {
      return; // scheduled before a reset
    }
    try {
      App app = event.app();
      counters(app).attempts.increment();
      String url = app.requestUrl();
      if (sockets.socketMode(app) || url == null) {
        socketAttempt(event, number, reason, gen);
      } else {
        httpAttempt(event, number, reason, url, gen);
      }
    } catch (RuntimeException e) {
      log.error("delivery of event {} failed", event.eventId(), e);
    }
  }

  private void socketAttempt(Outbound event, int number, String reason, long gen) {
    String envelopeId = UUID.randomUUID().toString();
    awaitingAck.put(envelopeId, new Attempt(event, number));
    Connection conn = sockets.pick(event.app());
    if (conn != null) {
      if (faults.dropBeforeSend()) {
        sockets.drop(conn);
      } else {
        ObjectNode envelope =
            Json.object().put("envelope_id", envelopeId).put("type", "events_api");
        envelope.set("payload", event.payload());
        envelope
            .put("accepts_response_payload", false)
            .put("retry_attempt", number)
            .put("retry_reason", reason);
        conn.send(envelope.toString());
      }
    }
    scheduler.schedule(
        () -> {
          if (awaitingAck.remove(envelopeId) != null) {
            failed(event, number, "timeout", gen);
          }
        },
        ackTimeoutMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void acked(String envelopeId) {
    Attempt attempt = awaitingAck.remove(envelopeId);
    if (attempt != null) {
      counters(attempt.event().app()).acked.increment();
    }
  }

  private void httpAttempt(Outbound event, int number, String reason, String url, long gen) {
    pusher
        .post(
            event.app(),
            url,
            event.payload().toString(),
            number,
            reason,
            Duration.ofMillis(ackTimeoutMillis()))
        .thenAccept(
            (Outcome outcome) -> {
              if (outcome.delivered()) {
                counters(event.app()).acked.increment();
              } else if (outcome.noRetry()) {
                counters(event.app()).dropped.increment();
              } else {
                failed(event, number, outcome.retryReason(), gen);
              }
            });
  }

  private void failed(Outbound event, int number, String reason, long gen) {
    Counters c = counters(event.app());
    if (number >= RETRY_DELAY_SECONDS.length) {
      c.dropped.increment();
      log.debug(
          "event {} for app {} dropped after {} retries", event.eventId(), event.app().id, number);
      return;
    }
    c.retries.increment();
    scheduler.schedule(
        () -> attempt(event, number + 1, reason, gen),
        clock.realMillis(RETRY_DELAY_SECONDS[number], TimeUnit.SECONDS),
        TimeUnit.MILLISECONDS);
  }

  private long ackTimeoutMillis() {
    return Math.max(
        MIN_ACK_TIMEOUT_REAL_MILLIS, clock.realMillis(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS));
  }

  /** {@code {"<app id>": {"events": n, "attempts": n, "acked": n, ...}}}. */
  ObjectNode toJson() {
    ObjectNode out = Json.object();
    new TreeMap<>(counters)
        .forEach(
            (app, c) ->
                out.putObject(app)
                    .put("events", c.events.sum())
                    .put("attempts", c.attempts.sum())
                    .put("acked", c.acked.sum())
                    .put("retries", c.retries.sum())
                    .put("duplicated", c.duplicated.sum())
                    .put("dropped", c.dropped.sum()));
    return out;
  }
}
