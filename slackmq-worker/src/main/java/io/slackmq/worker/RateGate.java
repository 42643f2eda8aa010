package io.slackmq.worker;

import io.slackmq.core.SlackApi;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Back-pressure after a 429: every source, the sweeper and the handler tasks wait at this gate
 * until Slack's Retry-After has passed, rather than piling up calls that would be refused.
 */
final class RateGate {
  private final LongSupplier nanoTime;
  private final SlackApi.Sleeper sleeper;
  private volatile long openAtNanos;

  /** A gate, open, on the monotonic clock {@code nanoTime}; waits with {@code sleeper}. */
  RateGate(LongSupplier nanoTime, SlackApi.Sleeper sleeper) {
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.openAtNanos = nanoTime.getAsLong();
  }

  /** Closes the gate for {@code d} (extends, never shortens, a pause in force). */
  synchronized void pause(Duration d) {
    long until = nanoTime.getAsLong() + d.toNanos();
    if (until - openAtNanos > 0) {
      openAtNanos = until;
    }
  }

  boolean isPaused() {
    return openAtNanos - nanoTime.getAsLong() > 0;
  }

  /** Blocks until the gate is open. */
  void awaitOpen() throws InterruptedException {
    long left;
    while ((left = openAtNanos - nanoTime.getAsLong()) > 0) {
      sleeper.sleep(left);
    }
  }
}
