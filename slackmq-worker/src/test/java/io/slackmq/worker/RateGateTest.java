package io.slackmq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The back-pressure gate on fake time: no test waits for real. */
class RateGateTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final List<Long> slept = new ArrayList<>();
  private final RateGate gate =
      new RateGate(
          now::get,
          nanos -> {
            slept.add(nanos);
            now.addAndGet(nanos);
          });

  @Test
  void open_untilPaused_thenClosedForTheRetryAfter() throws Exception {
    assertThat(gate.isPaused()).isFalse();
    gate.pause(Duration.ofSeconds(2));
    assertThat(gate.isPaused()).isTrue();
    now.addAndGet(Duration.ofMillis(1_999).toNanos());
    assertThat(gate.isPaused()).isTrue();
    now.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(gate.isPaused()).isFalse();
  }

  @Test
  void awaitOpen_sleepsExactlyTheRestOfThePause() throws Exception {
    gate.pause(Duration.ofSeconds(3));
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    gate.awaitOpen();
    assertThat(slept).containsExactly(Duration.ofSeconds(2).toNanos());
    gate.awaitOpen(); // open: no wait
    assertThat(slept).hasSize(1);
  }

  @Test
  void aShorterPause_neverShortensOneInForce() {
    gate.pause(Duration.ofSeconds(10));
    gate.pause(Duration.ofSeconds(1));
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(gate.isPaused()).isTrue();
  }
}
