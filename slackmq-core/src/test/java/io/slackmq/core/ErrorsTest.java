package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.slackmq.emulator.Emulator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Slack error surfaces as Failed with its code and a hint, never as contention. */
class ErrorsTest {
  @TempDir Path dir;

  private static void assertFailed(Outcome o, String code) {
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    Outcome.Failed f = (Outcome.Failed) o;
    assertThat(f.slackError()).isEqualTo(code);
    assertThat(f.hint()).isNotBlank().doesNotContain("xox");
  }

  @Test
  void acquire_badToken_invalidAuth() throws Exception {
    try (Fixture slack = Fixture.start();
        LockClient c = slack.client("xoxb-wrong", Strategy.PIN, Duration.ofSeconds(5)).build()) {
      String ts = slack.postTasks(1).get(0);
      assertFailed(c.acquire(slack.channel, ts), "invalid_auth");
    }
  }

  @Test
  void acquire_unknownChannel_channelNotFound() throws Exception {
    try (Fixture slack = Fixture.start();
        LockClient c =
            slack.client(slack.botA(), Strategy.REACTION, Duration.ofSeconds(5)).build()) {
      String ts = slack.postTasks(1).get(0);
      assertFailed(c.acquire("C0NOPE", ts), "channel_not_found");
    }
  }

  @Test
  void acquire_appWithoutPinsScope_missingScopeNamesTheScope() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("ws.json"),
            """
        {"teams":[{"name":"t","apps":[{"name":"narrow","scopes":["chat:write",
          "channels:history","reactions:write"]}],"users":[{"name":"alice"}],
          "channels":[{"name":"ops","members":["narrow","alice"]}]}]}""");
    try (Fixture slack = Fixture.start(Emulator.builder().noRateLimits().config(config));
        LockClient c =
            slack
                .client(
                    slack.env.get("SLACK_BOT_TOKEN_NARROW"), Strategy.PIN, Duration.ofSeconds(5))
                .build()) {
      String ts = slack.postTasks(1).get(0);
      Outcome o = c.acquire(slack.channel, ts);
      assertFailed(o, "missing_scope");
      assertThat(((Outcome.Failed) o).hint()).contains("pins:write");
    }
  }

  @Test
  void acquire_rateLimitedOnEveryRetry_ratelimitedAfterRetries() throws Exception {
    try (Fixture slack = Fixture.start(Emulator.builder().rateLimit("pins.add", 1));
        LockClient c =
            slack
                .client(slack.botA(), Strategy.PIN, Duration.ofSeconds(5))
                .maxRetries(2)
                .timeScale(600)
                .build()) { // Retry-After 60 s -> waits 0.1 s
      var tasks = slack.postTasks(2);
      assertThat(c.acquire(slack.channel, tasks.get(0))).isInstanceOf(Outcome.Acquired.class);
      assertFailed(c.acquire(slack.channel, tasks.get(1)), "ratelimited");
      assertThat(c.calls().rateLimited().get("pins.add")).isEqualTo(3);
    }
  }

  @Test
  void acquire_slackAnswers500_http500AfterBoundedRetries() throws Exception {
    HttpServer broken = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    broken.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(500, -1);
          ex.close();
        });
    broken.start();
    try (LockClient c =
        LockClient.builder()
            .token("xoxb-any")
            .pacing(false)
            .maxRetries(2)
            .apiUrl("http://127.0.0.1:" + broken.getAddress().getPort() + "/api/")
            .build()) {
      long start = System.nanoTime();
      assertFailed(c.acquire("C1", "1700000000.000100"), "http_500");
      assertThat(c.calls().of("pins.add")).isEqualTo(3);
      assertThat(System.nanoTime() - start)
          .as("backs off, bounded")
          .isBetween(Duration.ofMillis(100).toNanos(), Duration.ofSeconds(5).toNanos());
    } finally {
      broken.stop(0);
    }
  }

  @Test
  void acquire_nobodyListening_timeout() {
    try (LockClient c =
        LockClient.builder()
            .token("xoxb-any")
            .pacing(false)
            .maxRetries(1)
            .callTimeout(Duration.ofMillis(500))
            .apiUrl("http://127.0.0.1:9/api/")
            .build()) {
      assertFailed(c.acquire("C1", "1700000000.000100"), "timeout");
    }
  }
}
