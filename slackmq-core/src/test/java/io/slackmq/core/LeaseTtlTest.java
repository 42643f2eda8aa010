package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-acquire ttls, renewals that set a ttl, and ledger compaction, over real HTTP on the local
 * Slack: what a lock taken over and over under one name (the ShedLock provider) needs.
 */
class LeaseTtlTest {
  static Fixture slack;

  @BeforeAll
  static void start() {
    slack = Fixture.start();
  }

  @AfterAll
  static void stop() {
    slack.close();
  }

  private static LockClient client(String token, String worker) {
    return slack
        .client(token, Strategy.PIN, Duration.ofSeconds(60))
        .workerId(worker)
        .clockSkew(Duration.ZERO)
        .build();
  }

  @Test
  void acquireWithATtl_theClaimCarriesIt_andOthersTakeOverRightAfter() {
    String ts = slack.postTasks(1).get(0);
    try (LockClient a = client(slack.botA(), "host-a");
        LockClient b = client(slack.botB(), "host-b")) {
      Lease lease =
          a.acquire(slack.channel, ts, Duration.ofMillis(800)).leaseIfAcquired().orElseThrow();
      MessageState.Held held = (MessageState.Held) a.inspect(slack.channel, ts);
      assertThat(Duration.between(held.since(), held.expires())).isEqualTo(Duration.ofMillis(800));
      assertThat(lease.expiresAt()).isBefore(Instant.now().plusMillis(800));
      assertThat(b.acquire(slack.channel, ts)).isInstanceOf(Outcome.Held.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> !lease.isValid());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> b.acquire(slack.channel, ts) instanceof Outcome.Acquired);
    }
  }

  @Test
  void extendWithATtl_shortensOrLengthensTheLease_forEveryReader() {
    String ts = slack.postTasks(1).get(0);
    try (LockClient a = client(slack.botA(), "host-a");
        LockClient b = client(slack.botB(), "host-b")) {
      Lease lease =
          a.acquire(slack.channel, ts, Duration.ofMinutes(5)).leaseIfAcquired().orElseThrow();
      lease.extend(Duration.ofMillis(600));
      MessageState.Held held = (MessageState.Held) b.inspect(slack.channel, ts);
      assertThat(held.expires()).isBefore(Instant.now().plusMillis(700));
      assertThat(lease.expiresAt()).isBefore(Instant.now().plusMillis(600));
      lease.extend(Duration.ofMinutes(10)); // longer again, from this renewal on
      held = (MessageState.Held) b.inspect(slack.channel, ts);
      assertThat(held.expires()).isAfter(Instant.now().plus(Duration.ofMinutes(9)));
      lease.extend(Duration.ofMillis(400));
      assertThat(b.acquire(slack.channel, ts)).isInstanceOf(Outcome.Held.class);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> b.acquire(slack.channel, ts) instanceof Outcome.Acquired);
      assertThat(lease.isValid()).isFalse();
    }
  }

  @Test
  void compaction_aLockTakenOverAndOver_keepsItsThreadToTheLastEpisode() {
    String ts = slack.postTasks(1).get(0);
    Duration ttl = Duration.ofMinutes(10);
    try (LockClient a =
        slack
            .client(slack.botA(), Strategy.PIN, Duration.ofSeconds(60))
            .workerId("host-a")
            .compactLedger(true)
            .build()) {
      for (int round = 0; round < 5; round++) {
        Lease lease = a.acquire(slack.channel, ts, ttl).leaseIfAcquired().orElseThrow();
        lease.handBack("turn over");
      }
      Lease last = a.acquire(slack.channel, ts, ttl).leaseIfAcquired().orElseThrow();
      // only this claim: the five earlier episodes (claim + hand-back each) were deleted, though
      // their lockAtMostFor had not run out (they were handed back)
      assertThat(slack.local.thread(ts)).hasSize(2); // the parent and the claim
      assertThat(a.calls().of("chat.delete")).isEqualTo(10);
      assertThat(last.attempt()).isEqualTo(1);
      last.handBack("done");
    }
  }

  @Test
  void compaction_stopsAtAnotherAppsEntry_andKeepsWhatFollows() {
    String ts = slack.postTasks(1).get(0);
    try (LockClient a = client(slack.botA(), "host-a");
        LockClient b =
            slack
                .client(slack.botB(), Strategy.PIN, Duration.ofSeconds(60))
                .workerId("host-b")
                .compactLedger(true)
                .build()) {
      a.acquire(slack.channel, ts, Duration.ofMinutes(10))
          .leaseIfAcquired()
          .orElseThrow()
          .handBack("quick");
      b.acquire(slack.channel, ts, Duration.ofMinutes(10))
          .leaseIfAcquired()
          .orElseThrow()
          .handBack("quick");
      b.acquire(slack.channel, ts, Duration.ofMinutes(10))
          .leaseIfAcquired()
          .orElseThrow()
          .handBack("quick");
      // b may not delete a's claim, which comes first: nothing after it goes either
      assertThat(b.calls().of("chat.delete")).isEqualTo(2); // one refused, one refused again
      assertThat(slack.local.thread(ts)).hasSize(7);
    }
  }
}
