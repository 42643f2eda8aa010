package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.request.EventsApiEnvelope;
import com.slack.api.socket_mode.response.AckResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Socket Mode through the official clients: Bolt's SocketModeApp and the SDK's SocketModeClient
 * (Tyrus).
 */
class SocketModeSdkTest {
  private final List<SocketModeApp> boltApps = new ArrayList<>();
  private Emulator slack;

  @AfterEach
  void stop() throws Exception {
    for (SocketModeApp app : boltApps) {
      app.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  /** A Bolt app of the named emulator app (env suffix, e.g. SLACKMQ_A) in Socket Mode. */
  private SocketModeApp bolt(String envApp, java.util.function.Consumer<App> handlers)
      throws Exception {
    Map<String, String> env = slack.env();
    App app =
        new App(
            AppConfig.builder()
                .slack(SdkClients.slack(slack))
                .singleTeamBotToken(env.get("SLACK_BOT_TOKEN_" + envApp))
                .authTestCacheExpirationMillis(-1)
                .build());
    handlers.accept(app);
    SocketModeApp socketMode =
        new SocketModeApp(
            env.get("SLACK_APP_TOKEN_" + envApp), app, SocketModeClient.Backend.Tyrus);
    boltApps.add(socketMode);
    socketMode.startAsync();
    return socketMode;
  }

  private void postAsAlice(String text) throws Exception {
    var r =
        SdkClients.methods(slack, slack.env().get("SLACK_USER_TOKEN_ALICE"))
            .chatPostMessage(q -> q.channel(slack.env().get("SLACK_CHANNEL")).text(text));
    assertThat(r.isOk()).as(r.getError()).isTrue();
  }

  @Test
  void thousandEvents_tenBoltConnections_eachDeliveredToExactlyOne_allConnectionsUsed()
      throws Exception {
    // Slack's limits stay on (apps.connections.open must allow 10 Bolt starts = 20 calls),
    // except chat.postMessage, which would pace 1,000 posts to 1 per second.
    slack = Emulator.builder().rateLimit("chat.postMessage", 0).start(); // time scale 1: 3 s acks
    Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    AtomicInteger[] perConnection = new AtomicInteger[SocketModeServer.MAX_CONNECTIONS];
    for (int i = 0; i < perConnection.length; i++) {
      AtomicInteger mine = perConnection[i] = new AtomicInteger();
      bolt(
          "SLACKMQ_A",
          app ->
              app.event(
                  MessageEvent.class,
                  (req, ctx) -> {
                    deliveries
                        .computeIfAbsent(req.getEventId(), k -> new AtomicInteger())
                        .incrementAndGet();
                    mine.incrementAndGet();
                    return ctx.ack();
                  }));
    }
    String appId = slack.env().get("SLACK_APP_ID_SLACKMQ_A");
    Realtime realtime = slack.realtime();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> realtime.sockets.liveConnections().getOrDefault(appId, 0) == 10);

    for (int i = 0; i < 1000; i++) {
      postAsAlice("job " + i);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deliveries.size() == 1000
                    && realtime.delivery.toJson().path(appId).path("acked").asLong() >= 1000);

    assertThat(deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(perConnection).allSatisfy(n -> assertThat(n.get()).isPositive());
    assertThat(realtime.delivery.toJson().path(appId).path("retries").asLong()).isZero();
  }

  @Test
  void twoApps_eachReceiveTheirOwnCopy() throws Exception {
    slack = Emulator.builder().noRateLimits().start();
    BlockingQueue<String> a = new LinkedBlockingQueue<>();
    BlockingQueue<String> b = new LinkedBlockingQueue<>();
    bolt(
        "SLACKMQ_A",
        app ->
            app.event(
                MessageEvent.class,
                (req, ctx) -> {
                  a.add(
                      req.getApiAppId() + " " + req.getEventId() + " " + req.getEvent().getText());
                  return ctx.ack();
                }));
    bolt(
        "SLACKMQ_B",
        app ->
            app.event(
                MessageEvent.class,
                (req, ctx) -> {
                  b.add(
                      req.getApiAppId() + " " + req.getEventId() + " " + req.getEvent().getText());
                  return ctx.ack();
                }));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                slack.realtime().sockets.liveConnections().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum()
                    == 2);
    postAsAlice("hostname");
    String gotA = a.poll(10, TimeUnit.SECONDS);
    String gotB = b.poll(10, TimeUnit.SECONDS);
    assertThat(gotA).startsWith(slack.env().get("SLACK_APP_ID_SLACKMQ_A")).endsWith(" hostname");
    assertThat(gotB).startsWith(slack.env().get("SLACK_APP_ID_SLACKMQ_B")).endsWith(" hostname");
    assertThat(gotA.split(" ")[1]).isNotEqualTo(gotB.split(" ")[1]);
  }

  @Test
  void sdkClient_reconnectsAfterEveryDisconnectReasonAndAfterADrop() throws Exception {
    slack = Emulator.builder().noRateLimits().timeScale(60).start();
    SocketModeClient client =
        SdkClients.slack(slack)
            .socketMode(slack.env().get("SLACK_APP_TOKEN"), SocketModeClient.Backend.Tyrus);
    try {
      BlockingQueue<String> hellos = new LinkedBlockingQueue<>();
      BlockingQueue<String> texts = new LinkedBlockingQueue<>();
      client.addWebSocketMessageListener(
          m -> {
            if (m.contains("\"type\":\"hello\"")) {
              hellos.add(m);
            }
          });
      client.addEventsApiEnvelopeListener(
          (EventsApiEnvelope env) -> {
            client.sendSocketModeResponse(
                AckResponse.builder().envelopeId(env.getEnvelopeId()).build());
            texts.add(
                env.getPayload()
                    .getAsJsonObject()
                    .getAsJsonObject("event")
                    .get("text")
                    .getAsString());
          });
      client.connect();
      assertThat(hellos.poll(10, TimeUnit.SECONDS)).isNotNull();
      List<Runnable> faults =
          List.of(
              () -> slack.faults().disconnectNow("slackmq-a", Faults.DisconnectReason.WARNING),
              () ->
                  slack
                      .faults()
                      .disconnectNow("slackmq-a", Faults.DisconnectReason.REFRESH_REQUESTED),
              () ->
                  slack.faults().disconnectNow("slackmq-a", Faults.DisconnectReason.LINK_DISABLED),
              () -> slack.faults().dropNow("slackmq-a"));
      for (int i = 0; i < faults.size(); i++) {
        faults.get(i).run();
        assertThat(hellos.poll(15, TimeUnit.SECONDS)).as("hello after fault %d", i).isNotNull();
        postAsAlice("after fault " + i);
        // The event may come on a retry if it raced the reconnect; either way it arrives.
        String text;
        do {
          text = texts.poll(15, TimeUnit.SECONDS);
          assertThat(text).as("event after fault %d", i).isNotNull();
        } while (!text.equals("after fault " + i));
      }
    } finally {
      client.close();
    }
  }
}
