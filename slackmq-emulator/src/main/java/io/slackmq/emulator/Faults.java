package io.slackmq.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.slackmq.emulator.Workspace.Principal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The faults a running emulator injects: Web API errors and latency, WebSocket refusals, drops and
 * disconnects, delayed and duplicated event deliveries, and the race window that breaks the
 * atomicity of {@code pins.add}, {@code reactions.add} and {@code stars.add}. Get the handle from
 * {@link Emulator#faults()}, configure it at start with {@link Emulator.Builder#faults}, or over
 * HTTP under {@code /_emulator/faults} (see docs/EMULATOR.md, "Fault injection").
 *
 * <p>Determinism: every fault stream (one per Web API method, one per socket or event fault) draws
 * from its own {@link Random} seeded from {@link #seed(long)} (by default the emulator's seed) and
 * the stream's name. The same sequence of calls to a method therefore meets the same faults on
 * every run, whatever other methods are called in between. {@link #seed(long)} restarts every
 * stream.
 *
 * <p>All methods are thread-safe and take effect for the next call, connection or event. No fault
 * is active until one is set; {@link #clear()} removes them all.
 */
public final class Faults {
  /** How a Web API call fails when an error fault fires on it. */
  public enum ErrorKind {
    /** HTTP 500 with {@code {"ok":false,"error":"internal_error"}}: the SDK throws. */
    HTTP_500("http_500"),
    /** HTTP 200 {@code {"ok":false,"error":"internal_error"}}. */
    INTERNAL_ERROR("internal_error"),
    /** HTTP 200 {@code {"ok":false,"error":"fatal_error"}}. */
    FATAL_ERROR("fatal_error"),
    /**
     * The request is held for {@link #timeoutHold(Duration)} and then executed normally: a client
     * with a shorter timeout gives up although the call takes effect, as on a real timeout.
     */
    TIMEOUT("timeout");

    final String wire;

    ErrorKind(String wire) {
      this.wire = wire;
    }

    static ErrorKind parse(String s) {
      for (ErrorKind k : values()) {
        if (k.wire.equals(s) || k.name().equalsIgnoreCase(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown error kind " + s + " (http_500, internal_error, " + "fatal_error, timeout)");
    }
  }

  /** A Socket Mode {@code disconnect} message's reason. */
  public enum DisconnectReason {
    WARNING("warning"),
    REFRESH_REQUESTED("refresh_requested"),
    LINK_DISABLED("link_disabled");

    final String wire;

    DisconnectReason(String wire) {
      this.wire = wire;
    }

    static DisconnectReason parse(String s) {
      for (DisconnectReason r : values()) {
        if (r.wire.equals(s) || r.name().equalsIgnoreCase(s)) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "unknown disconnect reason " + s + " (warning, refresh_requested, link_disabled)");
    }
  }

  /** What the Socket Mode server does on demand; set by the emulator when it starts. */
  interface SocketControl {
    /** Sends {@code disconnect} to every open connection of the app (null: of every app). */
    int disconnect(String app, DisconnectReason reason);

    /** Closes every open connection of the app (null: of every app) without a close frame. */
    int drop(String app);
  }

  private static final SocketControl NO_SOCKETS =
      new SocketControl() {
        @Override
        public int disconnect(String app, DisconnectReason reason) {
          return 0;
        }

        @Override
        public int drop(String app) {
          return 0;
        }
      };

  private record Latency(long fixedMillis, long jitterMillis) {}

  private volatile long seed;
  private final Map<String, Random> streams = new ConcurrentHashMap<>();

  private volatile long raceWindowUntilNanos = Long.MIN_VALUE;
  private volatile long raceDelayMillis = 50;

  private final Map<String, EnumMap<ErrorKind, Double>> errorRates = new ConcurrentHashMap<>();
  private final Map<String, Latency> latencies = new ConcurrentHashMap<>();
  private volatile long timeoutHoldMillis = 30_000;

  private volatile double refuseRate;
  private volatile double dropRate;
  private volatile long disconnectEveryMillis;
  private volatile DisconnectReason scheduledReason = DisconnectReason.REFRESH_REQUESTED;

  private volatile long eventDelayMillis;
  private volatile long eventJitterMillis;
  private volatile double duplicateRate;

  private volatile SocketControl sockets = NO_SOCKETS;

  Faults(long seed) {
    this.seed = seed;
  }

  void sockets(SocketControl control) {
    this.sockets = control;
  }

  /** Restarts every fault stream from this seed. */
  public synchronized Faults seed(long seed) {
    this.seed = seed;
    streams.clear();
    return this;
  }

  /** Removes every fault (the seed stays; the streams restart). */
  public synchronized Faults clear() {
    raceWindowUntilNanos = Long.MIN_VALUE;
    raceDelayMillis = 50;
    errorRates.clear();
    latencies.clear();
    timeoutHoldMillis = 30_000;
    refuseRate = 0;
    dropRate = 0;
    disconnectEveryMillis = 0;
    scheduledReason = DisconnectReason.REFRESH_REQUESTED;
    eventDelayMillis = 0;
    eventJitterMillis = 0;
    duplicateRate = 0;
    streams.clear();
    return this;
  }

  // ---- the race window ----

  /**
   * Opens the race window for {@code length} of real time from now: meanwhile the exclusive checks
   * of {@code pins.add}, {@code reactions.add} and {@code stars.add} are made under the workspace
   * lock, but the change is committed {@link #raceDelay(Duration)} later without a second check, so
   * concurrent callers that arrive within the delay all get {@code ok}.
   */
  public Faults raceWindow(Duration length) {
    raceWindowUntilNanos = System.nanoTime() + requireNonNegative(length, "race window").toNanos();
    return this;
  }

  /** How long a call inside the race window waits between its check and its commit (50 ms). */
  public Faults raceDelay(Duration delay) {
    raceDelayMillis = requireNonNegative(delay, "race delay").toMillis();
    return this;
  }

  /** Whether the race window is open now. */
  public boolean raceWindowOpen() {
    long until = raceWindowUntilNanos;
    return until != Long.MIN_VALUE && System.nanoTime() - until < 0;
  }

  /**
   * Runs an exclusive check-then-commit: {@code check} runs under the workspace lock and either
   * throws a {@link SlackError} (e.g. {@code already_pinned}) or returns the mutation to commit
   * (null: nothing). Atomic, unless the race window is open.
   */
  void commitExclusive(Workspace workspace, Supplier<Mutation> check) {
    if (!raceWindowOpen()) {
      workspace.locked(
          () -> {
            Mutation m = check.get();
            if (m != null) {
              workspace.commit(m);
            }
          });
      return;
    }
    Mutation m = workspace.locked(check);
    if (m == null) {
      return;
    }
    sleep(raceDelayMillis); // a concurrent caller now passes the same check
    workspace.commit(m);
  }

  // ---- Web API faults ----

  /**
   * Makes a fraction of the calls to {@code method} ({@code "*"}: every method) fail. Rates of the
   * different kinds for one method add up (at most 1); 0 removes the kind.
   */
  public Faults errorRate(String method, ErrorKind kind, double rate) {
    requireRate(rate, "error rate");
    synchronized (this) {
      EnumMap<ErrorKind, Double> rates =
          errorRates.computeIfAbsent(method, k -> new EnumMap<>(ErrorKind.class));
      if (rate == 0) {
        rates.remove(kind);
      } else {
        rates.put(kind, rate);
      }
      double total = rates.values().stream().mapToDouble(Double::doubleValue).sum();
      if (total > 1.0 + 1e-9) {
        rates.remove(kind);
        throw new IllegalArgumentException(
            "error rates of " + method + " add up to " + total + " > 1");
      }
      if (rates.isEmpty()) {
        errorRates.remove(method);
      }
    }
    return this;
  }

  /** How long a {@link ErrorKind#TIMEOUT} holds a request before running it (default 30 s). */
  public Faults timeoutHold(Duration hold) {
    timeoutHoldMillis = requireNonNegative(hold, "timeout hold").toMillis();
    return this;
  }

  /**
   * Delays every call to {@code method} ({@code "*"}: every method without its own setting) by
   * {@code fixed} plus a uniformly random part below {@code jitter} (real time).
   */
  public Faults latency(String method, Duration fixed, Duration jitter) {
    Latency l =
        new Latency(
            requireNonNegative(fixed, "latency").toMillis(),
            requireNonNegative(jitter, "jitter").toMillis());
    if (l.fixedMillis == 0 && l.jitterMillis == 0) {
      latencies.remove(method);
    } else {
      latencies.put(method, l);
    }
    return this;
  }

  /** The {@link WebApi.Interceptor}: latency first, then at most one error. */
  void beforeCall(String method, Principal principal, Context ctx) {
    Latency latency = latencies.getOrDefault(method, latencies.get("*"));
    if (latency != null) {
      long jitter =
          latency.jitterMillis == 0 ? 0 : (long) (draw("latency:" + method) * latency.jitterMillis);
      sleep(latency.fixedMillis + jitter);
    }
    EnumMap<ErrorKind, Double> rates = errorRates.getOrDefault(method, errorRates.get("*"));
    if (rates == null || rates.isEmpty()) {
      return;
    }
    double u = draw("error:" + method);
    double cumulative = 0;
    for (Map.Entry<ErrorKind, Double> e :
        Map.copyOf(rates).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      cumulative += e.getValue();
      if (u < cumulative) {
        inject(e.getKey(), ctx);
        return;
      }
    }
  }

  private void inject(ErrorKind kind, Context ctx) {
    if (kind == ErrorKind.HTTP_500) {
      ctx.status(500);
      throw new SlackError("internal_error");
    } else if (kind == ErrorKind.INTERNAL_ERROR) {
      throw new SlackError("internal_error");
    } else if (kind == ErrorKind.FATAL_ERROR) {
      throw new SlackError("fatal_error");
    } else {
      sleep(timeoutHoldMillis);
    }
  }

  // ---- Socket Mode faults ----

  /** Refuses this fraction of WebSocket connection attempts (HTTP 503 instead of the upgrade). */
  public Faults refuseConnections(double rate) {
    refuseRate = requireRate(rate, "refuse rate");
    return this;
  }

  /**
   * Before each envelope is sent, with this probability the connection is dropped instead (closed
   * without a close frame); the envelope is then retried like an unacked one.
   */
  public Faults dropConnections(double rate) {
    dropRate = requireRate(rate, "drop rate");
    return this;
  }

  /**
   * Sends {@code disconnect} with {@code reason} to each connection once it has been open for
   * {@code every} of emulated time (Slack refreshes connections every few hours; hello's {@code
   * approximate_connection_time} tells it). {@link Duration#ZERO} turns the schedule off.
   */
  public Faults disconnectEvery(Duration every, DisconnectReason reason) {
    disconnectEveryMillis = requireNonNegative(every, "disconnect interval").toMillis();
    scheduledReason = reason;
    return this;
  }

  /**
   * Sends {@code disconnect} with {@code reason} now to every open connection of {@code app} (its
   * name or id; null: every app).
   *
   * @return how many connections were told
   */
  public int disconnectNow(String app, DisconnectReason reason) {
    return sockets.disconnect(app, reason);
  }

  /**
   * Drops every open connection of {@code app} (name or id; null: every app) now, without a close
   * frame, as a network failure would.
   *
   * @return how many connections were dropped
   */
  public int dropNow(String app) {
    return sockets.drop(app);
  }

  boolean refuseConnection() {
    return refuseRate > 0 && draw("socket:refuse") < refuseRate;
  }

  boolean dropBeforeSend() {
    return dropRate > 0 && draw("socket:drop") < dropRate;
  }

  long disconnectEveryMillis() {
    return disconnectEveryMillis;
  }

  DisconnectReason scheduledReason() {
    return scheduledReason;
  }

  // ---- event delivery faults ----

  /**
   * Delays the first delivery attempt of every event by {@code fixed} plus random below {@code
   * jitter}.
   */
  public Faults delayEvents(Duration fixed, Duration jitter) {
    eventDelayMillis = requireNonNegative(fixed, "event delay").toMillis();
    eventJitterMillis = requireNonNegative(jitter, "event jitter").toMillis();
    return this;
  }

  /** Delivers this fraction of events twice (same event_id, a new envelope / request). */
  public Faults duplicateEvents(double rate) {
    duplicateRate = requireRate(rate, "duplicate rate");
    return this;
  }

  /** Real milliseconds to hold an event before its first attempt. */
  long eventDelayMillis() {
    if (eventDelayMillis == 0 && eventJitterMillis == 0) {
      return 0;
    }
    long jitter = eventJitterMillis == 0 ? 0 : (long) (draw("event:delay") * eventJitterMillis);
    return eventDelayMillis + jitter;
  }

  boolean duplicateEvent() {
    return duplicateRate > 0 && draw("event:duplicate") < duplicateRate;
  }

  // ---- JSON form, for the admin API and config files ----

  /**
   * Applies a JSON fault description (see docs/EMULATOR.md, "Fault injection"); fields that are
   * absent keep their value. Example: {@code {"methods":{"pins.add":{"internal_error":0.1}},
   * "raceWindow":{"millis":5000}}}.
   *
   * @throws IllegalArgumentException when the JSON is malformed or a value is out of range
   */
  public Faults configure(String json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("faults: not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("faults: expected a JSON object");
    }
    configure(root);
    return this;
  }

  synchronized void configure(JsonNode root) {
    if (root.has("seed")) {
      seed(root.get("seed").asLong());
    }
    JsonNode race = root.path("raceWindow");
    if (race.has("delayMillis")) {
      raceDelay(Duration.ofMillis(race.get("delayMillis").asLong()));
    }
    if (race.has("millis")) {
      raceWindow(Duration.ofMillis(race.get("millis").asLong()));
    }
    if (root.has("timeoutHoldMillis")) {
      timeoutHold(Duration.ofMillis(root.get("timeoutHoldMillis").asLong()));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("methods").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      JsonNode spec = m.getValue();
      for (ErrorKind kind : ErrorKind.values()) {
        if (spec.has(kind.wire)) {
          errorRate(m.getKey(), kind, spec.get(kind.wire).asDouble());
        }
      }
      if (spec.has("latencyMillis") || spec.has("jitterMillis")) {
        latency(
            m.getKey(),
            Duration.ofMillis(spec.path("latencyMillis").asLong(0)),
            Duration.ofMillis(spec.path("jitterMillis").asLong(0)));
      }
    }
    JsonNode sockets = root.path("sockets");
    if (sockets.has("refuseRate")) {
      refuseConnections(sockets.get("refuseRate").asDouble());
    }
    if (sockets.has("dropRate")) {
      dropConnections(sockets.get("dropRate").asDouble());
    }
    if (sockets.has("disconnectEveryMillis")) {
      disconnectEvery(
          Duration.ofMillis(sockets.get("disconnectEveryMillis").asLong()),
          sockets.has("disconnectReason")
              ? DisconnectReason.parse(sockets.get("disconnectReason").asText())
              : scheduledReason);
    }
    JsonNode events = root.path("events");
    if (events.has("delayMillis") || events.has("jitterMillis")) {
      delayEvents(
          Duration.ofMillis(events.path("delayMillis").asLong(0)),
          Duration.ofMillis(events.path("jitterMillis").asLong(0)));
    }
    if (events.has("duplicateRate")) {
      duplicateEvents(events.get("duplicateRate").asDouble());
    }
  }

  /** The current faults in the form {@link #configure(String)} accepts. */
  synchronized ObjectNode toJson() {
    ObjectNode out = Json.object().put("seed", seed);
    long remaining =
        raceWindowOpen() ? Math.max(1, (raceWindowUntilNanos - System.nanoTime()) / 1_000_000) : 0;
    out.putObject("raceWindow").put("millis", remaining).put("delayMillis", raceDelayMillis);
    out.put("timeoutHoldMillis", timeoutHoldMillis);
    ObjectNode methods = out.putObject("methods");
    Map<String, ObjectNode> byMethod = new TreeMap<>();
    errorRates.forEach(
        (method, rates) ->
            rates.forEach(
                (kind, rate) ->
                    byMethod.computeIfAbsent(method, k -> Json.object()).put(kind.wire, rate)));
    latencies.forEach(
        (method, l) ->
            byMethod
                .computeIfAbsent(method, k -> Json.object())
                .put("latencyMillis", l.fixedMillis)
                .put("jitterMillis", l.jitterMillis));
    byMethod.forEach(methods::set);
    out.putObject("sockets")
        .put("refuseRate", refuseRate)
        .put("dropRate", dropRate)
        .put("disconnectEveryMillis", disconnectEveryMillis)
        .put("disconnectReason", scheduledReason.wire);
    out.putObject("events")
        .put("delayMillis", eventDelayMillis)
        .put("jitterMillis", eventJitterMillis)
        .put("duplicateRate", duplicateRate);
    return out;
  }

  // ---- helpers ----

  /** The next uniform [0,1) draw of one named stream. */
  private double draw(String stream) {
    Random r = streams.computeIfAbsent(stream, s -> new Random(seed * 31 + s.hashCode()));
    synchronized (r) {
      return r.nextDouble();
    }
  }

  private static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration requireNonNegative(Duration d, String what) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be >= 0, was " + d);
    }
    return d;
  }

  private static double requireRate(double rate, String what) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(what + " must be within 0..1, was " + rate);
    }
    return rate;
  }

  @Override
  public String toString() {
    return "Faults" + toJson();
  }
}
