package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.Message;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message metadata as Slack keeps it (SLACK-FACTS 13), through the official SDK: stored on post and
 * update, returned whole only with include_all_metadata, and a malformed argument answered with
 * Slack's error, never a 500.
 */
class MessageMetadataTest {
  private static Emulator slack;
  private static String channel;
  private static String botToken;
  private static MethodsClient bot;

  @BeforeAll
  static void start() {
    slack = Emulator.builder().noRateLimits().start();
    Map<String, String> env = slack.env();
    channel = env.get("SLACK_CHANNEL");
    botToken = env.get("SLACK_BOT_TOKEN_SLACKMQ_A");
    bot = SdkClients.methods(slack, botToken);
  }

  @AfterAll
  static void stop() {
    slack.close();
  }

  private static Message.Metadata claim() {
    return Message.Metadata.builder()
        .eventType("slackmq_claim")
        .eventPayload(Map.of("claim", "abcdefgh12345678", "worker", "w1", "ttl_ms", 60000))
        .build();
  }

  private static Message reply(String parent, boolean all) throws Exception {
    var r = bot.conversationsReplies(q -> q.channel(channel).ts(parent).includeAllMetadata(all));
    assertThat(r.isOk()).as(r.getError()).isTrue();
    return r.getMessages().get(1);
  }

  @Test
  void metadata_storedOnPost_wholeOnlyWithIncludeAllMetadata() throws Exception {
    String parent = bot.chatPostMessage(q -> q.channel(channel).text("deploy web-7")).getTs();
    var posted =
        bot.chatPostMessage(
            q -> q.channel(channel).threadTs(parent).text(":lock: claimed").metadata(claim()));
    assertThat(posted.isOk()).as(posted.getError()).isTrue();
    Message all = reply(parent, true);
    assertThat(all.getMetadata().getEventType()).isEqualTo("slackmq_claim");
    assertThat(all.getMetadata().getEventPayload())
        .containsEntry("claim", "abcdefgh12345678")
        .containsEntry("worker", "w1");
    assertThat(((Number) all.getMetadata().getEventPayload().get("ttl_ms")).longValue())
        .isEqualTo(60000);
    Message typeOnly = reply(parent, false);
    assertThat(typeOnly.getMetadata().getEventType()).isEqualTo("slackmq_claim");
    assertThat(typeOnly.getMetadata().getEventPayload()).isNullOrEmpty();
  }

  @Test
  void update_withoutMetadataKeepsIt_anEmptyObjectRemovesIt() throws Exception {
    String parent = bot.chatPostMessage(q -> q.channel(channel).text("deploy web-8")).getTs();
    String ts =
        bot.chatPostMessage(q -> q.channel(channel).threadTs(parent).text("c").metadata(claim()))
            .getTs();
    assertThat(bot.chatUpdate(q -> q.channel(channel).ts(ts).text("edited")).isOk()).isTrue();
    assertThat(reply(parent, true).getMetadata().getEventType()).isEqualTo("slackmq_claim");
    JsonNode removed = post("chat.update", "ts=" + ts + "&text=again&metadata=%7B%7D");
    assertThat(removed.path("ok").asBoolean()).as(removed.toString()).isTrue();
    assertThat(reply(parent, true).getMetadata()).isNull();
  }

  @Test
  void malformedMetadata_isSlacksError_neverA500() throws Exception {
    assertThat(error("not json")).isEqualTo("invalid_metadata_format");
    assertThat(error("[1,2]")).isEqualTo("invalid_metadata_format");
    assertThat(error("{\"event_type\":\"x\"}")).isEqualTo("invalid_metadata_schema");
    assertThat(error("{\"event_type\":\"x\",\"event_payload\":{\"a\":{\"b\":1}}}"))
        .isEqualTo("invalid_metadata_schema");
    assertThat(error("{\"event_type\":\"bad type!\",\"event_payload\":{}}"))
        .isEqualTo("invalid_metadata_schema");
    assertThat(
            error("{\"event_type\":\"x\",\"event_payload\":{\"a\":\"" + "y".repeat(9000) + "\"}}"))
        .isEqualTo("metadata_too_large");
  }

  private static String error(String metadata) throws Exception {
    JsonNode r =
        post(
            "chat.postMessage",
            "text=hi&metadata=" + URLEncoder.encode(metadata, StandardCharsets.UTF_8));
    assertThat(r.path("ok").asBoolean()).isFalse();
    return r.path("error").asText();
  }

  private static JsonNode post(String method, String form) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(slack.apiUrl() + method))
                    .header("Authorization", "Bearer " + botToken)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("channel=" + channel + "&" + form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }
}
