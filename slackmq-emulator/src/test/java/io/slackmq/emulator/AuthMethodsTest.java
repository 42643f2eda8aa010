package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.response.api.ApiTestResponse;
import com.slack.api.methods.response.auth.AuthTestResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthMethodsTest {
  static Emulator slack;

  @BeforeAll
  static void start() {
    slack = Emulator.builder().noRateLimits().start();
  }

  @AfterAll
  static void stop() {
    slack.close();
  }

  @Test
  void authTest_botToken_namesTeamUserAndBot() throws Exception {
    AuthTestResponse r =
        SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN")).authTest(q -> q);
    assertThat(r.isOk()).isTrue();
    assertThat(r.getTeamId()).isEqualTo(slack.env().get("SLACK_TEAM_ID"));
    assertThat(r.getUserId()).isEqualTo(slack.env().get("SLACK_BOT_USER_SLACKMQ_A"));
    assertThat(r.getBotId()).startsWith("B");
  }

  @Test
  void env_namesTheTimeScale_soThatClientsPaceAtTheLocalSlacksRate() {
    assertThat(slack.env()).containsEntry("SLACK_TIME_SCALE", "1");
    try (Emulator fast = Emulator.builder().noRateLimits().timeScale(60).start()) {
      assertThat(fast.env()).containsEntry("SLACK_TIME_SCALE", "60");
    }
    try (Emulator odd = Emulator.builder().noRateLimits().timeScale(2.5).start()) {
      assertThat(odd.env()).containsEntry("SLACK_TIME_SCALE", "2.5");
    }
  }

  @Test
  void authTest_userToken_hasNoBotId() throws Exception {
    AuthTestResponse r =
        SdkClients.methods(slack, slack.env().get("SLACK_USER_TOKEN_ALICE")).authTest(q -> q);
    assertThat(r.isOk()).isTrue();
    assertThat(r.getUser()).isEqualTo("alice");
    assertThat(r.getBotId()).isNull();
  }

  @Test
  void authTest_unknownToken_isInvalidAuth() throws Exception {
    AuthTestResponse r = SdkClients.methods(slack, "xoxb-nope").authTest(q -> q);
    assertThat(r.isOk()).isFalse();
    assertThat(r.getError()).isEqualTo("invalid_auth");
  }

  @Test
  void authTest_noToken_isNotAuthed() throws Exception {
    // The SDK always sends some Authorization header, so this one goes over plain HTTP.
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(slack.apiUrl() + "auth.test"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"ok\":false,\"error\":\"not_authed\"}");
  }

  @Test
  void apiTest_echoesArgsAndErrors() throws Exception {
    ApiTestResponse r = SdkClients.slack(slack).methods().apiTest(q -> q.foo("bar"));
    assertThat(r.isOk()).isTrue();
    assertThat(r.getArgs().getFoo()).isEqualTo("bar");
    ApiTestResponse e = SdkClients.slack(slack).methods().apiTest(q -> q.error("my_error"));
    assertThat(e.getError()).isEqualTo("my_error");
  }
}
