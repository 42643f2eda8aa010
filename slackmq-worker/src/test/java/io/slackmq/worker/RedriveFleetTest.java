package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.slack.api.model.Message;
import io.slackmq.core.LockClient;
import io.slackmq.core.Redrive;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dead letters an operator can act on: three workers race, the message is dead-lettered and
 * announced once in the dead-letter channel, a redrive puts it back, and the fleet processes it
 * exactly once more.
 */
class RedriveFleetTest {
  private final List<SlackMQWorker> workers = new ArrayList<>();
  private TestSlack slack;

  @AfterEach
  void tearDown() {
    workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
    if (slack != null) {
      slack.close();
    }
  }

  private List<Message> dlq(String channel) throws Exception {
    var r =
        slack.local.sdk(slack.botToken(1)).conversationsHistory(q -> q.channel(channel).limit(100));
    assertThat(r.isOk()).as(r.getError()).isTrue();
    return r.getMessages();
  }

  @Test
  void deadLetter_announcedOnce_thenRedriven_andProcessedExactlyOnceByTheFleet() throws Exception {
    slack = TestSlack.start(1);
    var created =
        slack.local.sdk(slack.botToken(1)).conversationsCreate(q -> q.name("slackmq-dead-letters"));
    assertThat(created.isOk()).as(created.getError()).isTrue();
    String deadLetters = created.getChannel().getId();

    AtomicBoolean broken = new AtomicBoolean(true);
    List<String> ran = new CopyOnWriteArrayList<>();
    for (int i = 1; i <= 3; i++) {
      SlackMQWorker w =
          slack
              .worker(1, "w" + i)
              .appToken(slack.appToken(1))
              .sources(SlackMQWorker.Source.SOCKET_MODE)
              .maxAttempts(2)
              .deadLetterChannel(deadLetters)
              .build();
      w.listen(
          "^deploy (\\S+)$",
          m -> {
            if (broken.get()) {
              throw new IOException("disk full on " + m.workerId());
            }
            ran.add(m.workerId());
            m.replyInThread("deployed " + m.group(1) + " on " + m.workerId());
          });
      workers.add(w.start());
    }
    String ts = slack.post("deploy web-7");

    // Dead-lettered after two failed attempts, announced exactly once, with a link and the reason.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> slack.thread(ts).get(0).getReactions() != null && !dlq(deadLetters).isEmpty());
    await() // and no second announcement from the other workers
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> dlq(deadLetters).size() == 1);
    List<Message> announced = dlq(deadLetters);
    String permalink =
        slack
            .local
            .sdk(slack.botToken(1))
            .chatGetPermalink(q -> q.channel(slack.channel).messageTs(ts))
            .getPermalink();
    assertThat(announced.get(0).getText())
        .contains("<" + permalink + "|Dead-lettered>", "after 2 attempts", "disk full on w")
        .contains("slackmq redrive --channel " + slack.channel + " " + ts);
    assertThat(ran).isEmpty();

    // The operator fixes the disk and redrives: exactly one worker runs it, once.
    broken.set(false);
    try (LockClient ops =
        LockClient.builder()
            .token(slack.botToken(1))
            .apiUrl(slack.emulator.apiUrl())
            .workerId("alice-ops")
            .pacing(false)
            .readLagBound(Duration.ZERO)
            .build()) {
      assertThat(ops.redrive(slack.channel, ts, "disk replaced"))
          .isInstanceOf(Redrive.Redriven.class);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> ran.size() == 1);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> ran.size() == 1);
    List<String> thread = slack.thread(ts).stream().map(Message::getText).toList();
    assertThat(thread).anyMatch(t -> t.contains("redriven by alice-ops: disk replaced"));
    assertThat(thread.stream().filter(t -> t.startsWith("deployed web-7 on "))).hasSize(1);
    assertThat(slack.thread(ts).get(0).getReactions())
        .extracting(r -> r.getName())
        .containsExactly("white_check_mark");
    assertThat(dlq(deadLetters)).hasSize(1);
    assertThat(workers.stream().mapToLong(w -> w.metrics().deadLettered()).sum()).isEqualTo(1);
  }
}
