package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admission's rules (dedup, own messages, sweep grace, done marks) on a fixed clock, with the
 * handler pool's real threads and a recording delivery mode in place of the modes (no Slack call is
 * made: these rules decide before any).
 */
class AdmissionTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final long NOW_SECS = NOW.getEpochSecond();

  private final BlockingQueue<Job> delivered = new LinkedBlockingQueue<>();
  private final ThreadPoolExecutor threads =
      new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10));
  private final WorkerConfig cfg =
      new WorkerConfig(
          Set.of("C1"),
          "w1",
          3,
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          Duration.ofHours(1),
          Duration.ofSeconds(10),
          Duration.ofSeconds(5),
          Set.of(),
          List.of(),
          Duration.ofSeconds(5),
          Duration.ofSeconds(60),
          null,
          1.0,
          Duration.ofSeconds(2),
          "lock",
          "white_check_mark",
          "skull",
          InstantSource.fixed(NOW),
          () -> 0L,
          nanos -> {});
  private final Self self = new Self();
  private final LocalState local = new LocalState();
  private final Counters counters = new Counters();
  private final Listener deploy =
      new Listener(Listener.compile("^deploy (\\S+)$"), Delivery.ONE, m -> {}, false);
  private final Admission admission;

  AdmissionTest() {
    DeliveryMode record =
        job -> {
          delivered.add(job);
          return DeliveryMode.Next.DONE;
        };
    HandlerPool pool =
        new HandlerPool(
            cfg,
            threads,
            Executors.newSingleThreadScheduledExecutor(),
            Map.of(Delivery.ONE, record),
            local,
            self,
            new RateGate(() -> 0L, nanos -> {}),
            counters,
            new Vitals(() -> 0L));
    self.learn("UBOT", "BBOT");
    admission =
        new Admission(
            cfg, List.of(deploy), self, local, pool, counters, new Affinity(cfg, self, null, pool));
  }

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private static Incoming message(String ts, String text, String user, String eventId) {
    return new Incoming("C1", ts, text, user, null, null, null, eventId);
  }

  private Job next() throws InterruptedException {
    return delivered.poll(10, TimeUnit.SECONDS);
  }

  @Test
  void offer_sameEventTwice_orSameMessageByTwoEvents_runsOnce() throws Exception {
    Incoming m = message(NOW_SECS + ".000100", "deploy web-7", "UALICE", "Ev1");
    admission.offer(m, "socket_mode");
    admission.offer(m, "socket_mode");
    admission.offer(message(NOW_SECS + ".000100", "deploy web-7", "UALICE", "Ev2"), "socket_mode");
    Job job = next();
    assertThat(job.matcher().group(1)).isEqualTo("web-7");
    assertThat(counters.duplicates.sum()).isEqualTo(2);
    admission.offer(message(NOW_SECS + ".000200", "deploy web-8", "UALICE", "Ev3"), "socket_mode");
    assertThat(next().matcher().group(1)).isEqualTo("web-8"); // FIFO: nothing else came first
  }

  @Test
  void match_ignoresOurOwnMessages_threadReplies_otherChannels_andNonMatches() {
    assertThat(admission.match(message("1.000001", "deploy a", "UBOT", null))).isNull();
    assertThat(admission.match(new Incoming("C1", "2.0", "deploy a", "U", null, null, "1.0", null)))
        .isNull();
    assertThat(admission.match(new Incoming("C9", "2.0", "deploy a", "U", null, null, null, null)))
        .isNull();
    assertThat(admission.match(message("2.000001", "hello", "UALICE", null))).isNull();
    assertThat(admission.match(message("2.000001", "deploy a", "UALICE", null))).isNotNull();
  }

  @Test
  void sweep_leavesAFreshUnmarkedMessageToItsEvent_takesItAfterTheGrace() throws Exception {
    Incoming fresh = message((NOW_SECS - 9) + ".000000", "deploy fresh", "UALICE", null);
    Incoming old = message((NOW_SECS - 11) + ".000000", "deploy old", "UALICE", null);
    admission.sweep(fresh, Set.of(), false);
    admission.sweep(old, Set.of(), false);
    Job job = next();
    assertThat(job.matcher().group(1)).isEqualTo("old");
    assertThat(job.inspectFirst()).isFalse();
    admission.sweep(fresh, Set.of(), true); // pinned: someone holds it or held it; inspect first
    Job marked = next();
    assertThat(marked.matcher().group(1)).isEqualTo("fresh");
    assertThat(marked.inspectFirst()).isTrue();
  }

  @Test
  void sweep_doneOrDeadMessage_isRememberedAndNeverDelivered() throws Exception {
    Incoming done = message((NOW_SECS - 60) + ".000000", "deploy done", "UALICE", null);
    admission.sweep(done, Set.of("white_check_mark"), false);
    assertThat(local.finished(done.key())).isTrue();
    admission.sweep(done, Set.of(), false); // finished here: no further look
    admission.sweep(
        message((NOW_SECS - 60) + ".000001", "deploy dead", "UALICE", null),
        Set.of("skull"),
        false);
    admission.sweep(
        message((NOW_SECS - 60) + ".000002", "deploy marker", "UALICE", null), Set.of(), false);
    assertThat(next().matcher().group(1)).isEqualTo("marker"); // the only one delivered
    assertThat(delivered).isEmpty();
  }
}
