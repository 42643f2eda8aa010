package io.slackmq.emulator;

import static io.slackmq.emulator.RawSocket.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketModeServerTest {
  private final Emulator slack = Emulator.builder().noRateLimits().timeScale(60).start();
  private final List<RawSocket> sockets = new ArrayList<>();

  @AfterEach
  void stop() {
    sockets.forEach(RawSocket::close);
    slack.close();
  }

  private RawSocket open() throws Exception {
    RawSocket s = RawSocket.open(slack, slack.env().get("SLACK_APP_TOKEN"));
    sockets.add(s);
    return s;
  }

  @Test
  void connectionsOpen_appToken_returnsWsUrlAndHello() throws Exception {
    AppsConnectionsOpenResponse r =
        SdkClients.methods(slack, slack.env().get("SLACK_APP_TOKEN")).appsConnectionsOpen(q -> q);
    assertThat(r.isOk()).isTrue();
    assertThat(r.getUrl()).startsWith("ws://127.0.0.1:" + slack.port() + "/link/?ticket=");
    RawSocket s = RawSocket.connect(r.getUrl());
    sockets.add(s);
    JsonNode hello = s.next(seconds(5));
    assertThat(hello.path("type").asText()).isEqualTo("hello");
    assertThat(hello.path("num_connections").asInt()).isEqualTo(1);
    assertThat(hello.at("/connection_info/app_id").asText())
        .isEqualTo(slack.env().get("SLACK_APP_ID_SLACKMQ_A"));
    assertThat(hello.at("/debug_info/approximate_connection_time").asLong()).isPositive();
    assertThat(hello.at("/debug_info/host").asText()).isNotEmpty();
  }

  @Test
  void connectionsOpen_botToken_notAllowed() throws Exception {
    var r =
        SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN")).appsConnectionsOpen(q -> q);
    assertThat(r.getError()).isEqualTo("not_allowed_token_type");
  }

  @Test
  void connectionsOpen_tokenAsBodyParameter_isAnError() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(slack.apiUrl() + "apps.connections.open"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "token=" + slack.env().get("SLACK_APP_TOKEN")))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("{\"ok\":false,\"error\":\"not_authed\"}");
  }

  @Test
  void ticket_isSingleUse() throws Exception {
    var r =
        SdkClients.methods(slack, slack.env().get("SLACK_APP_TOKEN")).appsConnectionsOpen(q -> q);
    sockets.add(RawSocket.connect(r.getUrl()));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawSocket.connect(r.getUrl()))
        .isInstanceOf(CompletionException.class);
  }

  @Test
  void ping_isAnsweredWithPong() throws Exception {
    RawSocket s = open();
    s.ping();
    s.pong.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(s.pong).isDone();
  }

  @Test
  void message_arrivesInOneEnvelope_andAckStopsRetries() throws Exception {
    RawSocket s = open();
    s.next("hello", seconds(5));
    long ts = Posts.post(slack, "alice", "hostname");
    JsonNode env = s.next("events_api", seconds(5));
    assertThat(env.path("envelope_id").asText()).isNotEmpty();
    assertThat(env.path("accepts_response_payload").asBoolean()).isFalse();
    assertThat(env.path("retry_attempt").asInt()).isZero();
    JsonNode payload = env.path("payload");
    assertThat(payload.path("type").asText()).isEqualTo("event_callback");
    assertThat(payload.path("event_id").asText()).startsWith("Ev");
    assertThat(payload.path("api_app_id").asText())
        .isEqualTo(slack.env().get("SLACK_APP_ID_SLACKMQ_A"));
    assertThat(payload.at("/authorizations/0/user_id").asText())
        .isEqualTo(slack.env().get("SLACK_BOT_USER_SLACKMQ_A"));
    assertThat(payload.at("/event/type").asText()).isEqualTo("message");
    assertThat(payload.at("/event/text").asText()).isEqualTo("hostname");
    assertThat(payload.at("/event/ts").asText()).isEqualTo(Ts.format(ts));
    assertThat(payload.at("/event/channel").asText()).isEqualTo(slack.env().get("SLACK_CHANNEL"));
    s.ack(env);
    // 3 emulated seconds are 50 ms here (250 ms at least); a retry would come within a second.
    assertThat(s.next("events_api", seconds(1))).isNull();
  }

  @Test
  void unackedEnvelope_isRetriedThreeTimes_withRetryAttemptAndReason() throws Exception {
    RawSocket s = open();
    s.next("hello", seconds(5));
    Posts.post(slack, "alice", "retry me");
    List<JsonNode> envelopes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JsonNode env = s.next("events_api", seconds(10)); // retry 3 comes 5 emulated min = 5 s later
      assertThat(env).as("attempt %d", i).isNotNull();
      envelopes.add(env);
    }
    assertThat(envelopes)
        .extracting(e -> e.path("retry_attempt").asInt())
        .containsExactly(0, 1, 2, 3);
    assertThat(envelopes)
        .extracting(e -> e.path("retry_reason").asText())
        .containsExactly("", "timeout", "timeout", "timeout");
    assertThat(envelopes)
        .extracting(e -> e.at("/payload/event_id").asText())
        .containsOnly(envelopes.get(0).at("/payload/event_id").asText());
    assertThat(envelopes).extracting(e -> e.path("envelope_id").asText()).doesNotHaveDuplicates();
  }

  @Test
  void eleventhConnection_getsTooManyWebsockets_andIsClosed() throws Exception {
    for (int i = 0; i < SocketModeServer.MAX_CONNECTIONS; i++) {
      assertThat(open().next(seconds(5)).path("type").asText()).isEqualTo("hello");
    }
    RawSocket eleventh = open();
    JsonNode frame = eleventh.next(seconds(5));
    assertThat(frame.path("type").asText()).isEqualTo("disconnect");
    assertThat(frame.path("reason").asText()).isEqualTo("too_many_websockets");
    assertThat(frame.at("/debug_info/host").asText()).isNotEmpty();
    assertThat(eleventh.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void eventWhileNoSocket_isQueued_andDeliveredAsARetry() throws Exception {
    Posts.post(slack, "alice", "while offline");
    RawSocket s = open();
    JsonNode env = s.next("events_api", seconds(5));
    assertThat(env.at("/payload/event/text").asText()).isEqualTo("while offline");
    assertThat(env.path("retry_attempt").asInt()).isPositive();
    assertThat(env.path("retry_reason").asText()).isEqualTo("timeout");
  }

  @Test
  void disconnectOnDemand_sendsReason_andDrainingSocketGetsNoEvents() throws Exception {
    RawSocket s = open();
    s.next("hello", seconds(5));
    assertThat(slack.faults().disconnectNow("slackmq-a", Faults.DisconnectReason.WARNING))
        .isEqualTo(1);
    JsonNode d = s.next("disconnect", seconds(5));
    assertThat(d.path("reason").asText()).isEqualTo("warning");
    RawSocket replacement = open();
    assertThat(replacement.next("hello", seconds(5))).isNotNull();
    Posts.post(slack, "alice", "after refresh");
    assertThat(replacement.next("events_api", seconds(5)).at("/payload/event/text").asText())
        .isEqualTo("after refresh");
    // the draining socket is closed by the server after 10 emulated seconds
    assertThat(s.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
  }
}
