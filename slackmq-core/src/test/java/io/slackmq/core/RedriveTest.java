package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.Message;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link LockClient#redrive} on the local Slack over real HTTP. */
class RedriveTest {
  static Fixture slack;

  @BeforeAll
  static void start() {
    slack = Fixture.start();
  }

  @AfterAll
  static void stop() {
    slack.close();
  }

  private static LockClient client(String token, String who) {
    return slack
        .client(token, Strategy.PIN, Duration.ofSeconds(5))
        .maxAttempts(1)
        .workerId(who)
        .build();
  }

  /** A message that worker {@code client} dead-lettered after one failed attempt. */
  private static String deadLettered(LockClient client) {
    String ts = slack.postTasks(1).get(0);
    Lease lease = client.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
    assertThat(lease.fail("disk full")).isTrue();
    return ts;
  }

  @Test
  void redrive_putsADeadMessageBack_attemptsStartAgain_andTheThreadSaysWhoAndWhy() {
    try (LockClient worker = client(slack.botA(), "host-1");
        LockClient ops = client(slack.botA(), "alice@laptop")) {
      String ts = deadLettered(worker);
      Redrive r = ops.redrive(slack.channel, ts, "disk replaced");
      assertThat(r).isInstanceOf(Redrive.Redriven.class);
      assertThat(((Redrive.Redriven) r).failedAttempts()).isEqualTo(1);
      assertThat(worker.inspect(slack.channel, ts)).isEqualTo(new MessageState.Free(0, false));
      Message entry = slack.local.thread(ts).get(slack.local.thread(ts).size() - 1);
      assertThat(entry.getTs()).isEqualTo(((Redrive.Redriven) r).entryTs());
      assertThat(entry.getText()).contains("redriven by alice@laptop: disk replaced");
      assertThat(slack.local.thread(ts).get(0).getReactions()).isNull();

      Lease again = worker.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      assertThat(again.attempt()).isEqualTo(1); // maxAttempts 1: a fresh first attempt
      again.complete();
      assertThat(ops.redrive(slack.channel, ts, "twice"))
          .isEqualTo(new Redrive.NotDead(new MessageState.Done(1, false, "host-1")));
    }
  }

  @Test
  void redrive_ofAMessageThatIsNotDead_writesNothing() {
    try (LockClient worker = client(slack.botA(), "host-1");
        LockClient ops = client(slack.botA(), "ops")) {
      String ts = slack.postTasks(1).get(0);
      Lease lease = worker.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      int before = slack.local.thread(ts).size();
      Redrive r = ops.redrive(slack.channel, ts, "too early");
      assertThat(r).isInstanceOf(Redrive.NotDead.class);
      assertThat(((Redrive.NotDead) r).state()).isInstanceOf(MessageState.Held.class);
      assertThat(slack.local.thread(ts)).hasSize(before);
      assertThat(lease.isValid()).isTrue();
      lease.complete();
    }
  }

  @Test
  void redrive_whenTheDeadReactionIsAnotherUsers_saysSo_andItsOwnerFinishesIt() {
    try (LockClient worker = client(slack.botA(), "host-a");
        LockClient otherApp = client(slack.botB(), "ops-b");
        LockClient sameApp = client(slack.botA(), "ops-a")) {
      String ts = deadLettered(worker);
      Redrive r = otherApp.redrive(slack.channel, ts, "fixed");
      assertThat(r).isInstanceOf(Redrive.Failed.class);
      assertThat(((Redrive.Failed) r).slackError()).isEqualTo("dead_mark_not_ours");
      assertThat(((Redrive.Failed) r).hint()).contains("another user");
      assertThat(worker.inspect(slack.channel, ts)).isInstanceOf(MessageState.DeadLettered.class);

      assertThat(sameApp.redrive(slack.channel, ts, "fixed")).isInstanceOf(Redrive.Redriven.class);
      assertThat(worker.inspect(slack.channel, ts)).isInstanceOf(MessageState.Free.class);
    }
  }

  @Test
  void redrive_errorsComeBackAsFailed_withSlacksCode() {
    try (LockClient ops = client(slack.botA(), "ops")) {
      assertThat(ops.redrive(slack.channel, "yesterday", "x"))
          .isInstanceOf(Redrive.Failed.class)
          .extracting(f -> ((Redrive.Failed) f).slackError())
          .isEqualTo("bad_timestamp");
      assertThat(
              ((Redrive.Failed) ops.redrive(slack.channel, "1500000000.000001", "x")).slackError())
          .isEqualTo("thread_not_found"); // conversations.replies says so, as Slack does
      assertThat(
              ((Redrive.Failed) ops.redrive("C0NOPE1234", "1500000000.000001", "x")).slackError())
          .isEqualTo("channel_not_found");
    }
  }
}
