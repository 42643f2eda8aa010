package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.slackmq.emulator.Emulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers with user tokens of two different users: their ledger entries carry no bot_id, yet each
 * must count the other's claims (user-token mode, docs/PROTOCOL.md assumption A3).
 */
class UserTokensTest {
  static final int MESSAGES = 10;

  @TempDir Path dir;

  @Test
  void twoUsersTokens_racingWithPin_exactlyOneHolder() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("workspace.json"),
            """
        {"teams":[{"name":"Two Humans","users":[{"name":"alice"},{"name":"bob"}],
          "channels":[{"name":"ops","members":["alice","bob"]}]}]}""");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Fixture slack = Fixture.start(Emulator.builder().noRateLimits().config(config));
        LockClient alice = userClient(slack, "SLACK_USER_TOKEN_ALICE", "alice-host");
        LockClient bob = userClient(slack, "SLACK_USER_TOKEN_BOB", "bob-host")) {
      // Both pins may succeed within 20 ms (Slack's check-then-act race): the ledger decides.
      slack.emulator.faults().raceDelay(Duration.ofMillis(20)).raceWindow(Duration.ofHours(1));
      List<String> tasks = slack.postTasks(MESSAGES);
      for (String ts : tasks) {
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<Outcome> a =
            CompletableFuture.supplyAsync(() -> race(start, alice, slack.channel, ts), pool);
        CompletableFuture<Outcome> b =
            CompletableFuture.supplyAsync(() -> race(start, bob, slack.channel, ts), pool);
        List<Outcome> both = List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS));
        assertThat(both)
            .as("message %s", ts)
            .filteredOn(o -> o instanceof Outcome.Acquired)
            .hasSize(1);
        assertThat(both).as("message %s", ts).filteredOn(o -> o instanceof Outcome.Held).hasSize(1);
        both.forEach(o -> o.leaseIfAcquired().ifPresent(Lease::complete));
        assertThat(alice.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
        assertThat(bob.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A user-token client whose wall clock runs an hour ahead: it takes an unclaimed-looking pinned
   * message for abandoned and claims, so only the ledger can stop a second holder.
   */
  private static LockClient userClient(Fixture slack, String tokenVar, String worker) {
    InstantSource ahead = InstantSource.offset(java.time.Clock.systemUTC(), Duration.ofHours(1));
    return slack
        .client(slack.env.get(tokenVar), Strategy.PIN, Duration.ofSeconds(30))
        .workerId(worker)
        .clockSkew(Duration.ZERO)
        .clock(ahead, System::nanoTime)
        .build();
  }

  private static Outcome race(CyclicBarrier start, LockClient client, String channel, String ts) {
    try {
      start.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the other racer did not start", e);
    }
    return client.acquire(channel, ts);
  }
}
