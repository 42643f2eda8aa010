package io.slackmq.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Events API over HTTP: POSTs one event per request to an app's request URL, signed as Slack
 * signs ({@code X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body))}, {@code
 * X-Slack-Request-Timestamp}), with {@code X-Slack-Retry-Num} and {@code X-Slack-Retry-Reason} on
 * retries. A 2xx within the deadline counts as delivered.
 */
final class EventsApiPusher implements AutoCloseable {
  /** What one POST came to. {@code retryReason} is null when delivered or not to be retried. */
  record Outcome(boolean delivered, boolean noRetry, String retryReason) {}

  private final ExecutorService executor;
  private final HttpClient client;

  EventsApiPusher() {
    AtomicInteger n = new AtomicInteger();
    // Bounded: a slow receiver cannot make the emulator start threads without limit.
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "slackmq-events-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.client =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL) // Slack follows up to 2 redirects
            .build();
  }

  /**
   * POSTs one payload.
   *
   * @param retryNum 0 for the first attempt (then no retry headers)
   * @param deadline the real time a 2xx must arrive within
   */
  CompletableFuture<Outcome> post(
      App app, String url, String body, int retryNum, String retryReason, Duration deadline) {
    HttpRequest.Builder request;
    try {
      request = signed(app, url, body).timeout(deadline);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Outcome(false, false, "connection_failed"));
    }
    if (retryNum > 0) {
      request
          .header("X-Slack-Retry-Num", Integer.toString(retryNum))
          .header("X-Slack-Retry-Reason", retryReason);
    }
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                return new Outcome(
                    false,
                    false,
                    cause instanceof HttpTimeoutException ? "http_timeout" : "connection_failed");
              }
              if (response.statusCode() / 100 == 2) {
                return new Outcome(true, false, null);
              }
              boolean noRetry =
                  response
                      .headers()
                      .firstValue("x-slack-no-retry")
                      .map(v -> v.trim().equals("1"))
                      .orElse(false);
              return new Outcome(false, noRetry, "http_error");
            });
  }

  /**
   * Slack's url_verification handshake: POSTs a challenge and accepts the URL when the response is
   * a 2xx carrying the challenge as plain text, as {@code challenge=...} or as JSON.
   */
  boolean verify(App app, String verificationToken, String url, Duration deadline) {
    String challenge = UUID.randomUUID().toString().replace("-", "");
    String body =
        Json.object()
            .put("token", verificationToken)
            .put("challenge", challenge)
            .put("type", "url_verification")
            .toString();
    try {
      HttpResponse<String> response =
          client.send(
              signed(app, url, body).timeout(deadline).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        return false;
      }
      String text = response.body().trim();
      if (text.equals(challenge) || text.equals("challenge=" + challenge)) {
        return true;
      }
      JsonNode json = Json.MAPPER.readTree(text);
      return json != null && challenge.equals(json.path("challenge").asText(null));
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static HttpRequest.Builder signed(App app, String url, String body) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .header("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
        .header("X-Slack-Request-Timestamp", timestamp)
        .header("X-Slack-Signature", signature(app.signingSecret, timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
  }

  /** {@code v0=} + hex HMAC-SHA256 of {@code "v0:" + timestamp + ":" + body}. */
  static String signature(String signingSecret, String timestamp, String body) {
    return "v0=" + hmacSha256Hex(signingSecret, "v0:" + timestamp + ":" + body);
  }

  static String hmacSha256Hex(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
