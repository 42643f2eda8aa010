package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.slack.api.methods.MethodsClient;
import com.slack.api.model.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real Slack's weak consistency on the local Slack (read lag per reader, lost and duplicated posts,
 * late events), seen through the official SDK, and the pure parts on their own.
 */
class ConsistencyFaultsTest {

  private static List<String> texts(MethodsClient reader, String channel) throws Exception {
    var r = reader.conversationsHistory(q -> q.channel(channel).limit(100));
    assertThat(r.isOk()).as(r.getError()).isTrue();
    return r.getMessages().stream().map(Message::getText).toList();
  }

  @Test
  void readLag_aNewMessageReachesOtherReadersLater_andThePosterAtOnceUnlessSwitchedOff()
      throws Exception {
    try (Emulator slack =
        Emulator.builder()
            .noRateLimits()
            .faults(f -> f.readLag(Duration.ofSeconds(2), Duration.ofSeconds(2), uniform()))
            .start()) {
      Map<String, String> env = slack.env();
      String ch = env.get("SLACK_CHANNEL");
      MethodsClient alice = SdkClients.methods(slack, env.get("SLACK_USER_TOKEN_ALICE"));
      MethodsClient bot = SdkClients.methods(slack, env.get("SLACK_BOT_TOKEN_SLACKMQ_A"));
      String ts = alice.chatPostMessage(q -> q.channel(ch).text("deploy web-7")).getTs();
      assertThat(texts(alice, ch)).contains("deploy web-7"); // her own write, at once
      assertThat(texts(bot, ch)).doesNotContain("deploy web-7");
      var replies = bot.conversationsReplies(q -> q.channel(ch).ts(ts));
      assertThat(replies.getError()).isEqualTo("thread_not_found");
      var reactions = bot.reactionsGet(q -> q.channel(ch).timestamp(ts));
      assertThat(reactions.getError()).isEqualTo("message_not_found");
      await().atMost(Duration.ofSeconds(10)).until(() -> texts(bot, ch).contains("deploy web-7"));

      slack.faults().ownWritesVisible(false);
      alice.chatPostMessage(q -> q.channel(ch).text("deploy web-8"));
      assertThat(texts(alice, ch)).doesNotContain("deploy web-8");
      await().atMost(Duration.ofSeconds(10)).until(() -> texts(alice, ch).contains("deploy web-8"));

      slack.faults().clear();
      alice.chatPostMessage(q -> q.channel(ch).text("deploy web-9"));
      assertThat(texts(bot, ch)).contains("deploy web-9"); // off again: linearizable
    }
  }

  @Test
  void lag_isFixedPerReaderAndMessage_readersSeeDifferentPrefixes_andLaterBeforeEarlier() {
    ConsistencyFaults c = new ConsistencyFaults(new FaultStreams(42), 1.0);
    long max = 1_000_000;
    c.readLag(0, max, Faults.LagDistribution.UNIFORM);
    assertThat(c.lagMicros("U1", "C1", 100, max)).isEqualTo(c.lagMicros("U1", "C1", 100, max));
    boolean readersDiffer = false;
    boolean laterFirst = false;
    for (long ts = 1; ts < 200; ts++) {
      long a = c.lagMicros("UA", "C1", ts, max);
      long b = c.lagMicros("UB", "C1", ts, max);
      assertThat(a).isBetween(0L, max);
      readersDiffer |= a != b;
      // ts+1 becomes visible to UA before ts does: a later message first.
      laterFirst |= ts + 1 + c.lagMicros("UA", "C1", ts + 1, max) < ts + a;
    }
    assertThat(readersDiffer).isTrue();
    assertThat(laterFirst).isTrue();
    c.readLag(0, max, Faults.LagDistribution.EXPONENTIAL);
    long sum = 0;
    for (long ts = 1; ts <= 1000; ts++) {
      sum += c.lagMicros("UA", "C1", ts, max);
    }
    assertThat(sum / 1000).as("exponential: mostly short").isLessThan(max / 3);
  }

