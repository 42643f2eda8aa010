package io.slackmq.worker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Back-pressure after a 429: every source, the sweeper and the handler tasks wait at this gate
 * until Slack's Retry-After has passed, rather than piling up calls that would be refused.
 */
final class RateGate {
  private volatile long openAtNanos = System.nanoTime();

  /** Closes the gate for {@code d} (extends, never shortens, a pause in force). */
  synchronized void pause(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    if (until - openAtNanos > 0) {
      openAtNanos = until;
    }
  }

  boolean isPaused() {
    return openAtNanos - System.nanoTime() > 0;
  }

  /** Blocks until the gate is open. */
  void awaitOpen() throws InterruptedException {
    long left;
    while ((left = openAtNanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }
}
