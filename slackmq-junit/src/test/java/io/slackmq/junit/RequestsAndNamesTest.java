package io.slackmq.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slackmq.emulator.RecordedRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Recorded requests and names, on the plain {@code @LocalSlackTest} defaults. */
@LocalSlackTest
class RequestsAndNamesTest {

  @Test
  void takeRequest_returnsCallsInOrder_maskedAndAttributed(LocalSlack slack) throws Exception {
    String ts = slack.post("hostname");
    slack.bot("slackmq-a").chatPostMessage(r -> r.channel(slack.channel()).threadTs(ts).text("hi"));

    RecordedRequest first = slack.takeRequest("chat.postMessage");
    RecordedRequest second = slack.takeRequest("chat.postMessage", Duration.ofSeconds(1));
    assertThat(first.caller()).isEqualTo("alice");
    assertThat(first.param("text")).isEqualTo("hostname");
    assertThat(second.caller()).isEqualTo("slackmq-a");
    assertThat(second.param("thread_ts")).isEqualTo(ts);
    assertThat(second.ok()).isTrue();
    assertThat(slack.requests("chat.postMessage")).containsExactly(first, second);
    assertThat(slack.requests().toString()).doesNotContain(slack.botToken("slackmq-a"));
  }

  @Test
  void takeRequest_blocksUntilTheCallIsMade(LocalSlack slack) throws Exception {
    CompletableFuture<RecordedRequest> taken =
        CompletableFuture.supplyAsync(() -> slack.takeRequest("pins.add"));
    String ts = slack.post("pin me");
    slack.bot("slackmq-b").pinsAdd(r -> r.channel(slack.channel()).timestamp(ts));

    assertThat(taken.get(10, TimeUnit.SECONDS).param("timestamp")).isEqualTo(ts);
  }

  @Test
  void takeRequest_neverMade_namesTheMethodAndWhatWasCalled(LocalSlack slack) throws Exception {
    slack.bot("slackmq-a").authTest(r -> r);
    slack.post("first");
    slack.takeRequest("chat.postMessage");

    assertThatThrownBy(() -> slack.takeRequest("chat.postMessage", Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "no call of chat.postMessage within 200 ms (1 earlier one was taken already); calls"
                + " answered since the start or the last reset: auth.test by slackmq-a: ok,"
                + " chat.postMessage by alice: ok");
  }

  @Test
  void takeRequest_nothingCalledAtAll_saysSo(LocalSlack slack) {
    assertThatThrownBy(() -> slack.takeRequest("pins.add", Duration.ZERO))
        .hasMessage(
            "no call of pins.add within 0 s; calls answered since the start or the last reset:"
                + " none");
  }

  @Test
  void failedCalls_areRecordedWithTheirError(LocalSlack slack) throws Exception {
    slack.bot("slackmq-a").pinsAdd(r -> r.channel(slack.channel()).timestamp("1.000001"));

    assertThat(slack.takeRequest("pins.add"))
        .extracting(RecordedRequest::ok, RecordedRequest::error)
        .containsExactly(false, "message_not_found");
  }

  @Test
  void unknownNames_listTheKnownOnes(LocalSlack slack) {
    assertThatThrownBy(() -> slack.botToken("slackmq-c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown app 'slackmq-c': this local Slack has the apps [slackmq-a, slackmq-b]");
    assertThatThrownBy(() -> slack.postAs("bob", "hi"))
        .hasMessage("unknown person 'bob': this local Slack has the people [alice]");
    assertThatThrownBy(() -> slack.channel("jobs"))
        .hasMessage("unknown channel 'jobs': this local Slack has the channels [ops]");
    assertThatThrownBy(() -> slack.socketModeConnections("nope"))
        .hasMessageStartingWith("unknown app 'nope'");
  }

  @Test
  void tokensAndIds_matchTheWorkspace(LocalSlack slack) throws Exception {
    assertThat(slack.botToken("slackmq-a")).startsWith("xoxb-");
    assertThat(slack.appToken("slackmq-a")).startsWith("xapp-");
    assertThat(slack.userToken("alice")).startsWith("xoxp-");
    assertThat(slack.signingSecret("slackmq-b")).isNotBlank();
    assertThat(slack.bot("slackmq-a").authTest(r -> r).getUserId())
        .isEqualTo(slack.botUserId("slackmq-a"));
    assertThat(slack.user("alice").authTest(r -> r).getUserId()).isEqualTo(slack.userId("alice"));
    assertThat(slack.apiUrl()).isEqualTo("http://127.0.0.1:" + slack.port() + "/api/");
    assertThat(slack.env()).containsEntry("SLACK_CHANNEL_OPS", slack.channel());
  }

  @Test
  void aPersonsRefusedCall_failsWithSlacksError(LocalSlack slack) {
    assertThatThrownBy(() -> slack.react("1.000001", "eyes"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("reactions.add as alice failed: message_not_found");
  }
}
