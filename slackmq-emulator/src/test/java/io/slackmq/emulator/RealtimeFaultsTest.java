package io.slackmq.emulator;

import static io.slackmq.emulator.RawSocket.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Socket and event-delivery faults: observable, and the same under the same seed. */
class RealtimeFaultsTest {

  private static Emulator start(long seed, Consumer<Faults> faults) {
    return Emulator.builder().noRateLimits().timeScale(60).seed(seed).faults(faults).start();
  }

  private static void post(Emulator slack, String text) throws Exception {
    assertThat(
            SdkClients.methods(slack, slack.env().get("SLACK_USER_TOKEN_ALICE"))
                .chatPostMessage(q -> q.channel(slack.env().get("SLACK_CHANNEL")).text(text))
                .isOk())
        .isTrue();
  }

  /** Posts 20 messages and returns, per message, how many envelopes carried it. */
  private static List<Integer> duplicatePattern(long seed) throws Exception {
    try (Emulator slack = start(seed, f -> f.duplicateEvents(0.5));
        RawSocket s = RawSocket.open(slack, slack.env().get("SLACK_APP_TOKEN"))) {
      s.autoAck = true;
      s.next("hello", seconds(5));
      Map<Integer, List<JsonNode>> byMessage = new TreeMap<>();
      for (int i = 0; i < 20; i++) {
        post(slack, Integer.toString(i));
        byMessage.put(i, new ArrayList<>());
      }
      // Fault draws and counters happen at commit, so once the posts returned the emulator
      // knows how many envelopes are on their way: wait for exactly those, not for silence.
      JsonNode counters =
          slack.realtime().delivery.toJson().path(slack.env().get("SLACK_APP_ID_SLACKMQ_A"));
      assertThat(counters.path("events").asLong()).isEqualTo(20);
      long expected = counters.path("events").asLong() + counters.path("duplicated").asLong();
      for (long n = 0; n < expected; n++) {
        JsonNode env = s.next("events_api", seconds(10));
        assertThat(env).as("envelope %d of %d", n + 1, expected).isNotNull();
        byMessage.get(env.at("/payload/event/text").asInt()).add(env);
      }
      for (List<JsonNode> copies : byMessage.values()) {
        assertThat(copies)
            .extracting(e -> e.at("/payload/event_id").asText())
            .containsOnly(copies.get(0).at("/payload/event_id").asText());
        assertThat(copies).extracting(e -> e.path("envelope_id").asText()).doesNotHaveDuplicates();
      }
      return byMessage.values().stream().map(List::size).toList();
    }
  }

  @Test
  void duplicateEvents_sameSeed_sameEventsDuplicated() throws Exception {
    List<Integer> first = duplicatePattern(7);
    assertThat(first).contains(1, 2).containsOnly(1, 2);
    assertThat(duplicatePattern(7)).isEqualTo(first);
  }

  @Test
  void delayEvents_holdsTheFirstAttempt() throws Exception {
    try (Emulator slack = start(1, f -> f.delayEvents(Duration.ofMillis(600), Duration.ZERO));
        RawSocket s = RawSocket.open(slack, slack.env().get("SLACK_APP_TOKEN"))) {
      s.next("hello", seconds(5));
      long start = System.nanoTime();
      post(slack, "late");
      JsonNode env = s.next("events_api", seconds(5));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(600));
      assertThat(env.path("retry_attempt").asInt()).isZero();
    }
  }

  /** Ten connection attempts: which were refused. */
  private static List<Boolean> refusals(long seed) throws Exception {
    try (Emulator slack = start(seed, f -> f.refuseConnections(0.5))) {
      List<Boolean> refused = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        var r =
            SdkClients.methods(slack, slack.env().get("SLACK_APP_TOKEN"))
                .appsConnectionsOpen(q -> q);
        try (RawSocket s = RawSocket.connect(r.getUrl())) {
          refused.add(false);
        } catch (java.util.concurrent.CompletionException e) {
          refused.add(true);
        }
      }
      return refused;
    }
  }

  @Test
  void refuseConnections_sameSeed_sameAttemptsRefused() throws Exception {
    List<Boolean> first = refusals(3);
    assertThat(first).contains(true, false);
    assertThat(refusals(3)).isEqualTo(first);
  }

  @Test
  void dropConnections_closesWithoutCloseFrame_andTheEventIsRetriedOnTheNextSocket()
      throws Exception {
    try (Emulator slack = start(1, f -> f.dropConnections(1.0));
        RawSocket s = RawSocket.open(slack, slack.env().get("SLACK_APP_TOKEN"))) {
      s.next("hello", seconds(5));
      post(slack, "dropped");
      assertThat(s.closed.get(5, TimeUnit.SECONDS)).isNotEqualTo(1000); // abnormal: no close frame
      slack.faults().dropConnections(0);
      try (RawSocket again = RawSocket.open(slack, slack.env().get("SLACK_APP_TOKEN"))) {
        JsonNode env = again.next("events_api", seconds(5));
        assertThat(env.at("/payload/event/text").asText()).isEqualTo("dropped");
        assertThat(env.path("retry_attempt").asInt()).isPositive();
      }
    }
  }

  @Test
  void disconnectEvery_refreshesEachConnectionOnSchedule() throws Exception {
    try (Emulator slack =
        start(
            1,
            f ->
                f.disconnectEvery(
                    Duration.ofSeconds(30), Faults.DisconnectReason.REFRESH_REQUESTED))) {
      long start = System.nanoTime();
      RawSocket s = RawSocket.open(slack, slack.env().get("SLACK_APP_TOKEN"));
      JsonNode hello = s.next("hello", seconds(5));
      assertThat(hello.at("/debug_info/approximate_connection_time").asLong()).isEqualTo(30);
      JsonNode d = s.next("disconnect", seconds(5)); // 30 emulated s = 0.5 s real
      assertThat(d.path("reason").asText()).isEqualTo("refresh_requested");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(500));
      s.close();
    }
  }
}