  @Test
  void lostPosts_answeredOkWithATs_butStoredNowhere() throws Exception {
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      Map<String, String> env = slack.env();
      String ch = env.get("SLACK_CHANNEL");
      MethodsClient alice = SdkClients.methods(slack, env.get("SLACK_USER_TOKEN_ALICE"));
      slack.faults().lostPosts(1.0);
      var r = alice.chatPostMessage(q -> q.channel(ch).text("vanishes"));
      assertThat(r.isOk()).isTrue();
      assertThat(r.getTs()).isNotBlank();
      assertThat(r.getMessage().getText()).isEqualTo("vanishes");
      slack.faults().clear();
      assertThat(texts(alice, ch)).doesNotContain("vanishes");
      var react = alice.reactionsAdd(q -> q.channel(ch).timestamp(r.getTs()).name("eyes"));
      assertThat(react.getError()).isEqualTo("message_not_found");
    }
  }

  @Test
  void lostPostsAboveBurst_onlyTheBurstIsStored() throws Exception {
    try (Emulator slack =
        Emulator.builder().noRateLimits().faults(f -> f.lostPostsAboveBurst(2)).start()) {
      Map<String, String> env = slack.env();
      String ch = env.get("SLACK_CHANNEL");
      MethodsClient alice = SdkClients.methods(slack, env.get("SLACK_USER_TOKEN_ALICE"));
      for (int i = 0; i < 6; i++) {
        int k = i;
        assertThat(alice.chatPostMessage(q -> q.channel(ch).text("burst " + k)).isOk()).isTrue();
      }
      long stored = texts(alice, ch).stream().filter(t -> t.startsWith("burst ")).count();
      assertThat(stored).as("2 per second; six posts span at most two seconds").isBetween(2L, 4L);
    }
  }

  @Test
  void duplicatePosts_oneCallStoresTwoMessagesWithTwoTs() throws Exception {
    try (Emulator slack =
        Emulator.builder().noRateLimits().faults(f -> f.duplicatePosts(1.0)).start()) {
      Map<String, String> env = slack.env();
      String ch = env.get("SLACK_CHANNEL");
      MethodsClient alice = SdkClients.methods(slack, env.get("SLACK_USER_TOKEN_ALICE"));
      String ts = alice.chatPostMessage(q -> q.channel(ch).text("twice")).getTs();
      var r = alice.conversationsHistory(q -> q.channel(ch).limit(100));
      List<Message> copies =
          r.getMessages().stream().filter(m -> "twice".equals(m.getText())).toList();
      assertThat(copies).hasSize(2);
      assertThat(copies).extracting(Message::getTs).contains(ts).doesNotHaveDuplicates();
    }
  }

  @Test
  void lateEvents_someEventsAreHeldBackUpToTheMax() {
    EventFaults e = new EventFaults(new FaultStreams(3));
    e.late(0.5, 1_000);
    int late = 0;
    for (int i = 0; i < 200; i++) {
      long d = e.nextDelayMillis();
      assertThat(d).isBetween(0L, 1_000L);
      late += d > 0 ? 1 : 0;
    }
    assertThat(late).isBetween(60, 140);
  }

  @Test
  void json_roundTripsTheConsistencyFaults_andRefusesAnUnknownDistribution() {
    Faults f = new Faults(9);
    f.configure(
        "{\"consistency\":{\"readLagMinMillis\":10,\"readLagMaxMillis\":500,"
            + "\"readLagDistribution\":\"exponential\",\"ownWritesVisible\":false,"
            + "\"lostPostRate\":0.1,\"lostPostBurstPerSecond\":3,\"duplicatePostRate\":0.2},"
            + "\"events\":{\"lateRate\":0.3,\"lateMaxMillis\":2000}}");
    String json = f.toJson().toString();
    assertThat(json)
        .contains("\"readLagMinMillis\":10", "\"readLagMaxMillis\":500")
        .contains("\"readLagDistribution\":\"exponential\"", "\"ownWritesVisible\":false")
        .contains("\"lostPostRate\":0.1", "\"lostPostBurstPerSecond\":3")
        .contains("\"duplicatePostRate\":0.2", "\"lateRate\":0.3", "\"lateMaxMillis\":2000");
    assertThatThrownBy(
            () -> f.configure("{\"consistency\":{\"readLagDistribution\":\"gaussian\"}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uniform or exponential");
    assertThatThrownBy(() -> f.readLag(Duration.ofSeconds(2), Duration.ofSeconds(1), uniform()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Faults.LagDistribution uniform() {
    return Faults.LagDistribution.UNIFORM;
  }
}
