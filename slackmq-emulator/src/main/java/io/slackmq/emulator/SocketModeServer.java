package io.slackmq.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import io.slackmq.emulator.Faults.DisconnectReason;
import io.slackmq.emulator.Workspace.TokenKind;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket Mode: {@code apps.connections.open} hands out single-use tickets for {@code
 * ws://host:port/link/?ticket=...}; a connection gets {@code hello}, then envelopes, and answers
 * each with {@code {"envelope_id":...}}. At most {@link #MAX_CONNECTIONS} live connections per app:
 * one more gets {@code disconnect} {@code too_many_websockets} and is closed. A connection that was
 * sent a {@code disconnect} is "draining": it gets no new envelopes and does not count against the
 * limit (so the client's replacement connection is accepted), and it is closed after {@link
 * #DRAIN_GRACE_SECONDS} emulated seconds if the client has not closed it.
 *
 * <p>Jetty answers WebSocket pings with pongs by itself (Javalin registers no frame listener),
 * which the SDK's session monitor relies on.
 */
final class SocketModeServer implements SocketControl {
  static final int MAX_CONNECTIONS = 10;
  static final long DRAIN_GRACE_SECONDS = 10;

  /** Real seconds between the server's pings. */
  static final long SERVER_PING_SECONDS = 10;

  /** {@code approximate_connection_time} in hello when no refresh schedule is set. */
  static final long DEFAULT_CONNECTION_SECONDS = 3600;

  private static final String HOST = "applink-emulator";
  private static final DateTimeFormatter STARTED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  private static final Logger log = LoggerFactory.getLogger(SocketModeServer.class);

  /** One open WebSocket of an app. */
  static final class Connection {
    final String id;
    final App app;
    final WsContext ctx;
    volatile boolean draining;
    volatile ScheduledFuture<?> refresh;
    volatile ScheduledFuture<?> pinger;

    Connection(String id, App app, WsContext ctx) {
      this.id = id;
      this.app = app;
      this.ctx = ctx;
    }

    synchronized void ping() {
      if (ctx.session.isOpen()) {
        ctx.session.getRemote().sendPing(java.nio.ByteBuffer.allocate(0), WriteCallback.NOOP);
      }
    }

    /** Sends without blocking; a failed send is left to the ack timeout. */
    synchronized void send(String text) {
      if (ctx.session.isOpen()) {
        ctx.session.getRemote().sendString(text, WriteCallback.NOOP);
      }
    }
  }

  private record Ticket(String appId, long issuedNanos) {}

  private final Workspace workspace;
  private final EmulatorClock clock;
  private final Faults faults;
  private final ScheduledExecutorService scheduler;
  private final Supplier<String> baseUrl;
  private final Random routing;
  private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
  private final Map<String, List<Connection>> byApp = new ConcurrentHashMap<>();
  private final Map<WsContext, Connection> byContext = new ConcurrentHashMap<>();
  private final Set<String> socketModeApps = ConcurrentHashMap.newKeySet();
  private volatile Consumer<String> acks = id -> {};

  SocketModeServer(
      Workspace workspace,
      Faults faults,
      ScheduledExecutorService scheduler,
      Supplier<String> baseUrl,
      long seed) {
    this.workspace = workspace;
    this.clock = workspace.clock();
    this.faults = faults;
    this.scheduler = scheduler;
    this.baseUrl = baseUrl;
    this.routing = new Random(seed ^ 0x50C7_E7L);
  }

  /** Where acks ({@code envelope_id}s) go. */
  void onAck(Consumer<String> acks) {
    this.acks = acks;
  }

  void register(Methods methods) {
    methods.add("apps.connections.open", Tier.CONNECTIONS_OPEN, this::open);
  }

  void routes(Javalin http) {
    http.wsBeforeUpgrade("/link", this::beforeUpgrade);
    http.ws(
        "/link",
        ws -> {
          ws.onConnect(this::connected);
          ws.onMessage(this::message);
          ws.onClose(this::closed);
          ws.onError(ctx -> forget(ctx));
        });
  }

  /**
   * Whether events of this app go over Socket Mode: it has opened a connection since start, or it
   * has no request URL (then its events wait for a socket, retried on Slack's schedule).
   */
  boolean socketMode(App app) {
    return socketModeApps.contains(app.id) || app.requestUrl() == null;
  }

  /** A random live connection of the app, or null. */
  Connection pick(App app) {
    List<Connection> live = new ArrayList<>();
    for (Connection c : byApp.getOrDefault(app.id, List.of())) {
      if (!c.draining && c.ctx.session.isOpen()) {
        live.add(c);
      }
    }
    if (live.isEmpty()) {
      return null;
    }
    synchronized (routing) {
      return live.get(routing.nextInt(live.size()));
    }
  }

  /** Live (not draining) connections per app id, for the admin API and tests. */
  Map<String, Integer> liveConnections() {
    Map<String, Integer> out = new TreeMap<>();
    byApp.forEach(
        (app, conns) -> out.put(app, (int) conns.stream().filter(c -> !c.draining).count()));
    return out;
  }

  private ObjectNode open(ApiRequest r) {
    // "The app-level token must be sent in the Authorization header: passing it as a POST
    // parameter will result in an error." The exact error is not published: see the docs.
    if (r.params().containsKey("token")) {
      throw new SlackError("not_authed");
    }
    r.requireKind(TokenKind.APP);
    r.requireScope("connections:write");
    App app = r.principal().app();
    socketModeApps.add(app.id);
    pruneTickets();
    String ticket = UUID.randomUUID().toString();
    tickets.put(ticket, new Ticket(app.id, System.nanoTime()));
    return Json.ok().put("url", baseUrl.get() + "/link/?ticket=" + ticket + "&app_id=" + app.id);
  }

  /** Unused tickets are tolerated (Bolt leaves one behind at start) but not kept forever. */
  private void pruneTickets() {
    long maxAge = TimeUnit.MILLISECONDS.toNanos(clock.realMillis(10, TimeUnit.MINUTES));
    long now = System.nanoTime();
    tickets.values().removeIf(t -> now - t.issuedNanos > maxAge);
  }

  private void beforeUpgrade(Context ctx) {
    String ticket = ctx.queryParam("ticket");
    if (ticket == null || !tickets.containsKey(ticket)) {
      throw new UnauthorizedResponse("invalid or used ticket");
    }
    if (faults.refuseConnection()) {
      throw new ServiceUnavailableResponse("refused (fault injection)");
    }
  }

  private void connected(WsConnectContext ctx) {
    ctx.session.setIdleTimeout(Duration.ofHours(2));

    Ticket ticket = tickets.remove(String.valueOf(ctx.queryParam("ticket")));
    App app = ticket == null ? null : workspace.locked(() -> workspace.app(ticket.appId));
    if (app == null) {
      ctx.closeSession(1008, "invalid or used ticket");
      return;
    }
    Connection conn = new Connection(UUID.randomUUID().toString(), app, ctx);
    int live;
    synchronized (this) {
      List<Connection> conns = byApp.computeIfAbsent(app.id, k -> new CopyOnWriteArrayList<>());
      live = (int) conns.stream().filter(c -> !c.draining).count();
      if (live < MAX_CONNECTIONS) {
        conns.add(conn);
        byContext.put(ctx, conn);
      }
    }
    if (live >= MAX_CONNECTIONS) {
      conn.send(disconnectJson("too_many_websockets"));
      scheduler.schedule(() -> close(conn), 100, TimeUnit.MILLISECONDS);
      return;
    }
    long lifetimeMillis = faults.disconnectEveryMillis();
    ObjectNode hello = Json.object().put("type", "hello").put("num_connections", live + 1);
    hello.putObject("connection_info").put("app_id", app.id);
    hello
        .putObject("debug_info")
        .put("host", HOST)
        .put("started", LocalDateTime.now().format(STARTED))
        .put("build_number", 1)
        .put(
            "approximate_connection_time",
            lifetimeMillis > 0 ? lifetimeMillis / 1000 : DEFAULT_CONNECTION_SECONDS);
    conn.send(hello.toString());
    // Slack pings its sockets; the Node client reconnects when no ping comes for 30 s. (Our
    // own daemon scheduler, not Javalin's automatic pings, whose thread keeps a JVM alive.)
    conn.pinger =
        scheduler.scheduleAtFixedRate(
            conn::ping, SERVER_PING_SECONDS, SERVER_PING_SECONDS, TimeUnit.SECONDS);
    if (lifetimeMillis > 0) {
      DisconnectReason reason = faults.scheduledReason();
      conn.refresh =
          scheduler.schedule(
              () -> disconnect(conn, reason),
              clock.realMillis(lifetimeMillis, TimeUnit.MILLISECONDS),
              TimeUnit.MILLISECONDS);
    }
  }

  private void message(WsMessageContext ctx) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(ctx.message());
    } catch (JsonProcessingException e) {
      return; // Slack ignores what it cannot read; so does the emulator
    }
    JsonNode id = node == null ? null : node.get("envelope_id");
    if (id != null && id.isTextual()) {
      acks.accept(id.asText());
    }
  }

  private void closed(WsCloseContext ctx) {
    forget(ctx);
  }

  private void forget(WsContext ctx) {
    Connection conn = byContext.remove(ctx);
    if (conn != null) {
      byApp.getOrDefault(conn.app.id, List.of()).remove(conn);
      if (conn.pinger != null) {
        conn.pinger.cancel(false);
      }
      ScheduledFuture<?> refresh = conn.refresh;
      if (refresh != null) {
        refresh.cancel(false);
      }
    }
  }

  private void disconnect(Connection conn, DisconnectReason reason) {
    if (conn.draining) {
      return;
    }
    conn.draining = true;
    conn.send(disconnectJson(reason.wire));
    scheduler.schedule(
        () -> close(conn),
        clock.realMillis(DRAIN_GRACE_SECONDS, TimeUnit.SECONDS),
        TimeUnit.MILLISECONDS);
  }

  private static String disconnectJson(String reason) {
    ObjectNode json = Json.object().put("type", "disconnect").put("reason", reason);
    json.putObject("debug_info").put("host", HOST);
    return json.toString();
  }

  private void close(Connection conn) {
    if (conn.ctx.session.isOpen()) {
      conn.ctx.closeSession(1000, "disconnect");
    }
    forget(conn.ctx);
  }

  @Override
  public int disconnect(String app, DisconnectReason reason) {
    List<Connection> targets = matching(app);
    targets.forEach(c -> disconnect(c, reason));
    return targets.size();
  }

  @Override
  public int drop(String app) {
    List<Connection> targets = matching(app);
    targets.forEach(this::drop);
    return targets.size();
  }

  /** Closes the TCP connection without a close frame, as a network failure would. */
  void drop(Connection conn) {
    try {
      conn.ctx.session.disconnect();
    } catch (RuntimeException e) {
      log.debug("drop of connection {} failed", conn.id, e);
    }
    forget(conn.ctx);
  }

  private List<Connection> matching(String app) {
    List<Connection> out = new ArrayList<>();
    byApp
        .values()
        .forEach(
            conns ->
                conns.forEach(
                    c -> {
                      if (app == null || c.app.id.equals(app) || c.app.name.equals(app)) {
                        if (!c.draining) {
                          out.add(c);
                        }
                      }
                    }));
    return out;
  }

  void close() {
    byContext.values().forEach(c -> c.ctx.closeSession(1001, "emulator stopping"));
  }
}
