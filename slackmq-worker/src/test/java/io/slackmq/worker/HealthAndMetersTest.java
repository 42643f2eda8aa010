package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slackmq.emulator.Faults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A worker's Micrometer meters and its health, on the local Slack. */
class HealthAndMetersTest {
  private TestSlack slack;
  private final List<SlackMQWorker> workers = new ArrayList<>();

  @AfterEach
  void tearDown() {
    workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
    if (slack != null) {
      slack.close();
    }
  }

  private SlackMQWorker socketMode(WorkerBuilder b) {
    SlackMQWorker w =
        b.appToken(slack.appToken(1)).sources(SlackMQWorker.Source.SOCKET_MODE).build();
    workers.add(w);
    return w;
  }

  private static double count(SimpleMeterRegistry r, String name, String... tags) {
    var c = r.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void meters_countWhatTheWorkerDid_withBoundedTags() {
    slack = TestSlack.start(1);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SlackMQWorker w = socketMode(slack.worker(1, "m1").meterRegistry(registry).maxAttempts(1));
    w.listen("^hostname$", m -> m.reply("m1"));
    w.listen(
        "^broken$",
        m -> {
          throw new IllegalStateException("no such host");
        });
    w.start();
    for (int i = 0; i < 200; i++) {
      slack.post(i % 20 == 0 ? "broken" : "hostname");
    }
    // and 800 more that no listener takes, each with its own text, ts and event id
    String alice = slack.env.get("SLACK_USER_ID_ALICE");
    for (int i = 0; i < 800; i++) {
      slack.emulator.inject(slack.channel, alice, "chatter " + i);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> w.metrics().completed() == 190 && w.metrics().deadLettered() == 10);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                        registry,
                        "slackmq.events.received",
                        "transport",
                        "socket_mode",
                        "duplicate",
                        "false")
                    >= 1000);

    var success = registry.find("slackmq.job.execution").tags("result", "success").timer();
    assertThat(success.count()).isEqualTo(190);
    assertThat(success.getId().getTag("listener")).isEqualTo("/^hostname$/ ONE");
    assertThat(registry.find("slackmq.job.execution").tags("result", "failure").timer().count())
        .isEqualTo(10);
    assertThat(registry.find("slackmq.job.active").gauge().value()).isZero();
    assertThat(count(registry, "slackmq.events.received", "transport", "socket_mode"))
        .isGreaterThanOrEqualTo(200);
    assertThat(count(registry, "slackmq.lock.acquired")).isEqualTo(200);
    // the worker's own calls (replies) and its lock client's (claims) are both counted, as the
    // worker's counters count them
    for (String method : List.of("chat.postMessage", "pins.add", "conversations.replies")) {
      // (a dead letter's last reply may still be on its way: counted when sent, metered when
      // answered)
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          registry
                              .find("slackmq.slack.api.calls")
                              .tag("method", method)
                              .counters()
                              .stream()
                              .mapToDouble(c -> c.count())
                              .sum())
                      .as(method)
                      .isEqualTo(w.metrics().apiCalls().get(method).doubleValue()));
    }
    assertThat(w.metrics().apiCalls().get("chat.postMessage")).isGreaterThanOrEqualTo(190 * 2);
    // 1,000 messages, and the meters are as many as the kinds of thing that happened: no ts, no
    // text, no event id in a tag
    Set<String> tagValues = new HashSet<>();
    for (Meter m : registry.getMeters()) {
      m.getId().getTags().forEach(t -> tagValues.add(t.getValue()));
    }
    assertThat(registry.getMeters()).hasSizeLessThan(40);
    assertThat(tagValues).noneMatch(v -> v.matches(".*\\d{10}\\.\\d{6}.*|.*Ev\\w+"));
  }

  @Test
  void health_readyWhileRunning_notReadyOnceStopping_beforeTheLeaseIsHandedBack() throws Exception {
    slack = TestSlack.start(1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SlackMQWorker w = socketMode(slack.worker(1, "h1").stopDeadline(Duration.ofSeconds(20)));
    w.listen(
        "^slow$",
        m -> {
          started.countDown();
          release.await();
          m.replyInThread("done");
        });
    assertThat(w.health().ready()).isFalse(); // NEW
    w.start();
    assertThat(w.health()).isEqualTo(new SlackMQWorker.Health(true, true, List.of()));
    String ts = slack.post("slow");
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    Thread stopper = new Thread(() -> w.stop(Duration.ofSeconds(20)));
    stopper.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> !w.health().ready());
    SlackMQWorker.Health stopping = w.health();
    assertThat(stopping.live()).isTrue();
    assertThat(stopping.reasons()).contains("stopping: takes no new work");
    // not ready while the handler still holds its lease: the lock is still on the message
    assertThat(slack.thread(ts)).noneMatch(m -> "done".equals(m.getText()));
    release.countDown();
    stopper.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(w.state()).isEqualTo(SlackMQWorker.State.TERMINATED);
    assertThat(w.health().live()).isFalse();
    assertThat(slack.thread(ts)).anyMatch(m -> "done".equals(m.getText()));
  }

  @Test
  void health_notReadyWhileSlackAnswers5xx_readyAgainWhenItRecovers() {
    slack = TestSlack.start(1);
    SlackMQWorker w = socketMode(slack.worker(1, "h2").sweepInterval(Duration.ofMillis(200)));
    w.listen("^hostname$", m -> m.reply("h2"));
    w.start();
    assertThat(w.health().ready()).isTrue();
    slack.emulator.faults().errorRate("conversations.history", Faults.ErrorKind.HTTP_500, 1.0);
    await().atMost(Duration.ofSeconds(30)).until(() -> !w.health().ready());
    assertThat(w.health().live()).isTrue(); // Slack's trouble, not the worker's: do not restart it
    assertThat(w.health().reasons())
        .anySatisfy(r -> assertThat(r).contains("conversations.history answered http_500"));
    slack.emulator.faults().clear();
    await().atMost(Duration.ofSeconds(30)).until(() -> w.health().ready());
  }

  @Test
  void aFatalJvmErrorFailsTheWorker_andAnotherWorkerTakesTheMessageOver() {
    slack = TestSlack.start(1);
    SlackMQWorker doomed = socketMode(slack.worker(1, "doomed"));
    doomed.listen(
        "^job$",
        m -> {
          throw new OutOfMemoryError("test: a handler ran out of memory");
        });
    doomed.start();
    String ts = slack.post("job");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> doomed.state() == SlackMQWorker.State.FAILED);
    assertThat(doomed.failureCause()).isInstanceOf(OutOfMemoryError.class);
    SlackMQWorker.Health h = doomed.health();
    assertThat(h.live()).isFalse();
    assertThat(h.reasons())
        .anySatisfy(r -> assertThat(r).startsWith("FAILED: ").contains("memory"));

    // nothing is lost: the lease it left expires and a healthy worker's sweeper finishes the job
    SlackMQWorker healthy = socketMode(slack.worker(1, "healthy"));
    healthy.listen("^job$", m -> m.replyInThread("done by healthy"));
    healthy.start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> slack.thread(ts).stream().anyMatch(m -> "done by healthy".equals(m.getText())));
  }
}
