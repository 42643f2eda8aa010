package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A long job with a watchdog outlives its ttl several times and is never taken over. */
class WatchdogTest {
  @Test
  void longJobWithWatchdog_neverTakenOver() throws Exception {
    Duration ttl = Duration.ofMillis(1000);
    try (Fixture slack = Fixture.start();
        LockClient holder = slack.client(slack.botA(), Strategy.PIN, ttl).build();
        LockClient rival = slack.client(slack.botB(), Strategy.PIN, ttl).clockSkew(Duration.ZERO)
            .build()) {
      String ts = slack.postTasks(1).get(0);
      Lease lease = holder.acquire(slack.channel, ts).leaseIfAcquired().orElseThrow();
      lease.startWatchdog();
      long end = System.nanoTime() + Duration.ofMillis(4 * ttl.toMillis()).toNanos();
      List<Outcome> rivalSaw = new ArrayList<>();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
        rivalSaw.add(rival.acquire(slack.channel, ts));
        assertThat(lease.isValid()).isTrue();
        return System.nanoTime() > end;
      });
      assertThat(rivalSaw).allMatch(o -> o instanceof Outcome.Held);
      assertThat(holder.calls().of("chat.postMessage")).isGreaterThanOrEqualTo(1 + 6);
      lease.complete();
      assertThat(rival.acquire(slack.channel, ts)).isInstanceOf(Outcome.Done.class);
    }
  }
}
