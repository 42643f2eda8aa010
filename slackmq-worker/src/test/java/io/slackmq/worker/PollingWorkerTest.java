package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.slack.api.model.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers that only poll conversations.history (no events), against the emulator's Web API. */
class PollingWorkerTest {
  @TempDir Path dir;
  private final List<SlackMQWorker> workers = new ArrayList<>();
  private TestSlack slack;

  @AfterEach
  void tearDown() {
    workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
    if (slack != null) {
      slack.close();
    }
  }

  private SlackMQWorker started(WorkerBuilder b, java.util.function.Consumer<SlackMQWorker> setup) {
    SlackMQWorker w = b.sources(SlackMQWorker.Source.POLLING).build();
    setup.accept(w);
    workers.add(w);
    return w.start();
  }

  @Test
  void hostname_threeAppsPolling_eachMessageAnsweredExactlyOnce() {
    slack = TestSlack.start(3);
    Map<String, List<String>> answers = new ConcurrentHashMap<>();
    for (int i = 1; i <= 3; i++) {
      started(
          slack.worker(i, "w" + i),
          w ->
              w.listen(
                  "^hostname$",
                  m -> {
                    answers
                        .computeIfAbsent(m.ts(), k -> new CopyOnWriteArrayList<>())
                        .add(m.workerId());
                    m.reply("I am running on " + m.workerId());
                  }));
    }
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      posted.add(slack.post("hostname"));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> answers.keySet().containsAll(posted));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> answers.values().stream().allMatch(l -> l.size() == 1));
    for (String ts : posted) {
      List<Message> thread = slack.thread(ts);
      assertThat(thread.get(0).getReactions()).extracting("name").contains("white_check_mark");
      assertThat(thread.get(0).getPinnedTo()).isNullOrEmpty();
    }
    long replies =
        slack.history().stream().filter(m -> m.getText().startsWith("I am running on")).count();
    assertThat(replies).isEqualTo(20);
    assertThat(workers.stream().mapToLong(w -> w.metrics().completed()).sum()).isEqualTo(20);
  }

  @Test
  void readLag_polling_aMessageThatShowsUpAfterANewerOneIsStillHandledOnce() {
    // Reads lag up to 6 emulated seconds per reader and message (100 ms at 60x) and the poller
    // reads every 20 ms, so a poll often sees a message before an older one; the sweeper is out
    // of the way (first round at start, then hourly): only the poller's look-back finds the late
    // ones.
    slack =
        TestSlack.start(
            1,
            o ->
                o.timeScale(60)
                    .faults(
                        f -> f.readLag(Duration.ofSeconds(6)).ownWritesVisible(false).seed(11)));
    Map<String, List<String>> answers = new ConcurrentHashMap<>();
    started(
        slack
            .worker(1, "w1")
            .readLagBound(Duration.ofSeconds(6))
            .pollInterval(Duration.ofMillis(20))
            .sweepInterval(Duration.ofHours(1)),
        w ->
            w.listen(
                "^job (\\d+)$",
                m ->
                    answers
                        .computeIfAbsent(m.group(1), k -> new CopyOnWriteArrayList<>())
                        .add(m.workerId())));
    for (int i = 0; i < 40; i++) {
      slack.post("job " + i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == 40);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> answers.values().stream().allMatch(l -> l.size() == 1));
  }

  @Test
  void hostileMessages_againstBacktrackingPatterns_neitherStallNorKillThePoller() {
    slack = TestSlack.start(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    started(
        slack.worker(1, "w1"),
        w -> {
          // With java.util.regex the first overflows the stack on a 40,000-character message
          // (the poller's task died without a log line) and the second backtracks for seconds.
          w.listen("^(a|b)+$", m -> seen.add("a|b"));
          w.listen("^(a+)+$", m -> seen.add("a+"));
          w.listen("^hostname$", m -> seen.add("hostname"));
        });
    slack.post("a".repeat(40_000));
    slack.post("a".repeat(39_999) + "!");
    slack.post("hostname");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("hostname"));
    assertThat(seen).contains("a|b").doesNotContain("a+");
  }

  @Test
  void aPatternRe2CannotMatchInLinearTime_isRefusedAtListenWithTheReason() {
    slack = TestSlack.start(1);
    SlackMQWorker w = slack.worker(1, "w1").sources(SlackMQWorker.Source.POLLING).build();
    workers.add(w);
    assertThatThrownBy(() -> w.listen("^(\\w+) \\1$", m -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not supported")
        .hasMessageContaining("backreferences");
  }

  @Test
  void handlerFailing_isRetriedThenDeadLetteredWithMarkAndReason() {
    slack = TestSlack.start(1);
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    SlackMQWorker w =
        started(
            slack.worker(1, "w1").maxAttempts(2),
            x ->
                x.listen(
                    "^explode$",
                    m -> {
                      attempts.add(m.attempt());
                      throw new IllegalStateException("disk full on " + m.workerId());
                    }));
    String ts = slack.post("explode");
    await().atMost(Duration.ofSeconds(20)).until(() -> w.metrics().deadLettered() == 1);
    assertThat(attempts).containsExactly(1, 2);
    // The counter moves when the dead mark is written; the "Gave up" reply may follow it.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(slack.thread(ts))
                    .extracting(Message::getText)
                    .anyMatch(t -> t.contains("Gave up") && t.contains("disk full on w1")));
    assertThat(slack.thread(ts).get(0).getReactions()).extracting("name").contains("skull");
    assertThat(w.metrics().retried()).isEqualTo(1);
  }

  @Test
  void workerStartedLate_catchesUpOnFiftyMessages() {
    slack = TestSlack.start(1);
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      posted.add(slack.post("job " + i));
    }
    Map<String, Integer> handled = new ConcurrentHashMap<>();
    started(
        slack.worker(1, "late").handlerThreads(8),
        w -> w.listen("^job (\\d+)$", m -> handled.merge(m.ts(), 1, Integer::sum)));
    await().atMost(Duration.ofSeconds(30)).until(() -> handled.keySet().containsAll(posted));
    assertThat(handled.values()).allMatch(n -> n == 1);
  }

  @Test
  void stop_releasesTheLeaseOfAHandlerPastTheDeadline() throws Exception {
    slack = TestSlack.start(1);
    CountDownLatch running = new CountDownLatch(1);
    SlackMQWorker w =
        started(
            slack.worker(1, "slow").leaseTtl(Duration.ofSeconds(30)),
            x ->
                x.listen(
                    "^slow$",
                    m -> {
                      running.countDown();
                      new CountDownLatch(1).await(); // until interrupted by stop
                    }));
    String ts = slack.post("slow");
    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();
    w.stop(Duration.ofMillis(500));
    assertThat(w.state()).isEqualTo(SlackMQWorker.State.TERMINATED);
    List<Message> thread = slack.thread(ts);
    assertThat(thread.get(0).getPinnedTo()).isNullOrEmpty();
    assertThat(thread)
        .extracting(Message::getText)
        .anyMatch(t -> t.contains("handed back by slow") && t.contains("deadline passed"));
  }

  @Test
  void listeners_annotatedGroupsAllowlistAndOwnMessages() {
    slack = TestSlack.start(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    Object ops =
        new Object() {
          @ListenTo("^deploy (?<app>[a-z]+) (\\d+)$")
          void deploy(MessageContext m) {
            seen.add(m.group("app") + "@" + m.groups().get(1));
            m.reply("deploy echo: deploy fake 1"); // our own message must not trigger us
          }

          @ListenTo(value = "^secret$", users = "U_NOBODY")
          void secret(MessageContext m) {
            seen.add("secret");
          }
        };
    SlackMQWorker w = started(slack.worker(1, "w1"), x -> assertThat(x.register(ops)).hasSize(2));
    slack.post("secret");
    String ts = slack.post("deploy web 7");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("web@7"));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> seen.size() == 1);
    assertThat(w.metrics().completed()).isEqualTo(1);
    assertThat(ts).isNotNull();
  }

  @Test
  void lifecycle_statesAndMisuse() {
    slack = TestSlack.start(1);
    SlackMQWorker w = slack.worker(1, "w1").sources(SlackMQWorker.Source.POLLING).build();
    workers.add(w);
    assertThat(w.state()).isEqualTo(SlackMQWorker.State.NEW);
    w.start();
    assertThat(w.state()).isEqualTo(SlackMQWorker.State.RUNNING);
    assertThatThrownBy(w::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RUNNING");
    w.close();
    assertThat(w.state()).isEqualTo(SlackMQWorker.State.TERMINATED);

    SlackMQWorker bad =
        SlackMQWorker.builder()
            .apiUrl(slack.emulator.apiUrl())
            .botToken("xoxb-not-a-token")
            .channels(slack.channel)
            .workerId("bad")
            .sources(SlackMQWorker.Source.POLLING)
            .build();
    assertThatThrownBy(bad::start).hasMessageContaining("invalid_auth");
    assertThat(bad.state()).isEqualTo(SlackMQWorker.State.FAILED);
    assertThat(bad.failureCause()).hasMessageContaining("invalid_auth");
    assertThat(bad.toString()).doesNotContain("xoxb");
  }
}
