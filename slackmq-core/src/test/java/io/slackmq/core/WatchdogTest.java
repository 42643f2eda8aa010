package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Watchdogs keep leases alive: through long jobs, slow completes, and a stuck renewal. */
class WatchdogTest {
  @Test
  void longJobWithWatchdog_neverTakenOver() throws Exception {
    // ttl 3 s, renewed every 1 s, margin 300 ms: a stall of over a second on a loaded box is
    // survived, and the job still outlives the ttl four times.
    Duration ttl = Duration.ofSeconds(3);
    try (Fixture slack = Fixture.start();
        LockClient holder = slack.client(slack.botA(), Strategy.PIN, ttl).build();
        LockClient rival =
            slack.client(slack.botB(), Strategy.PIN, ttl).clockSkew(Duration.ZERO).build()) {
      String ts = slack.postTasks(1).get(0);
      Lease lease = holder.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      lease.startWatchdog();
      long end = System.nanoTime() + ttl.multipliedBy(4).toNanos();
      List<Outcome> rivalSaw = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                rivalSaw.add(rival.acquire(slack.channel, ts));
                assertThat(lease.isValid()).isTrue();
                return System.nanoTime() > end;
              });
      assertThat(rivalSaw).hasSizeGreaterThan(4).allMatch(o -> o instanceof Outcome.Held);
      // 4 ttl alive means at least 4 counted renewals after the claim
      assertThat(holder.calls().of("chat.postMessage")).isGreaterThanOrEqualTo(1 + 4);
      lease.complete();
      assertThat(rival.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
    }
  }

  @Test
  void slowComplete_watchdogKeepsRenewing_neverTakenOver() throws Exception {
    // The done mark takes 1.5 ttl (as a reactions.add waiting out Retry-After would): the
    // watchdog must keep renewing meanwhile, or the rival takes over before done lands.
    Duration ttl = Duration.ofSeconds(2);
    try (Fixture slack = Fixture.start();
        LockClient holder = slack.client(slack.botA(), Strategy.PIN, ttl).build();
        LockClient rival =
            slack.client(slack.botB(), Strategy.PIN, ttl).clockSkew(Duration.ZERO).build()) {
      String ts = slack.postTasks(1).get(0);
      LeaseImpl lease =
          (LeaseImpl)
              holder.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow().startWatchdog();
      slack.emulator.faults().latency("reactions.add", Duration.ofMillis(3000), Duration.ZERO);
      CompletableFuture<Void> completing = CompletableFuture.runAsync(lease::complete);
      List<Outcome> rivalSaw = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                rivalSaw.add(rival.acquire(slack.channel, ts));
                assertThat(lease.isValid() || lease.phase() == LeaseImpl.Phase.COMPLETED)
                    .as("the lease stays valid until done is written")
                    .isTrue();
                return completing.isDone();
              });
      completing.get(); // rethrows a failure of complete()
      assertThat(rivalSaw)
          .hasSizeGreaterThan(4)
          .allMatch(o -> o instanceof Outcome.Held || o instanceof Outcome.Done);
      assertThat(rival.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
      assertThat(holder.calls().of("chat.postMessage"))
          .as("claim + renewals during complete")
          .isGreaterThanOrEqualTo(1 + 2);
    }
  }

  @Test
  void defaultScheduler_aStuckRenewalDoesNotHoldBackOthers() throws Exception {
    try (Fixture slack = Fixture.start();
        LockClient client =
            slack.client(slack.botA(), Strategy.PIN, Duration.ofSeconds(3)).build()) {
      ScheduledExecutorService scheduler = client.engine.scheduler();
      CountDownLatch stuck = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      scheduler.execute(
          () -> { // a renewal sleeping through Retry-After
            stuck.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
      CountDownLatch other = new CountDownLatch(1);
      scheduler.schedule(other::countDown, 10, TimeUnit.MILLISECONDS); // another lease's tick
      try {
        assertThat(other.await(5, TimeUnit.SECONDS)).as("the other renewal ran").isTrue();
      } finally {
        release.countDown();
      }
    }
  }
}
