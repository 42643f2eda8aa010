package io.slackmq.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.socket_mode.SocketModeClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Socket Mode helpers, with the SDK's own client (Tyrus backend). */
class SocketModeHelperTest {
  @RegisterExtension
  static LocalSlackExtension slack = LocalSlackExtension.builder().timeScale(60).build();

  @Test
  void socketModeClient_connected_receivesWhatAPersonPosts() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    try (SocketModeClient client = slack.socketModeClient("slackmq-a")) {
      client.addEventsApiEnvelopeListener(
          envelope -> {
            client.sendSocketModeResponse(
                com.slack.api.socket_mode.response.AckResponse.builder()
                    .envelopeId(envelope.getEnvelopeId())
                    .build());
            received.add(envelope.getPayload().toString());
          });
      client.connect();
      slack.awaitSocketMode("slackmq-a");
      assertThat(slack.socketModeConnections("slackmq-a")).isEqualTo(1);

      String ts = slack.post("hello over the socket");

      String event = received.poll(10, TimeUnit.SECONDS);
      assertThat(event).contains("hello over the socket").contains(ts);
      assertThat(slack.requests("apps.connections.open")).hasSize(1);
    }
  }

  @Test
  void awaitSocketMode_noClient_failsNamingTheApp() {
    assertThatThrownBy(() -> slack.awaitSocketMode("slackmq-b", Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("app slackmq-b has no Socket Mode connection after 100 ms");
  }
}
