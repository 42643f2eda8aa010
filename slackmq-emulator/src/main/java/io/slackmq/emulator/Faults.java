package io.slackmq.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Workspace.Principal;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The faults a running emulator injects: Web API errors and latency, WebSocket refusals, drops and
 * disconnects, delayed and duplicated event deliveries, and the race window that breaks the
 * atomicity of {@code pins.add}, {@code reactions.add} and {@code stars.add}. Get the handle from
 * {@link Emulator#faults()}, configure it at start with {@link Emulator.Builder#faults}, or over
 * HTTP under {@code /_emulator/faults} (see docs/EMULATOR.md, "Fault injection").
 *
 * <p>Determinism: every fault stream (one per Web API method, one per socket or event fault) draws
 * from its own {@link java.util.Random} seeded from {@link #seed(long)} (by default the emulator's
 * seed) and the stream's name. The same sequence of calls to a method therefore meets the same
 * faults on every run, whatever other methods are called in between. {@link #seed(long)} restarts
 * every stream.
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

  private final FaultStreams streams;
  private final RaceWindowFaults race = new RaceWindowFaults();
  private final WebApiFaults web;
  private final SocketFaults socketFaults;
  private final EventFaults events;
  private final ConsistencyFaults consistency;
  private volatile SocketControl sockets = SocketControl.NONE;

  Faults(long seed) {
    this(seed, 1.0);
  }

  /** Faults whose durations of read lag are emulated time at {@code timeScale}. */
  Faults(long seed, double timeScale) {
    this.streams = new FaultStreams(seed);
    this.consistency = new ConsistencyFaults(streams, timeScale);
    this.web = new WebApiFaults(streams);
    this.socketFaults = new SocketFaults(streams);
    this.events = new EventFaults(streams);
  }

  void sockets(SocketControl control) {
    this.sockets = control;
  }

  /** Restarts every fault stream from this seed. */
  public synchronized Faults seed(long seed) {
    streams.reseed(seed);
    return this;
  }

  /** Removes every fault (the seed stays; the streams restart). */
  public synchronized Faults clear() {
    race.clear();
    web.clear();
    socketFaults.clear();
    events.clear();
    consistency.clear();
    streams.restart();
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
    race.open(requireNonNegative(length, "race window").toNanos());
    return this;
  }

  /** How long a call inside the race window waits between its check and its commit (50 ms). */
  public Faults raceDelay(Duration delay) {
    race.delayMillis(requireNonNegative(delay, "race delay").toMillis());
    return this;
  }

  /** Whether the race window is open now. */
  public boolean raceWindowOpen() {
    return race.isOpen();
  }

  /** The gate {@link Workspace#commitExclusive} consults. */
  RaceGate raceGate() {
    return race;
  }

  /** {@link Workspace#commitExclusive} under this handle's race window. */
  void commitExclusive(Workspace workspace, Supplier<Mutation> check) {
    workspace.commitExclusive(check, race);
  }

  // ---- Web API faults ----

  /**
   * Makes a fraction of the calls to {@code method} ({@code "*"}: every method) fail. Rates of the
   * different kinds for one method add up (at most 1); 0 removes the kind.
   */
  public Faults errorRate(String method, ErrorKind kind, double rate) {
    requireRate(rate, "error rate");
    synchronized (this) {
      web.errorRate(method, kind, rate);
    }
    return this;
  }

  /** How long a {@link ErrorKind#TIMEOUT} holds a request before running it (default 30 s). */
  public Faults timeoutHold(Duration hold) {
    web.timeoutHoldMillis(requireNonNegative(hold, "timeout hold").toMillis());
    return this;
  }

  /**
   * Delays every call to {@code method} ({@code "*"}: every method without its own setting) by
   * {@code fixed} plus a uniformly random part below {@code jitter} (real time).
   */
  public Faults latency(String method, Duration fixed, Duration jitter) {
    web.latency(
        method,
        new WebApiFaults.Latency(
            requireNonNegative(fixed, "latency").toMillis(),
            requireNonNegative(jitter, "jitter").toMillis()));
    return this;
  }

  /** The {@link WebApi.Interceptor}: latency first, then at most one error. */
  FaultDecision beforeCall(String method, Principal principal) {
    return web.beforeCall(method);
  }

  // ---- Socket Mode faults ----

  /** Refuses this fraction of WebSocket connection attempts (HTTP 503 instead of the upgrade). */
  public Faults refuseConnections(double rate) {
    socketFaults.refuseRate(requireRate(rate, "refuse rate"));
    return this;
  }

  /**
   * Before each envelope is sent, with this probability the connection is dropped instead (closed
   * without a close frame); the envelope is then retried like an unacked one.
   */
  public Faults dropConnections(double rate) {
    socketFaults.dropRate(requireRate(rate, "drop rate"));
    return this;
  }

  /**
   * Sends {@code disconnect} with {@code reason} to each connection once it has been open for
   * {@code every} of emulated time (Slack refreshes connections every few hours; hello's {@code
   * approximate_connection_time} tells it). {@link Duration#ZERO} turns the schedule off.
   */
  public Faults disconnectEvery(Duration every, DisconnectReason reason) {
    socketFaults.disconnectEvery(
        requireNonNegative(every, "disconnect interval").toMillis(), reason);
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
    return socketFaults.refuseConnection();
  }

  boolean dropBeforeSend() {
    return socketFaults.dropBeforeSend();
  }

  long disconnectEveryMillis() {
    return socketFaults.disconnectEveryMillis();
  }

  DisconnectReason scheduledReason() {
    return socketFaults.scheduledReason();
  }

  // ---- event delivery faults ----

  /**
   * Delays the first delivery attempt of every event by {@code fixed} plus random below {@code
   * jitter}.
   */
  public Faults delayEvents(Duration fixed, Duration jitter) {
    events.delay(
        requireNonNegative(fixed, "event delay").toMillis(),
        requireNonNegative(jitter, "event jitter").toMillis());
    return this;
  }

  /** Delivers this fraction of events twice (same event_id, a new envelope / request). */
  public Faults duplicateEvents(double rate) {
    events.duplicateRate(requireRate(rate, "duplicate rate"));
    return this;
  }

  /** Holds this fraction of events back up to {@code maxDelay} (real time): they arrive late. */
  public Faults lateEvents(double rate, Duration maxDelay) {
    events.late(
        requireRate(rate, "late event rate"),
        requireNonNegative(maxDelay, "late event delay").toMillis());
    return this;
  }

  // ---- consistency: read lag, lost and duplicated posts ----

  /** How read lags are drawn between their min and max. */
  public enum LagDistribution {
    UNIFORM,
    /** Mostly short, with a tail up to the max: mean a quarter of (max - min) above the min. */
    EXPONENTIAL
  }

  /**
   * Read lag: a new message or reply becomes visible in conversations.history/replies, pins.list
   * and reactions.get to each reader only {@code min..max} (emulated time) after it was stored,
   * drawn per (reader, message) from the seed. Two readers then see different prefixes, and one can
   * see a later ts before an earlier one. Zero max turns it off.
   */
  public Faults readLag(Duration min, Duration max, LagDistribution distribution) {
    consistency.readLag(
        requireNonNegative(min, "read lag").toNanos() / 1000,
        requireNonNegative(max, "read lag").toNanos() / 1000,
        java.util.Objects.requireNonNull(distribution, "distribution"));
    return this;
  }

  /** Read lag uniform in {@code 0..max}. */
  public Faults readLag(Duration max) {
    return readLag(Duration.ZERO, max, LagDistribution.UNIFORM);
  }

  /** Whether a poster sees its own messages at once despite the read lag (default true). */
  public Faults ownWritesVisible(boolean visible) {
    consistency.ownWritesVisible(visible);
    return this;
  }

  /** Answers this fraction of chat.postMessage calls ok, with a ts, and stores nothing. */
  public Faults lostPosts(double rate) {
    consistency.lostPosts(requireRate(rate, "lost post rate"), consistency.burstPerSecond());
    return this;
  }

  /** Answers ok but stores nothing for posts beyond {@code perSecond} per channel per second. */
  public Faults lostPostsAboveBurst(int perSecond) {
    consistency.lostPosts(consistency.lostRate(), perSecond);
    return this;
  }

  /** Stores this fraction of chat.postMessage calls twice (two ts), as a retried post would. */
  public Faults duplicatePosts(double rate) {
    consistency.duplicatePosts(requireRate(rate, "duplicate post rate"));
    return this;
  }

  /** The consistency {@link Workspace} consults. */
  ConsistencyFaults consistency() {
    return consistency;
  }

  /** Real milliseconds to hold an event before its first attempt. */
  long eventDelayMillis() {
    return events.nextDelayMillis();
  }

  boolean duplicateEvent() {
    return events.duplicateEvent();
  }

  // ---- JSON form, for the admin API and config files ({@link FaultsJson}) ----

  /**
   * Applies a JSON fault description (see docs/EMULATOR.md, "Fault injection"); fields that are
   * absent keep their value. Example: {@code {"methods":{"pins.add":{"internal_error":0.1}},
   * "raceWindow":{"millis":5000}}}.
   *
   * @throws IllegalArgumentException when the JSON is malformed or a value is out of range
   */
  public Faults configure(String json) {
    configure(FaultsJson.parse(json));
    return this;
  }

  synchronized void configure(JsonNode root) {
    FaultsJson.apply(this, root);
  }

  /** The current faults in the form {@link #configure(String)} accepts. */
  synchronized ObjectNode toJson() {
    return FaultsJson.write(streams.seed(), race, web, socketFaults, events, consistency);
  }

  // ---- helpers ----

  /** Longer than any test or drill needs, and short enough that nanoseconds never overflow. */
  private static final Duration LONGEST = Duration.ofDays(366);

  private static Duration requireNonNegative(Duration d, String what) {
    if (d == null || d.isNegative() || d.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(what + " must be within 0..366 days, was " + d);
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
