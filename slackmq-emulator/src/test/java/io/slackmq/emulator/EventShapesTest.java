package io.slackmq.emulator;

import static io.slackmq.emulator.RawSocket.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.methods.MethodsClient;
import io.slackmq.emulator.Mutation.AppUpdated;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The inner events (SLACK-FACTS section 9) as app A's socket receives them. */
class EventShapesTest {
  static Emulator slack;
  static RawSocket socket;
  static MethodsClient alice;
  static MethodsClient botB;
  static String ch;
  static String aliceId;
  static String botUserA;

  @BeforeAll
  static void start() throws Exception {
    slack = Emulator.builder().noRateLimits().timeScale(60).start();
    socket = RawSocket.open(slack, slack.env().get("SLACK_APP_TOKEN_SLACKMQ_A"));
    assertThat(socket.next("hello", seconds(5))).isNotNull();
    alice = SdkClients.methods(slack, slack.env().get("SLACK_USER_TOKEN_ALICE"));
    botB = SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN_SLACKMQ_B"));
    ch = slack.env().get("SLACK_CHANNEL");
    aliceId = slack.env().get("SLACK_USER_ID_ALICE");
    botUserA = slack.env().get("SLACK_BOT_USER_SLACKMQ_A");
  }

  @AfterAll
  static void stop() {
    socket.close();
    slack.close();
  }

  /** Acks envelopes until one whose event matches; returns that event. */
  static JsonNode event(Predicate<JsonNode> match) throws Exception {
    while (true) {
      JsonNode env = socket.next("events_api", seconds(5));
      assertThat(env).as("no matching event").isNotNull();
      socket.ack(env);
      JsonNode event = env.at("/payload/event");
      if (match.test(event)) {
        return event;
      }
    }
  }

  static Predicate<JsonNode> type(String type) {
    return e -> e.path("type").asText().equals(type) && !e.has("subtype");
  }

  static Predicate<JsonNode> text(String text) {
    return e -> e.path("text").asText().equals(text);
  }

  @Test
  void threadReply_carriesThreadTsAndParentUserId() throws Exception {
    String parent = alice.chatPostMessage(r -> r.channel(ch).text("parent")).getTs();
    alice.chatPostMessage(r -> r.channel(ch).text("reply").threadTs(parent));
    JsonNode reply = event(text("reply"));
    assertThat(reply.path("thread_ts").asText()).isEqualTo(parent);
    assertThat(reply.path("parent_user_id").asText()).isEqualTo(aliceId);
    assertThat(reply.path("channel_type").asText()).isEqualTo("channel");
  }

  @Test
  void botMessage_carriesBotIdAndBotProfile() throws Exception {
    botB.chatPostMessage(r -> r.channel(ch).text("from b"));
    JsonNode msg = event(text("from b"));
    assertThat(msg.path("bot_id").asText()).startsWith("B");
    assertThat(msg.path("bot_profile").path("id").asText()).isEqualTo(msg.path("bot_id").asText());
    assertThat(msg.path("event_ts").asText()).isEqualTo(msg.path("ts").asText());
  }

  @Test
  void mention_givesAppMentionAsWellAsMessage() throws Exception {
    String text = "<@" + botUserA + "> deploy";
    alice.chatPostMessage(r -> r.channel(ch).text(text));
    JsonNode mention = event(e -> e.path("type").asText().equals("app_mention"));
    assertThat(mention.path("text").asText()).isEqualTo(text);
    assertThat(mention.path("user").asText()).isEqualTo(aliceId);
    assertThat(mention.path("channel").asText()).isEqualTo(ch);
  }

  @Test
  void updateAndDelete_giveMessageChangedAndMessageDeleted() throws Exception {
    String ts = alice.chatPostMessage(r -> r.channel(ch).text("v1")).getTs();
    alice.chatUpdate(r -> r.channel(ch).ts(ts).text("v2"));
    JsonNode changed = event(e -> e.path("subtype").asText().equals("message_changed"));
    assertThat(changed.path("hidden").asBoolean()).isTrue();
    assertThat(changed.at("/message/text").asText()).isEqualTo("v2");
    assertThat(changed.at("/message/ts").asText()).isEqualTo(ts);
    assertThat(changed.at("/message/edited/user").asText()).isEqualTo(aliceId);
    alice.chatDelete(r -> r.channel(ch).ts(ts));
    JsonNode deleted = event(e -> e.path("subtype").asText().equals("message_deleted"));
    assertThat(deleted.path("deleted_ts").asText()).isEqualTo(ts);
    assertThat(deleted.path("hidden").asBoolean()).isTrue();
  }

  @Test
  void pinsAndReactions_giveTheirEvents() throws Exception {
    String ts = alice.chatPostMessage(r -> r.channel(ch).text("lock me")).getTs();
    String userB = slack.env().get("SLACK_BOT_USER_SLACKMQ_B");
    assertThat(botB.pinsAdd(r -> r.channel(ch).timestamp(ts)).isOk()).isTrue();
    JsonNode pin = event(type("pin_added"));
    assertThat(pin.path("user").asText()).isEqualTo(userB);
    assertThat(pin.path("channel_id").asText()).isEqualTo(ch);
    assertThat(pin.at("/item/message/ts").asText()).isEqualTo(ts);
    assertThat(pin.path("item_user").asText()).isEqualTo(aliceId);
    botB.pinsRemove(r -> r.channel(ch).timestamp(ts));
    assertThat(event(type("pin_removed")).at("/item/message/ts").asText()).isEqualTo(ts);

    botB.reactionsAdd(r -> r.channel(ch).timestamp(ts).name("eyes"));
    JsonNode reaction = event(type("reaction_added"));
    assertThat(reaction.path("reaction").asText()).isEqualTo("eyes");
    assertThat(reaction.path("item_user").asText()).isEqualTo(aliceId);
    assertThat(reaction.at("/item/ts").asText()).isEqualTo(ts);
    assertThat(reaction.at("/item/channel").asText()).isEqualTo(ch);
    botB.reactionsRemove(r -> r.channel(ch).timestamp(ts).name("eyes"));
    assertThat(event(type("reaction_removed")).path("reaction").asText()).isEqualTo("eyes");
  }

  @Test
  void subscriptionsAndScopes_decideWhatAnAppReceives() throws Exception {
    Workspace ws = slack.workspace();
    App a = ws.locked(() -> ws.app(slack.env().get("SLACK_APP_ID_SLACKMQ_A")));
    List<String> events = a.events();
    List<String> scopes = a.botScopes();
    try {
      // Subscribed to pins but without pins:read; not subscribed to messages.
      ws.commit(
          new AppUpdated(
              a.id,
              null,
              List.of("pin_added", "reaction_added"),
              scopes.stream().filter(s -> !s.equals("pins:read")).toList(),
              false));
      String ts = alice.chatPostMessage(r -> r.channel(ch).text("quiet")).getTs();
      botB.pinsAdd(r -> r.channel(ch).timestamp(ts));
      botB.reactionsAdd(r -> r.channel(ch).timestamp(ts).name("ok_hand"));
      JsonNode only = event(e -> true);
      assertThat(only.path("type").asText()).isEqualTo("reaction_added");
      assertThat(socket.next("events_api", Duration.ofMillis(500))).isNull();
    } finally {
      ws.commit(new AppUpdated(a.id, null, events, scopes, false));
    }
  }
}
