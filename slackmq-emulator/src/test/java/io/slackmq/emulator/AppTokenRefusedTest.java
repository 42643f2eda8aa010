package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An app-level token (xapp) is for Socket Mode only: every Web API data method refuses it. */
class AppTokenRefusedTest extends WebApiTestBase {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chat.postMessage",
        "chat.update",
        "chat.delete",
        "conversations.create",
        "conversations.list",
        "conversations.info",
        "conversations.join",
        "conversations.history",
        "conversations.replies",
        "pins.add",
        "pins.remove",
        "pins.list",
        "reactions.add",
        "reactions.remove",
        "reactions.get",
        "stars.add",
        "stars.remove",
        "stars.list",
        "users.info",
        "users.list",
        "bots.info"
      })
  void appToken_isNotAllowedTokenType(String method) throws Exception {
    String form =
        "channel="
            + ops
            + "&timestamp=1.000001&ts=1.000001&text=x&name=x&user="
            + userA
            + "&bot=B1";
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(slack.apiUrl() + method))
                    .header("Authorization", "Bearer " + appToken)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"ok\":false,\"error\":\"not_allowed_token_type\"}");
  }
}
