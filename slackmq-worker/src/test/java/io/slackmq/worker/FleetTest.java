package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.slack.api.model.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's hostname example and the delivery modes, end to end: workers on the emulator over real
 * WebSockets (Socket Mode) and real HTTP (Events API push).
 */
class FleetTest {
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

  /** Who answered which message (ts to worker ids), filled by the hostname handler. */
  private final Map<String, List<String>> answers = new ConcurrentHashMap<>();

  private Handler hostname() {
    return m -> {
      answers.computeIfAbsent(m.ts(), k -> new CopyOnWriteArrayList<>()).add(m.workerId());
      m.reply("I am running on " + m.workerId());
    };
  }

  private SlackMQWorker start(WorkerBuilder b, String regex, Delivery d, Handler h) {
    SlackMQWorker w = b.build();
    w.listen(regex, d, h);
    workers.add(w);
    return w.start();
  }

  private List<String> post(int n, String text) {
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      posted.add(slack.post(text));
    }
    return posted;
  }

  private void assertAnsweredExactlyOnce(List<String> posted) {
    await().atMost(Duration.ofSeconds(40)).until(() -> answers.keySet().containsAll(posted));
    // and nobody answers twice later (retries, duplicates, sweepers)
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> answers.values().stream().allMatch(l -> l.size() == 1));
    assertThat(answers).hasSize(posted.size());
    long replies =
        slack.history().stream().filter(m -> m.getText().startsWith("I am running on")).count();
    assertThat(replies).isEqualTo(posted.size());
  }

  @Test
  void hostname_fiveWorkersOfOneAppOverSocketMode_hundredMessagesAnsweredExactlyOnce() {
    slack = TestSlack.start(1, o -> o.faults(f -> f.duplicateEvents(0.2)));
    for (int i = 1; i <= 5; i++) {
      start(
          slack
              .worker(1, "sm" + i)
              .appToken(slack.appToken(1))
              .sources(SlackMQWorker.Source.SOCKET_MODE),
          "^hostname$",
          Delivery.ONE,
          hostname());
    }
    List<String> posted = post(100, "hostname");
    assertAnsweredExactlyOnce(posted);
    // Socket Mode spread the events over the fleet, and duplicates were dropped locally.
    assertThat(workers.stream().filter(w -> w.metrics().completed() > 0).count()).isGreaterThan(1);
    assertThat(workers.stream().mapToLong(w -> w.metrics().duplicates()).sum()).isPositive();
  }

  @Test
  void hostname_threeAppsOverEventsApi_hundredMessagesAnsweredExactlyOnce() {
    slack = TestSlack.start(3);
    for (int i = 1; i <= 3; i++) {
      SlackMQWorker w =
          start(
              slack
                  .worker(i, "ev" + i)
                  .signingSecret(slack.signingSecret(i))
                  .eventsApi("127.0.0.1", 0, "/slack/events")
                  .sources(SlackMQWorker.Source.EVENTS_API),
              "^hostname$",
              Delivery.ONE,
              hostname());
      slack.emulator.requestUrl(
          "app-" + i, "http://127.0.0.1:" + w.eventsApiPort() + "/slack/events");
    }
    List<String> posted = post(100, "hostname");
    assertAnsweredExactlyOnce(posted);
    // every app gets every event: the two that did not answer lost the race or found it done.
    // Delivery to the apps is asynchronous, so the last events may land after the last answer.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(workers.stream().mapToLong(w -> w.metrics().received()).sum())
                    .isGreaterThanOrEqualTo(300));
  }

  @Test
  void duplicatedEnvelopes_neverRunAHandlerTwice() {
    slack = TestSlack.start(1, o -> o.faults(f -> f.duplicateEvents(1.0)));
    SlackMQWorker w =
        start(
            slack
                .worker(1, "dup")
                .appToken(slack.appToken(1))
                .sources(SlackMQWorker.Source.SOCKET_MODE),
            "^hostname$",
            Delivery.ONE,
            hostname());
    List<String> posted = post(10, "hostname");
    assertAnsweredExactlyOnce(posted);
    assertThat(w.metrics().duplicates()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void all_threeWorkersOfOneApp_eachAnswersEachMessageOnce() {
    slack = TestSlack.start(1);
    Map<String, List<String>> byWorker = new ConcurrentHashMap<>();
    for (int i = 1; i <= 3; i++) {
      start(
          slack
              .worker(1, "all" + i)
              .appToken(slack.appToken(1))
              .sources(SlackMQWorker.Source.SOCKET_MODE),
          "^report$",
          Delivery.ALL,
          m -> {
            byWorker.computeIfAbsent(m.workerId(), k -> new CopyOnWriteArrayList<>()).add(m.ts());
            m.replyInThread("I am running on " + m.workerId());
          });
    }
    List<String> posted = post(10, "report");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                byWorker.size() == 3
                    && byWorker.values().stream().allMatch(l -> l.containsAll(posted)));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> byWorker.values().stream().allMatch(l -> l.size() == posted.size()));
    for (String ts : posted) {
      assertThat(slack.thread(ts))
          .extracting(Message::getText)
          .filteredOn(t -> t.contains("[slackmq handled w="))
          .hasSize(3);
    }
  }

  @Test
  void rolling_withCanary_oneAtATimeEachOnceAndWaitsForApproval() {
    slack = TestSlack.start(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<String> order = new CopyOnWriteArrayList<>();
    for (int i = 1; i <= 3; i++) {
      start(
          slack
              .worker(1, "r" + i)
              .appToken(slack.appToken(1))
              .fleet("r1", "r2", "r3")
              .canary("shipit")
              .sources(SlackMQWorker.Source.SOCKET_MODE),
          "^deploy (\\S+)$",
          Delivery.ROLLING,
          m -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
              order.add(m.workerId());
              m.replyInThread("deployed " + m.group(1) + " on " + m.workerId());
              Thread.sleep(200); // a deploy takes a while: overlapping turns would show
            } finally {
              running.decrementAndGet();
            }
          });
    }
    String ts = slack.post("deploy v2");
    await().atMost(Duration.ofSeconds(20)).until(() -> order.size() == 1);
    // the canary is done; the rest wait for a human's approval
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> order.size() == 1);
    assertThat(slack.thread(ts))
        .extracting(Message::getText)
        .anyMatch(t -> t.contains("canary: react with :shipit:"));
    slack.react(ts, "shipit");
    await().atMost(Duration.ofSeconds(20)).until(() -> order.size() == 3);
    assertThat(order).containsExactlyInAnyOrder("r1", "r2", "r3");
    assertThat(maxRunning.get()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                slack.thread(ts).get(0).getReactions() != null
                    && slack.thread(ts).get(0).getReactions().stream()
                        .anyMatch(r -> r.getName().equals("white_check_mark")));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(2))
        .until(() -> order.size() == 3);
  }
}
