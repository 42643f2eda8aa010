package io.slackmq.worker;

import io.slackmq.core.Lease;
import io.slackmq.core.LockClient;
import io.slackmq.core.Outcome;
import io.slackmq.core.SlackMQException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a handler under a lease (ONE and ROLLING): the watchdog renews it while the handler runs; a
 * handler that returns has its success recorded (complete, or the ROLLING turn); one that throws
 * fails the attempt ({@link Lease#fail}: released for a retry, or dead-lettered by core on the last
 * attempt); a stop hands the lease back without spending an attempt. Never leaves a lock behind,
 * unless {@link #kill() killed}, as after a crash.
 */
final class LeaseRunner {
  private static final Logger log = LoggerFactory.getLogger(LeaseRunner.class);
  private static final int RECORD_TRIES = 3;

  private final WorkerConfig cfg;
  private final LockClient lock;
  private final SlackCalls slack;
  private final Replies replies;
  private final LocalState local;
  private final Counters counters;
  private final Set<Lease> active = ConcurrentHashMap.newKeySet();
  private volatile boolean killed;

  LeaseRunner(
      WorkerConfig cfg,
      LockClient lock,
      SlackCalls slack,
      Replies replies,
      LocalState local,
      Counters counters) {
    this.cfg = cfg;
    this.lock = lock;
    this.slack = slack;
    this.replies = replies;
    this.local = local;
    this.counters = counters;
  }

  /**
   * Tries to take {@code m}, counting the outcome; a message found done or dead is remembered. A
   * 429 met on the way has already closed the gate (the lock client's listener).
   */
  Outcome acquire(Incoming m) {
    Outcome o = lock.acquire(m.channel(), m.ts());
    if (o instanceof Outcome.Acquired) {
      counters.acquired.increment();
    } else if (o instanceof Outcome.Held h) {
      counters.lostRaces.increment();
      log.debug("held by {} until {}", h.holder(), h.expires());
    } else if (o instanceof Outcome.DeadLettered d && d.byThisCall()) {
      // Our claim won, but the message had already failed too often: we wrote the dead entry.
      log.error("dead-lettered after {} attempts that did not finish", d.attempts());
      replies.deadLettered(
          m,
          d.attempts(),
          "its last attempts ended without finishing (their leases expired or were released:"
              + " workers stopped, crashed, or lost the lease)");
    } else if (o instanceof Outcome.Done) {
      local.finish(m.key());
    } else if (o instanceof Outcome.DeadLettered) {
      local.finishDead(m.key());
    } else if (o instanceof Outcome.Failed f) {
      log.warn("could not acquire: {} ({})", f.slackError(), f.hint());
    }
    return o;
  }

  /** What a handler's success writes: complete the lease, or record a turn and hand it back. */
  interface Success {
    void record(Lease lease);
  }

  /** Runs {@code job}'s handler under {@code lease}, then records {@code success}. */
  DeliveryMode.Next run(Job job, Lease lease, Success success) {
    active.add(lease);
    lease.startWatchdog();
    try {
      DeliveryMode.Next next = runHandler(job, lease);
      if (next == null && !killed) {
        recordSuccess(job, lease, success);
      }
      return next == null ? DeliveryMode.Next.DONE : next;
    } finally {
      active.remove(lease);
      if (!killed) {
        lease.close(); // releases if neither completed nor handed back: never leave a lock behind
      }
    }
  }

  /** Null if the handler returned; else what to do after its failure. */
  private DeliveryMode.Next runHandler(Job job, Lease lease) {
    try {
      job.listener()
          .run(
              new Context(
                  job.message(),
                  job.matcher(),
                  slack,
                  lease,
                  cfg.workerId(),
                  job.delivery(),
                  lease.attempt()),
              counters);
      return null;
    } catch (SlackMQException e) {
      if (killed) {
        return DeliveryMode.Next.DONE; // a crashed worker completes nothing: its lease expires
      }
      if (e.isLeaseLost()) {
        log.warn("lease lost while handling: another worker may take over");
        return DeliveryMode.Next.DONE;
      }
      return failed(job, lease, e);
    } catch (InterruptedException e) {
      if (!killed) {
        // Before restoring the flag: an interrupted thread cannot make the hand-back's calls.
        handBackQuietly(
            lease,
            local.accepting()
                ? "worker " + cfg.workerId() + " interrupted"
                : "worker " + cfg.workerId() + " stopping: deadline passed");
      }
      Thread.currentThread().interrupt();
      return DeliveryMode.Next.DONE;
    } catch (Exception e) {
      return killed ? DeliveryMode.Next.DONE : failed(job, lease, e);
    }
  }

  private DeliveryMode.Next failed(Job job, Lease lease, Exception e) {
    String why = Replies.describe(e);
    if (!lease.isValid()) {
      log.warn("handler failed after the lease ended: {}", why);
      return DeliveryMode.Next.DONE;
    }
    log.warn("handler failed (attempt {} of {}): {}", lease.attempt(), cfg.maxAttempts(), why, e);
    if (lease.fail("attempt " + lease.attempt() + " failed: " + why)) {
      log.error("dead-lettered after {} attempts: {}", lease.attempt(), why);
      replies.deadLettered(job.message(), lease.attempt(), why);
      return DeliveryMode.Next.DONE;
    }
    counters.retried.increment();
    return DeliveryMode.Next.RETRY;
  }

  /**
   * The handler succeeded: record it. A failure here is not the handler's, so it never counts as a
   * failed attempt nor leads to a dead letter. It is retried a few times (core's complete() renews
   * or re-claims a lease that expired during a long handler); if recording still fails, the lease
   * is handed back with the reason and the message will run again: at least once, never lost.
   */
  private void recordSuccess(Job job, Lease lease, Success success) {
    for (int attempt = 1; ; attempt++) {
      try {
        success.record(lease);
        counters.completed.increment();
        log.info("handled by {} ({})", cfg.workerId(), job.listener());
        return;
      } catch (SlackMQException e) {
        if (e.isLeaseLost() || killed || attempt == RECORD_TRIES) {
          log.error(
              "handled, but recording it failed ({}: {}); another worker will run it again",
              e.error(),
              e.hint());
          if (!e.isLeaseLost() && !killed) {
            handBackQuietly(
                lease, "handled by " + cfg.workerId() + ", but marking it failed: " + e.error());
          }
          return;
        }
        log.warn("handled, recording it failed ({}); retrying", e.error());
        try {
          cfg.sleeper().sleep(200_000_000L * attempt); // the watchdog keeps the lease meanwhile
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  void handBackQuietly(Lease lease, String reason) {
    try {
      lease.handBack(reason);
    } catch (RuntimeException e) {
      log.warn("could not hand back {}/{}: {}", lease.channel(), lease.ts(), e.getMessage());
    }
  }

  /**
   * From now on no lease is completed, handed back or closed, as after a real crash, so other
   * workers must wait for the leases to expire.
   */
  void kill() {
    killed = true;
  }

  /** Hands back every lease still held (handlers that did not finish within the deadline). */
  void handBackAll(String reason) {
    for (Lease lease : active) {
      handBackQuietly(lease, reason);
    }
  }

  int activeLeases() {
    return active.size();
  }
}
