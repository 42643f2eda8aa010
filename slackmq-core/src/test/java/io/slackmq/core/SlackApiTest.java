package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import io.slackmq.emulator.Emulator;
import io.slackmq.emulator.Faults;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The call layer against the local Slack over HTTP; waits go to a fake sleeper. */
class SlackApiTest {
  private Emulator slack;
  private final List<Long> slept = new CopyOnWriteArrayList<>();
  private final List<String> attempts = new CopyOnWriteArrayList<>();
  private final List<Duration> rateLimited = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (slack != null) {
      slack.close();
    }
  }

  private SlackApi api(Emulator.Builder emulator, int maxRetries, double timeScale) {
    slack = emulator.start();
    String token = slack.env().get("SLACK_USER_TOKEN_ALICE");
    return SlackApi.builder(SlackApi.client(slack.apiUrl(), token, Duration.ofSeconds(10)))
        .maxRetries(maxRetries)
        .timeScale(timeScale)
        .time(System::nanoTime, slept::add)
        .listener(
            new SlackApi.Listener() {
              @Override
              public void attempted(String method) {
                attempts.add(method);
              }

              @Override
              public void rateLimited(String method, Duration wait) {
                rateLimited.add(wait);
              }
            })
        .build();
  }

  private String channel() {
    return slack.env().get("SLACK_CHANNEL");
  }

  @Test
  void transientErrors_areRetried_andMarkTheAnswerAmbiguous() {
    SlackApi api =
        api(
            Emulator.builder()
                .noRateLimits()
                .faults(f -> f.errorRate("chat.postMessage", Faults.ErrorKind.INTERNAL_ERROR, 1.0)),
            3,
            1);
    var answer =
        api.attempt(
            "chat.postMessage", m -> m.chatPostMessage(q -> q.channel(channel()).text("hello")));
    assertThat(answer.response().isOk()).isFalse();
    assertThat(answer.response().getError()).isEqualTo("internal_error");
    assertThat(answer.ambiguous()).isTrue();
    assertThat(attempts).hasSize(4); // the first attempt and 3 retries
    assertThat(slept).hasSize(3).allSatisfy(n -> assertThat(n).isPositive());
    assertThat(api.calls().of("chat.postMessage")).isEqualTo(4);
  }

  @Test
  void http500_spentRetries_throwWithTheStatus_notAnOkFalse() {
    SlackApi api =
        api(
            Emulator.builder()
                .noRateLimits()
                .faults(f -> f.errorRate("auth.test", Faults.ErrorKind.HTTP_500, 1.0)),
            2,
            1);
    assertThatThrownBy(() -> api.call("auth.test", m -> m.authTest(q -> q)))
        .isInstanceOf(SlackMQException.class)
        .satisfies(e -> assertThat(((SlackMQException) e).error()).isEqualTo("http_500"))
        .hasMessageContaining("3 times");
    assertThat(attempts).hasSize(3);
  }

  @Test
  void okFalse_isThrownWithSlacksCodeAndAHint_withoutRetry() {
    SlackApi api = api(Emulator.builder().noRateLimits(), 4, 1);
    assertThatThrownBy(
            () ->
                api.call(
                    "chat.postMessage", m -> m.chatPostMessage(q -> q.channel("C404").text("x"))))
        .isInstanceOf(SlackMQException.class)
        .satisfies(e -> assertThat(((SlackMQException) e).error()).isEqualTo("channel_not_found"))
        .hasMessageContaining("check the channel id")
        .hasMessageNotContaining("xox");
    assertThat(attempts).hasSize(1);
  }

  @Test
  void rateLimited_waitsRetryAfterScaled_andTellsTheListener() {
    SlackApi api = api(Emulator.builder().timeScale(60).rateLimit("auth.test", 1), 4, 60);
    api.call("auth.test", m -> m.authTest(q -> q));
    // The second call within the emulated minute is refused with Retry-After, then retried.
    // The fake sleeper returns at once, so the retries may all be refused: either way each
    // 429 is reported with its scaled wait.
    try {
      api.call("auth.test", m -> m.authTest(q -> q));
    } catch (SlackMQException e) {
      assertThat(e.error()).isEqualTo("ratelimited");
    }
    assertThat(rateLimited)
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(1)));
    assertThat(api.calls().rateLimited().get("auth.test")).isEqualTo(rateLimited.size());
  }

  @Test
  void messages_followsCursorsToTheLastPage() {
    SlackApi api = api(Emulator.builder().noRateLimits(), 0, 1);
    String parent =
        api.call(
                "chat.postMessage",
                m -> m.chatPostMessage(q -> q.channel(channel()).text("parent")))
            .getTs();
    for (int i = 0; i < 7; i++) {
      int k = i;
      api.call(
          "chat.postMessage",
          m -> m.chatPostMessage(q -> q.channel(channel()).threadTs(parent).text("reply " + k)));
    }
    attempts.clear();
    List<Message> thread =
        api.messages(
            "conversations.replies",
            cursor ->
                m ->
                    m.conversationsReplies(
                        q -> q.channel(channel()).ts(parent).limit(3).cursor(cursor)),
            ConversationsRepliesResponse::getMessages,
            ConversationsRepliesResponse::getResponseMetadata);
    // Slack repeats the parent at the top of every page of replies; the replies come once each.
    assertThat(thread)
        .filteredOn(m -> !parent.equals(m.getTs()))
        .extracting(Message::getText)
        .containsExactly(
            "reply 0", "reply 1", "reply 2", "reply 3", "reply 4", "reply 5", "reply 6");
    assertThat(attempts).hasSizeGreaterThan(1).containsOnly("conversations.replies");
  }

  @Test
  void retryAfter_parsesScalesAndFallsBackToOneSecond() {
    assertThat(SlackApi.retryAfter("30", 1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(SlackApi.retryAfter("30", 60)).isEqualTo(Duration.ofMillis(500));
    assertThat(SlackApi.retryAfter(null, 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SlackApi.retryAfter("soon", 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SlackApi.retryAfter("-5", 1)).isEqualTo(Duration.ofMillis(10));
    assertThat(SlackApi.retryAfter("99999999999999999999", 1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SlackApi.retryAfter("9223372036854775807", 1)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void clients_areSharedPerUrlTokenAndTimeout() {
    var a = SlackApi.client("http://slack.test/api", "xoxb-1", Duration.ofSeconds(5));
    var b = SlackApi.client("http://slack.test/api/", "xoxb-1", Duration.ofSeconds(5));
    var c = SlackApi.client("http://slack.test/api/", "xoxb-2", Duration.ofSeconds(5));
    assertThat(a).isSameAs(b).isNotSameAs(c);
  }
}
