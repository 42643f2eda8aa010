package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Slack's rate limits through the official SDK, over real HTTP, with emulated minutes of 1 s. */
class RateLimitTest {
  /** A call that may be refused with HTTP 429. */
  interface Call {
    SlackApiTextResponse run() throws Exception;
  }

  /** What the SDK reports for a 429: status, Retry-After and the body's error. */
  record Refusal(int status, String retryAfter, String error, int callsBefore) {}

  /** Calls until the first 429 (at most {@code max} calls), or fails the test. */
  static Refusal callUntil429(Call call, int max) throws Exception {
    for (int i = 0; i < max; i++) {
      try {
        call.run();
      } catch (SlackApiException e) {
        return new Refusal(
            e.getResponse().code(),
            e.getResponse().header("Retry-After"),
            e.getError() == null ? null : e.getError().getError(),
            i);
      }
    }
    return fail("no 429 after " + max + " calls");
  }

  static boolean passes(Call call) throws Exception {
    try {
      call.run();
      return true;
    } catch (SlackApiException e) {
      assertThat(e.getResponse().code()).isEqualTo(429);
      return false;
    }
  }

  @Test
  void pinsAdd_tier2_refusedWith429RetryAfterAndRatelimited_perAppPerMethod() throws Exception {
    try (Emulator slack = Emulator.builder().timeScale(60).start()) {
      Map<String, String> env = slack.env();
      MethodsClient a = SdkClients.methods(slack, env.get("SLACK_BOT_TOKEN_SLACKMQ_A"));
      MethodsClient b = SdkClients.methods(slack, env.get("SLACK_BOT_TOKEN_SLACKMQ_B"));
      String channel = env.get("SLACK_CHANNEL");
      String ts = a.chatPostMessage(q -> q.channel(channel).text("job")).getTs();

      // Tier 2 allows 20 a minute (the whole burst at once); the 429 comes right after. Each
      // repeat is already_pinned, which is a counted call like any other.
      Refusal refusal = callUntil429(() -> a.pinsAdd(q -> q.channel(channel).timestamp(ts)), 200);
      assertThat(refusal.status()).isEqualTo(429);
      assertThat(refusal.retryAfter()).isEqualTo("1"); // 3 emulated seconds: rounded up to 1 s
      assertThat(refusal.error()).isEqualTo("ratelimited");
      assertThat(refusal.callsBefore()).isBetween(20, 199);

      // Per method: the same app's pins.list is untouched. Per app: slackmq-b has its own budget.
      assertThat(a.pinsList(q -> q.channel(channel)).isOk()).isTrue();
      assertThat(b.pinsAdd(q -> q.channel(channel).timestamp(ts)).getError())
          .isEqualTo("already_pinned");

      // After Retry-After, calls pass again.
      long retryAfter = Long.parseLong(refusal.retryAfter());
      await()
          .pollDelay(Duration.ofSeconds(retryAfter))
          .atMost(Duration.ofSeconds(retryAfter + 5))
          .until(() -> passes(() -> a.pinsRemove(q -> q.channel(channel).timestamp(ts))));

      String stats = new AdminClient(slack).get("stats").json().toString();
      assertThat(stats)
          .contains(
              "\"pins.add\":{\"calls\":" + (refusal.callsBefore() + 1) + ",\"ratelimited\":1}");
    }
  }

  @Test
  void chatPostMessage_limitedPerChannel_otherChannelStillPosts() throws Exception {
    // One message per emulated second per channel: at time scale 6 a token every 167 ms, slow
    // enough that a loaded machine still reaches the end of the burst.
    try (Emulator slack = Emulator.builder().timeScale(6).start()) {
      Map<String, String> env = slack.env();
      MethodsClient a = SdkClients.methods(slack, env.get("SLACK_BOT_TOKEN"));
      String ops = env.get("SLACK_CHANNEL");
      String other = a.conversationsCreate(q -> q.name("other")).getChannel().getId();

      Refusal refusal = callUntil429(() -> a.chatPostMessage(q -> q.channel(ops).text("x")), 300);
      assertThat(refusal.status()).isEqualTo(429);
      assertThat(refusal.error()).isEqualTo("ratelimited");
      assertThat(refusal.callsBefore()).isGreaterThanOrEqualTo(Tier.SPECIAL_POST.burst);
      assertThat(a.chatPostMessage(q -> q.channel(other).text("x")).isOk()).isTrue();
    }
  }

  @Test
  void customMode_limitsOneMethod_othersKeepSlackTiers() throws Exception {
    try (Emulator slack = Emulator.builder().timeScale(60).rateLimit("auth.test", 5).start()) {
      MethodsClient a = SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN"));
      Refusal refusal = callUntil429(() -> a.authTest(q -> q), 50);
      assertThat(refusal.callsBefore()).isEqualTo(5);
      assertThat(refusal.error()).isEqualTo("ratelimited");
      // The user's own token is another caller with its own bucket.
      assertThat(
              SdkClients.methods(slack, slack.env().get("SLACK_USER_TOKEN_ALICE"))
                  .authTest(q -> q)
                  .isOk())
          .isTrue();
      for (int i = 0; i < 40; i++) {
        assertThat(a.usersInfo(q -> q.user(slack.env().get("SLACK_USER_ID_ALICE"))).isOk())
            .isTrue();
      }
    }
  }

  @Test
  void offMode_neverRefuses() throws Exception {
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      MethodsClient a = SdkClients.methods(slack, slack.env().get("SLACK_BOT_TOKEN"));
      String channel = slack.env().get("SLACK_CHANNEL");
      String ts = a.chatPostMessage(q -> q.channel(channel).text("job")).getTs();
      for (int i = 0; i < 100; i++) {
        assertThat(passes(() -> a.pinsAdd(q -> q.channel(channel).timestamp(ts)))).isTrue();
      }
    }
  }

  @Test
  void nonMarketplaceProfile_historyAtOneCallPerMinute() throws Exception {
    java.nio.file.Path config = java.nio.file.Files.createTempFile("nonmarketplace", ".json");
    try {
      java.nio.file.Files.writeString(
          config,
          """
          {"teams":[{"name":"t","apps":[{"name":"public-app","nonMarketplace2025":true},{"name":"inhouse"}],
            "channels":[{"name":"ops","members":["public-app","inhouse"]}]}]}""");
      try (Emulator slack = Emulator.builder().timeScale(60).config(config).start()) {
        Map<String, String> env = slack.env();
        MethodsClient limited = SdkClients.methods(slack, env.get("SLACK_BOT_TOKEN_PUBLIC_APP"));
        MethodsClient inhouse = SdkClients.methods(slack, env.get("SLACK_BOT_TOKEN_INHOUSE"));
        String ch = env.get("SLACK_CHANNEL");
        Refusal refusal = callUntil429(() -> limited.conversationsHistory(q -> q.channel(ch)), 10);
        assertThat(refusal.callsBefore()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
          assertThat(inhouse.conversationsHistory(q -> q.channel(ch)).isOk()).isTrue(); // Tier 3
        }
      }
    } finally {
      java.nio.file.Files.deleteIfExists(config);
    }
  }
}
