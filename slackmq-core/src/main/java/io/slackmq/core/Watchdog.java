package io.slackmq.core;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease's watchdog ({@link Lease#startWatchdog()}): renews it every ttl/3 until it ends. A failed
 * renewal is logged and retried at the next tick; a lost lease stops it. Nothing a tick throws
 * escapes, since the scheduler would cancel the watchdog for good, silently.
 */
final class Watchdog {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

  private final LeaseImpl lease;
  private ScheduledFuture<?> task;

  Watchdog(LeaseImpl lease) {
    this.lease = lease;
  }

  /** Starts renewing every {@code everyNanos}; idempotent. */
  synchronized void start(ScheduledExecutorService scheduler, long everyNanos) {
    if (task == null) {
      task =
          scheduler.scheduleWithFixedDelay(
              this::tick, everyNanos, everyNanos, TimeUnit.NANOSECONDS);
    }
  }

  synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private void tick() {
    if (lease.phase() != LeaseImpl.Phase.ACTIVE) {
      stop();
      return;
    }
    try {
      lease.extend();
    } catch (SlackMQException e) {
      if (e.isLeaseLost()) {
        log.warn("lease on {}/{} lost: {}", lease.channel(), lease.ts(), e.hint());
        stop();
      } else {
        log.warn(
            "renewing lease on {}/{} failed ({}); retrying at the next tick",
            lease.channel(),
            lease.ts(),
            e.error());
      }
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      log.warn(
          "renewing lease on {}/{} failed; retrying at the next tick",
          lease.channel(),
          lease.ts(),
          e);
    }
  }
}
