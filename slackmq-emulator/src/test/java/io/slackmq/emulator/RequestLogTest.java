package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import io.slackmq.emulator.Faults.ErrorKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request log ({@link Emulator#requests()}, {@link Emulator#takeRequest}) and reset. */
class RequestLogTest {
  Emulator slack;

  @AfterEach
  void stop() {
    if (slack != null) {
      slack.close();
    }
  }

  private MethodsClient client(String envKey) {
    return SdkClients.methods(slack, slack.env().get(envKey));
  }

  @Test
  void requests_recordMethodParamsCallerAndAnswer_neverTheToken() throws Exception {
    slack = Emulator.builder().noRateLimits().start();
    String ops = slack.env().get("SLACK_CHANNEL_OPS");
    client("SLACK_BOT_TOKEN_SLACKMQ_A").chatPostMessage(r -> r.channel(ops).text("hi"));
    client("SLACK_USER_TOKEN_ALICE").pinsAdd(r -> r.channel(ops).timestamp("1.000001"));
    // A token as a form parameter, and one the workspace does not know.
    HttpResponse<String> raw =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(slack.apiUrl() + "auth.test"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=xoxb-not-a-token"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(raw.body()).contains("invalid_auth");

    assertThat(slack.requests())
        .extracting(RecordedRequest::toString)
        .containsExactly(
            "chat.postMessage by slackmq-a: ok",
            "pins.add by alice: message_not_found",
            "auth.test by (no valid token): invalid_auth");
    RecordedRequest post = slack.requests().get(0);
    assertThat(post.param("channel")).isEqualTo(ops);
    assertThat(post.param("text")).isEqualTo("hi");
    assertThat(post.status()).isEqualTo(200);
    assertThat(post.ok()).isTrue();
    assertThat(post.error()).isNull();
    RecordedRequest auth = slack.requests().get(2);
    assertThat(auth.param("token")).isEqualTo(RecordedRequest.MASKED);
    assertThat(slack.requests().toString()).doesNotContain("xoxb-", "xoxp-");
  }

  @Test
  void requests_rateLimitedAndFaultedCalls_carryStatusAndError() throws Exception {
    slack =
        Emulator.builder()
            .rateLimit("auth.test", 1)
            .faults(f -> f.errorRate("api.test", ErrorKind.HTTP_500, 1.0))
            .start();
    MethodsClient bot = client("SLACK_BOT_TOKEN_SLACKMQ_A");
    bot.authTest(r -> r);
    assertThatThrownBy(() -> bot.authTest(r -> r)).isInstanceOf(SlackApiException.class);
    assertThatThrownBy(() -> bot.apiTest(r -> r)).isInstanceOf(SlackApiException.class);

    assertThat(slack.requests())
        .extracting(RecordedRequest::status, RecordedRequest::error)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(200, null),
            org.assertj.core.groups.Tuple.tuple(429, "ratelimited"),
            org.assertj.core.groups.Tuple.tuple(500, "internal_error"));
  }

  @Test
  void takeRequest_waitsForACallMadeLater_andHandsEachOutOnce() throws Exception {
    slack = Emulator.builder().noRateLimits().start();
    MethodsClient bot = client("SLACK_BOT_TOKEN_SLACKMQ_A");
    bot.apiTest(r -> r);

    CompletableFuture<RecordedRequest> taken =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return slack.takeRequest("auth.test", Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(taken).isNotDone(); // nothing of auth.test yet (api.test is another method)
    bot.authTest(r -> r);

    assertThat(taken.get(10, TimeUnit.SECONDS).method()).isEqualTo("auth.test");
    assertThat(slack.takeRequest("api.test", Duration.ZERO)).isNotNull();
    // Both are handed out: a second take finds nothing, while requests() still lists them.
    assertThat(slack.takeRequest("auth.test", Duration.ofMillis(50))).isNull();
    assertThat(slack.takeRequest("api.test", Duration.ZERO)).isNull();
    assertThat(slack.requests()).hasSize(2);
  }

  @Test
  void log_keepsTheNewestCallsWithinItsCapacity() {
    RequestLog log = new RequestLog(3);
    for (int i = 0; i < 5; i++) {
      log.record("m" + i, Map.of(), null, 200, null);
    }
    assertThat(log.all()).extracting(RecordedRequest::method).containsExactly("m2", "m3", "m4");
    assertThat(log.dropped()).isEqualTo(2);
    log.clear();
    assertThat(log.all()).isEmpty();
    assertThat(log.dropped()).isZero();
  }

  @Test
  void reset_clearsContentFaultsLimitsAndLog_keepsTokensAndIds() throws Exception {
    slack =
        Emulator.builder()
            .rateLimit("auth.test", 1)
            .faults(f -> f.errorRate("api.test", ErrorKind.INTERNAL_ERROR, 1.0))
            .start();
    Map<String, String> before = slack.env();
    String ops = before.get("SLACK_CHANNEL_OPS");
    MethodsClient bot = client("SLACK_BOT_TOKEN_SLACKMQ_A");
    String ts = bot.chatPostMessage(r -> r.channel(ops).text("old")).getTs();
    bot.pinsAdd(r -> r.channel(ops).timestamp(ts));
    bot.authTest(r -> r);
    assertThatThrownBy(() -> bot.authTest(r -> r)).isInstanceOf(SlackApiException.class);
    slack.faults().errorRate("auth.test", ErrorKind.FATAL_ERROR, 1.0); // added during the test

    slack.reset();

    assertThat(slack.requests()).isEmpty();
    assertThat(slack.env()).isEqualTo(before);
    assertThat(bot.conversationsHistory(r -> r.channel(ops)).getMessages()).isEmpty();
    assertThat(bot.pinsList(r -> r.channel(ops)).getItems()).isEmpty();
    // The bucket is full again and the test's own fault is gone; the builder's fault is back.
    assertThat(bot.authTest(r -> r).isOk()).isTrue();
    assertThat(bot.apiTest(r -> r).getError()).isEqualTo("internal_error");
    assertThat(slack.requests()).extracting(RecordedRequest::method).doesNotContain("pins.add");
  }

  @Test
  void socketModeConnections_unknownApp_isRefusedByName() {
    slack = Emulator.builder().noRateLimits().start();
    assertThat(slack.socketModeConnections("slackmq-a")).isZero();
    assertThatThrownBy(() -> slack.socketModeConnections("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown app nope");
  }
}
