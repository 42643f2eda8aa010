package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slackmq.emulator.Emulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Takeovers on a Slack whose reads lag (issue: exactly-once on the Slack that exists). A holder
 * process is killed with SIGKILL while it holds several messages; once its leases expire, four
 * rescuers (two apps) race for each message at the same instant, on the ledger alone (the pin
 * stays, so no mark excludes anyone). Reads lag up to 300 ms per reader and message, and nobody
 * sees its own post at once (or, in the second run, everybody does). With the read-lag bound at the
 * lag, each message is taken over by exactly one rescuer; with the bound at zero (the protocol
 * before it), the same race lets two rescuers hold one message: the test can fail.
 */
class ReadLagTakeoverTest {
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration LAG = Duration.ofMillis(300);
  private static final int MESSAGES = 6;
  private static final int RESCUERS = 4;

  @Test
  void lagWithinTheBound_eachKilledHoldersMessageTakenOverByExactlyOneOfFour() throws Exception {
    for (boolean ownWritesVisible : new boolean[] {false, true}) {
      List<Integer> holders = race(LAG, ownWritesVisible);
      assertThat(holders).as("valid holders per message after the race").containsOnly(1);
    }
  }

  @Test
  void boundAtZero_theSameRaceFindsTwoHolders() throws Exception {
    // Posters see their own claims at once (else, with no wait, nobody would see theirs and
    // nobody would hold anything): the hazard is the rival's earlier claim, still hidden.
    List<Integer> holders = race(Duration.ZERO, true);
    assertThat(holders.stream().anyMatch(n -> n > 1))
        .as("two rescuers believe they hold one message: %s", holders)
        .isTrue();
  }

  /** Valid leases held at once, per message, after four rescuers raced for it. */
  private List<Integer> race(Duration bound, boolean ownWritesVisible) throws Exception {
    try (Fixture slack =
        Fixture.start(
            Emulator.builder()
                .noRateLimits()
                .faults(f -> f.readLag(LAG).ownWritesVisible(ownWritesVisible).seed(7)))) {
      List<String> tasks = slack.postTasks(MESSAGES);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "hold",
                  slack.emulator.apiUrl(),
                  "SLACK_BOT_TOKEN_SLACKMQ_A",
                  slack.channel,
                  "PIN",
                  Long.toString(TTL.toMillis()),
                  "doomed"));
      args.addAll(tasks);
      Process holder = ProcessTest.worker(slack, args.toArray(String[]::new));
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("ACQUIRED");
      holder.destroyForcibly().waitFor(); // SIGKILL: no release, no cleanup
      List<LockClient> rescuers = new ArrayList<>();
      for (int i = 0; i < RESCUERS; i++) {
        rescuers.add(
            slack
                .client(i % 2 == 0 ? slack.botA() : slack.botB(), Strategy.PIN, TTL)
                .clockSkew(Duration.ofMillis(200))
                .readLagBound(bound)
                .workerId("rescuer-" + i)
                .build());
      }
      LockClient watcher = rescuers.get(0);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  tasks.stream()
                      .allMatch(
                          ts ->
                              watcher.inspect(slack.channel, ts) instanceof MessageState.Expired));
      List<Integer> validHolders = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(RESCUERS);
      try {
        for (String ts : tasks) {
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Outcome>> tries = new ArrayList<>();
          for (LockClient c : rescuers) {
            tries.add(
                pool.submit(
                    () -> {
                      go.await();
                      return c.acquire(slack.channel, ts);
                    }));
          }
          go.countDown();
          List<Lease> won = new ArrayList<>();
          for (Future<Outcome> t : tries) {
            t.get().leaseIfAcquired().ifPresent(won::add);
          }
          validHolders.add((int) won.stream().filter(Lease::isValid).count());
          for (Lease lease : won) {
            lease.complete();
          }
          if (won.size() == 1) {
            assertThat(watcher.inspect(slack.channel, ts))
                .isEqualTo(new MessageState.Done(2, false, won.get(0).holder()));
          }
        }
      } finally {
        pool.shutdownNow();
        rescuers.forEach(LockClient::close);
      }
      System.out.printf(
          "read lag %s, bound %s: valid holders per message %s%n", LAG, bound, validHolders);
      return validHolders;
    }
  }
}
