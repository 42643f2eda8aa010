package io.slackmq.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.slackmq.emulator.RecordedRequest;
import io.slackmq.junit.LocalSlackExtension;
import io.slackmq.worker.SlackMQWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostname worker tested as a user tests their own worker: the JUnit extension starts a local
 * Slack (Slack's rate limits, 60 times faster, as the examples run), the test starts workers of two
 * apps on it, posts as alice and asserts on the thread and on the calls the workers made.
 */
class HostnameWorkerTest {
  @RegisterExtension
  static LocalSlackExtension slack =
      LocalSlackExtension.builder().slackRateLimits().timeScale(SlackEnv.LOCAL_TIME_SCALE).build();

  @Test
  void twoAppsRaceForHostname_exactlyOneAnswersInTheThread() throws Exception {
    try (SlackMQWorker a = HostnameWorker.idiomatic(SlackEnv.local(slack, "slackmq-a"), "host-1");
        SlackMQWorker b = HostnameWorker.idiomatic(SlackEnv.local(slack, "slackmq-b"), "host-2")) {
      slack.awaitSocketMode("slackmq-a");
      slack.awaitSocketMode("slackmq-b");

      String ts = slack.post("hostname");

      slack.takeRequest("pins.remove"); // the winner is done: it answered, marked done, unpinned
      assertThat(slack.replies(ts, "I am running on "))
          .singleElement()
          .asString()
          .matches("I am running on host-[12]");
      RecordedRequest answer =
          slack.requests("chat.postMessage").stream()
              .filter(r -> r.param("text").startsWith("I am running on "))
              .findFirst()
              .orElseThrow();
      assertThat(answer.param("thread_ts")).isEqualTo(ts);
      // host-1 is a worker of app slackmq-a, host-2 of slackmq-b.
      assertThat(answer.caller())
          .isEqualTo(answer.param("text").endsWith("host-1") ? "slackmq-a" : "slackmq-b");
    }
  }
}
