package io.slackmq.emulator;

import io.javalin.Javalin;
import io.slackmq.emulator.Mutation.AppUpdated;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The real-time half of the emulator, assembled: events from mutations, Socket Mode, the Events API
 * over HTTP, their retries, and their admin routes. The emulator creates one and wires it with four
 * calls.
 */
final class Realtime implements AutoCloseable {
  private final Workspace workspace;
  private final Faults faults;
  private final ScheduledThreadPoolExecutor scheduler;
  private final EventsApiPusher pusher;
  private final EventFactory events;
  final SocketModeServer sockets;
  final Delivery delivery;

  Realtime(Workspace workspace, Faults faults, long seed, Supplier<String> wsBaseUrl) {
    this.workspace = workspace;
    this.faults = faults;
    AtomicInteger n = new AtomicInteger();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "slackmq-realtime-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    this.pusher = new EventsApiPusher();
    this.sockets = new SocketModeServer(workspace, faults, scheduler, wsBaseUrl, seed);
    this.events = new EventFactory(workspace, seed);
    this.delivery = new Delivery(events, sockets, pusher, faults, workspace.clock(), scheduler);
    faults.sockets(sockets);
    workspace.addListener(delivery);
  }

  void register(Methods methods) {
    sockets.register(methods);
  }

  void routes(Javalin http) {
    sockets.routes(http);
    RealtimeAdmin.routes(http, faults, this);
  }

  /**
   * Sets (or with null/blank clears) an app's Events API request URL, after Slack's
   * url_verification handshake succeeds.
   *
   * @throws IllegalArgumentException for an unknown app
   * @throws IllegalStateException when the URL does not answer the challenge
   */
  void requestUrl(String appNameOrId, String url) {
    App app = app(appNameOrId);
    String clean = url == null || url.isBlank() ? null : url.trim();
    if (clean != null
        && !pusher.verify(app, events.verificationToken(app), clean, Duration.ofSeconds(3))) {
      throw new IllegalStateException(
          "url_verification failed: "
              + clean
              + " did not answer the challenge with a 2xx within 3 s");
    }
    workspace.commit(
        new AppUpdated(app.id, clean, app.events(), app.botScopes(), app.nonMarketplace2025()));
  }

  /** Live Socket Mode connections of an app (name or id). */
  int socketModeConnections(String appNameOrId) {
    return sockets.liveConnections().getOrDefault(app(appNameOrId).id, 0);
  }

  /**
   * @throws IllegalArgumentException for an unknown app
   */
  private App app(String nameOrId) {
    App app =
        workspace.locked(
            () ->
                workspace.apps().stream()
                    .filter(a -> a.id.equals(nameOrId) || a.name.equals(nameOrId))
                    .findFirst()
                    .orElse(null));
    if (app == null) {
      throw new IllegalArgumentException("unknown app " + nameOrId);
    }
    return app;
  }

  @Override
  public void close() {
    sockets.close();
    scheduler.shutdownNow();
    pusher.close();
    try {
      scheduler.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
