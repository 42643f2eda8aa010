package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminApiTest {
  Emulator slack;
  AdminClient admin;

  @BeforeEach
  void start() {
    slack = Emulator.builder().timeScale(60).start();
    admin = new AdminClient(slack);
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void workspace_showsTokensOnlyWhenAsked() throws Exception {
    AdminClient.Reply plain = admin.get("workspace");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.json().get("apps")).hasSize(2);
    assertThat(plain.json().at("/apps/0/bot_user_id").asText())
        .isEqualTo(slack.env().get("SLACK_BOT_USER_SLACKMQ_A"));
    assertThat(plain.json().toString())
        .doesNotContain("xoxb-", "xapp-", "xoxp-", slack.env().get("SLACK_SIGNING_SECRET"));

    String secret = admin.get("workspace?secrets=true").json().toString();
    assertThat(secret)
        .contains(
            slack.env().get("SLACK_BOT_TOKEN"),
            slack.env().get("SLACK_APP_TOKEN"),
            slack.env().get("SLACK_SIGNING_SECRET"),
            slack.env().get("SLACK_USER_TOKEN_ALICE"));
  }

  @Test
  void create_teamAppUserChannelMembers_usableThroughTheSdk() throws Exception {
    AdminClient.Reply team = admin.post("teams", "{\"name\":\"Second\"}");
    assertThat(team.status()).isEqualTo(201);
    String teamId = team.json().at("/team/id").asText();
    assertThat(admin.post("teams", "{\"name\":\"Second\"}").status()).isEqualTo(409);
    assertThat(team.json().at("/team/domain").asText()).isEqualTo("second");

    AdminClient.Reply app =
        admin.post("apps", "{\"team\":\"Second\",\"name\":\"worker\",\"nonMarketplace2025\":true}");
    assertThat(app.status()).isEqualTo(201);
    String botToken = app.json().at("/app/bot_token").asText();
    assertThat(botToken).startsWith("xoxb-");
    assertThat(app.json().at("/app/team_id").asText()).isEqualTo(teamId);

    AdminClient.Reply user =
        admin.post("users", "{\"team\":\"" + teamId + "\",\"name\":\"carol\"}");
    assertThat(user.status()).isEqualTo(201);
    String userId = user.json().at("/user/id").asText();

    AdminClient.Reply channel =
        admin.post("channels", "{\"team\":\"Second\",\"name\":\"jobs\",\"members\":[\"worker\"]}");
    assertThat(channel.status()).isEqualTo(201);
    String channelId = channel.json().at("/channel/id").asText();
    AdminClient.Reply joined =
        admin.post("channels/" + channelId + "/members", "{\"users\":[\"carol\"]}");
    assertThat(joined.json().at("/channel/members").toString()).contains(userId);

    MethodsClient worker = SdkClients.methods(slack, botToken);
    assertThat(worker.authTest(q -> q).getTeamId()).isEqualTo(teamId);
    assertThat(worker.chatPostMessage(q -> q.channel(channelId).text("hi")).isOk()).isTrue();
    MethodsClient carol = SdkClients.methods(slack, user.json().at("/user/token").asText());
    assertThat(carol.conversationsHistory(q -> q.channel(channelId)).getMessages()).hasSize(1);
  }

  @Test
  void create_duplicateOrUnknownNames_answer409And404() throws Exception {
    AdminClient.Reply dupApp = admin.post("apps", "{\"name\":\"alice\"}");
    assertThat(dupApp.status()).isEqualTo(409);
    assertThat(dupApp.json().get("error").asText()).isEqualTo("name_taken");
    assertThat(dupApp.json().get("message").asText()).contains("already has a user named 'alice'");

    AdminClient.Reply dupChannel = admin.post("channels", "{\"name\":\"ops\"}");
    assertThat(dupChannel.status()).isEqualTo(409);

    AdminClient.Reply unknownMember =
        admin.post("channels", "{\"name\":\"x\",\"members\":[\"nobody\"]}");
    assertThat(unknownMember.status()).isEqualTo(404);
    assertThat(unknownMember.json().get("message").asText()).contains("no app or user 'nobody'");
    assertThat(admin.get("workspace").json().get("channels")).hasSize(1); // nothing half-created

    AdminClient.Reply unknownTeam = admin.post("users", "{\"team\":\"T404\",\"name\":\"z\"}");
    assertThat(unknownTeam.status()).isEqualTo(404);
    AdminClient.Reply unknownChannel = admin.post("channels/C404/members", "{\"user\":\"alice\"}");
    assertThat(unknownChannel.status()).isEqualTo(404);
  }

  @Test
  void badInput_clearJsonErrorsNeverAStackTrace() throws Exception {
    Map<String, String> cases =
        Map.of(
            "{\"name\":", "invalid_json",
            "[1,2]", "invalid_json",
            "", "invalid_json",
            "{\"name\":\"Big Room\"}", "invalid_request",
            "{\"name\":\"x\",\"colour\":\"red\"}", "invalid_request",
            "{\"name\":42,\"members\":\"alice\"}", "invalid_request");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      AdminClient.Reply r = admin.post("channels", c.getKey());
      assertThat(r.status()).as(c.getKey()).isEqualTo(400);
      assertThat(r.json().get("ok").asBoolean()).isFalse();
      assertThat(r.json().get("error").asText()).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(r.json().get("message").asText())
          .as(c.getKey())
          .isNotBlank()
          .doesNotContain("at io.", "Exception");
    }
    assertThat(
            admin
                .post("channels", "{\"name\":\"x\",\"colour\":\"red\"}")
                .json()
                .get("message")
                .asText())
        .contains("unknown field 'colour'");
    AdminClient.Reply unknown = admin.get("nothing-here");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).isEqualTo("unknown_endpoint");
    assertThat(admin.post("channels/C1/members", "{\"user\":7}").status()).isEqualTo(400);
  }

  @Test
  void reset_dropsContentKeepsWorkspace_statsOnlyWhenAsked() throws Exception {
    MethodsClient a = SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN"));
    String ch = slack.env().get("SLACK_CHANNEL");
    String ts = a.chatPostMessage(q -> q.channel(ch).text("job")).getTs();
    a.pinsAdd(q -> q.channel(ch).timestamp(ts));

    assertThat(admin.post("reset", "").json().get("stats_reset").asBoolean()).isFalse();
    assertThat(a.conversationsHistory(q -> q.channel(ch)).getMessages()).isEmpty();
    assertThat(a.pinsList(q -> q.channel(ch)).getItems()).isEmpty();
    assertThat(a.authTest(q -> q).isOk()).isTrue(); // tokens and channels stay
    String appId = admin.get("workspace").json().at("/apps/0/id").asText();
    assertThat(admin.get("stats").json().at("/stats/" + appId + "/chat.postMessage/calls").asInt())
        .isEqualTo(1);

    admin.post("reset?stats=true", "");
    assertThat(admin.get("stats").json().get("stats").toString()).isEqualTo("{}");
  }

  @Test
  void rateLimits_switchModesAndCustomLimitsAtRuntime() throws Exception {
    AdminClient.Reply initial = admin.get("rate-limits");
    assertThat(initial.json().get("mode").asText()).isEqualTo("slack");
    assertThat(initial.json().get("time_scale").asDouble()).isEqualTo(60.0);

    AdminClient.Reply custom =
        admin.post("rate-limits", "{\"mode\":\"custom\",\"limits\":{\"auth.test\":2}}");
    assertThat(custom.json().at("/limits/auth.test").asInt()).isEqualTo(2);
    MethodsClient a = SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN"));
    a.authTest(q -> q);
    a.authTest(q -> q);
    assertThat(refused(() -> a.authTest(q -> q))).isTrue();

    admin.post("rate-limits", "{\"mode\":\"off\"}");
    for (int i = 0; i < 20; i++) {
      assertThat(refused(() -> a.authTest(q -> q))).isFalse();
    }
    assertThat(admin.get("rate-limits").json().at("/limits/auth.test").asInt())
        .isEqualTo(2); // kept

    AdminClient.Reply bad = admin.post("rate-limits", "{\"mode\":\"fast\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("message").asText()).contains("off, slack or custom");
    assertThat(admin.post("rate-limits", "{\"mode\":\"custom\",\"limits\":{\"x\":-1}}").status())
        .isEqualTo(400);
    assertThat(admin.post("rate-limits", "{\"mode\":\"custom\",\"limits\":{\"x\":1.5}}").status())
        .isEqualTo(400);
  }

  @Test
  void apiPrefix_unknownSlackMethodStillSlackShaped() throws Exception {
    // The admin API's catch-all must not swallow /api/.
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(slack.apiUrl() + "no.such")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.get("error").asText()).isEqualTo("unknown_method");
  }

  interface Call {
    void run() throws Exception;
  }

  private static boolean refused(Call call) throws Exception {
    try {
      call.run();
      return false;
    } catch (SlackApiException e) {
      return e.getResponse().code() == 429;
    }
  }
}
