package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.app_backend.SlackSignature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slackmq.emulator.Mutation.AppUpdated;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Events API over HTTP, received by a plain HTTP server that verifies with the SDK's verifier.
 */
class EventsApiHttpTest {
  /** One request as the receiver saw it. */
  record Received(JsonNode body, String retryNum, String retryReason, boolean signatureValid) {}

  /** What the receiver answers to the n-th event request (0-based): status, extra header, delay. */
  record Answer(int status, boolean noRetry, long delayMillis) {}

  private final Emulator slack = Emulator.builder().noRateLimits().timeScale(60).start();
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private HttpServer receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
    slack.close();
  }

  private String startReceiver(Function<Integer, Answer> answers) throws Exception {
    SlackSignature.Verifier verifier =
        new SlackSignature.Verifier(
            new SlackSignature.Generator(slack.env().get("SLACK_SIGNING_SECRET_SLACKMQ_B")));
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    receiver.createContext(
        "/slack/events",
        (HttpExchange ex) -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          var h = ex.getRequestHeaders();
          boolean valid =
              verifier.isValid(
                  h.getFirst("X-Slack-Request-Timestamp"), body, h.getFirst("X-Slack-Signature"));
          JsonNode json = Json.MAPPER.readTree(body);
          if (json.path("type").asText().equals("url_verification")) {
            byte[] challenge = json.path("challenge").asText().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(valid ? 200 : 401, challenge.length);
            ex.getResponseBody().write(challenge);
            ex.close();
            return;
          }
          received.add(
              new Received(
                  json,
                  h.getFirst("X-Slack-Retry-Num"),
                  h.getFirst("X-Slack-Retry-Reason"),
                  valid));
          Answer a = answers.apply(n.getAndIncrement());
          try {
            Thread.sleep(a.delayMillis()); // the receiver being slow is the point of the test
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (a.noRetry()) {
            ex.getResponseHeaders().add("X-Slack-No-Retry", "1");
          }
          ex.sendResponseHeaders(a.status(), -1);
          ex.close();
        });
    receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/slack/events";
    slack.requestUrl("slackmq-b", url);
    return url;
  }

  private void post(String text) throws Exception {
    assertThat(
            SdkClients.methods(slack, slack.env().get("SLACK_USER_TOKEN_ALICE"))
                .chatPostMessage(q -> q.channel(slack.env().get("SLACK_CHANNEL")).text(text))
                .isOk())
        .isTrue();
  }

  private Received next() throws InterruptedException {
    return received.poll(10, TimeUnit.SECONDS);
  }

  @Test
  void event_isSignedSoTheSdkVerifierAcceptsIt() throws Exception {
    startReceiver(n -> new Answer(200, false, 0));
    post("hostname");
    Received r = next();
    assertThat(r.signatureValid()).isTrue();
    assertThat(r.retryNum()).isNull();
    assertThat(r.body().path("type").asText()).isEqualTo("event_callback");
    assertThat(r.body().path("api_app_id").asText())
        .isEqualTo(slack.env().get("SLACK_APP_ID_SLACKMQ_B"));
    assertThat(r.body().at("/event/text").asText()).isEqualTo("hostname");
    assertThat(r.body().path("token").asText()).isNotEmpty();
    assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull(); // 2xx: no retry
  }

  @Test
  void http500_isRetriedWithRetryNumAndReason() throws Exception {
    startReceiver(n -> new Answer(n < 2 ? 500 : 200, false, 0));
    post("retry me");
    Received first = next();
    Received retry1 = next();
    Received retry2 = next(); // one emulated minute = 1 s later
    assertThat(first.retryNum()).isNull();
    assertThat(retry1.retryNum()).isEqualTo("1");
    assertThat(retry1.retryReason()).isEqualTo("http_error");
    assertThat(retry2.retryNum()).isEqualTo("2");
    assertThat(retry2.body().path("event_id").asText())
        .isEqualTo(first.body().path("event_id").asText());
    assertThat(retry2.signatureValid()).isTrue();
  }

  @Test
  void slowAnswer_isRetriedAsHttpTimeout() throws Exception {
    // 3 emulated seconds are 50 ms at time scale 60, but never less than 250 ms real.
    startReceiver(n -> new Answer(200, false, n == 0 ? 1000 : 0));
    post("slow");
    next();
    Received retry = next();
    assertThat(retry.retryNum()).isEqualTo("1");
    assertThat(retry.retryReason()).isEqualTo("http_timeout");
  }

  @Test
  void noRetryHeader_isHonoured() throws Exception {
    startReceiver(n -> new Answer(503, true, 0));
    post("do not retry");
    assertThat(next()).isNotNull();
    assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void unreachableUrl_isRetriedAsConnectionFailed_andUrlVerificationRefusesIt() throws Exception {
    String url = startReceiver(n -> new Answer(200, false, 0));
    receiver.stop(0);
    assertThatThrownBy(() -> slack.requestUrl("slackmq-b", url))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("url_verification");
    // Still set (verified before the receiver stopped): events fail to connect and are retried.
    Workspace ws = slack.workspace();
    App app =
        ws.locked(
            () ->
                ws.apps().stream()
                    .filter(a -> a.name.equals("slackmq-b"))
                    .findFirst()
                    .orElseThrow());
    assertThat(app.requestUrl()).isEqualTo(url);
    post("nobody home");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> slack.realtime().delivery.toJson().path(app.id).path("retries").asLong() >= 2);
    ws.commit(
        new AppUpdated(app.id, null, app.events(), app.botScopes(), app.nonMarketplace2025()));
  }
}
