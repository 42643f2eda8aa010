package io.slackmq.core;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease won through the ledger. Validity is local and monotonic: {@code deadline} = the
 * nanoTime at which the last counted claim/renew was sent + ttl - margin (see {@link Lease}).
 * Mutating methods are synchronized; {@link #isValid()} reads volatile fields only, so it never
 * waits for a renewal in flight.
 */
final class LeaseImpl implements Lease {
  private static final Logger log = LoggerFactory.getLogger(LeaseImpl.class);

  enum Phase { ACTIVE, COMPLETED, RELEASED, LOST }

  private final Engine engine;
  private final String channel;
  private final String ts;
  private volatile String id;
  private final int attempt;
  private final long ttlNanos;
  private final long marginNanos;
  private volatile long lastBeat;
  private volatile long deadline;
  private volatile Phase phase = Phase.ACTIVE;
  private ScheduledFuture<?> watchdog;

  LeaseImpl(Engine engine, String channel, String ts, String id, int attempt, long lastBeat,
      long sentNanos) {
    this.engine = engine;
    this.channel = channel;
    this.ts = ts;
    this.id = id;
    this.attempt = attempt;
    this.ttlNanos = engine.settings.ttl().toNanos();
    this.marginNanos = engine.settings.safetyMargin().toNanos();
    this.lastBeat = lastBeat;
    this.deadline = Protocol.deadlineNanos(sentNanos, ttlNanos, marginNanos);
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public String ts() {
    return ts;
  }

  @Override
  public String holder() {
    return engine.settings.workerId();
  }

  @Override
  public String claimId() {
    return id;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Instant expiresAt() {
    long left = deadline - now();
    return engine.settings.clock().instant().plusNanos(left);
  }

  @Override
  public boolean isValid() {
    return phase == Phase.ACTIVE && now() - deadline < 0;
  }

  Phase phase() {
    return phase;
  }

  @Override
  public synchronized void extend() {
    if (!isValid()) {
      throw lost("the lease ended (" + phaseName() + ") before it was extended");
    }
    long sent = now();
    String renewTs = engine.slack.postReply(channel, ts,
        Ledger.renewText(id, engine.settings.workerId()));
    long renew = Ts.parse(renewTs);
    if (!Protocol.renewalCounts(lastBeat, engine.settings.ttlMicros(), renew)) {
      throw lost("the renewal reached Slack after the lease had expired");
    }
    lastBeat = renew;
    deadline = Protocol.deadlineNanos(sent, ttlNanos, marginNanos);
  }

  @Override
  public synchronized Lease startWatchdog() {
    if (watchdog == null && phase == Phase.ACTIVE) {
      long every = Math.max(ttlNanos / 3, 1_000_000L);
      watchdog = engine.scheduler().scheduleWithFixedDelay(this::renewQuietly, every, every,
          TimeUnit.NANOSECONDS);
    }
    return this;
  }

  private void renewQuietly() {
    if (phase != Phase.ACTIVE) {
      stopWatchdog();
      return;
    }
    try {
      extend();
    } catch (SlackMQException e) {
      if (e.isLeaseLost()) {
        log.warn("lease on {}/{} lost: {}", channel, ts, e.hint());
        stopWatchdog();
      } else {
        log.warn("renewing lease on {}/{} failed ({}); retrying at the next tick", channel, ts,
            e.error());
      }
    } catch (RuntimeException e) {
      log.warn("renewing lease on {}/{} failed; retrying at the next tick", channel, ts, e);
    }
  }

  @Override
  public synchronized void complete() {
    if (phase == Phase.COMPLETED) {
      return;
    }
    if (phase == Phase.RELEASED) {
      throw new IllegalStateException("lease on " + channel + "/" + ts + " was released");
    }
    if (!isValid()) {
      // Expired locally (renewals failed, or the handler outlived the ttl): mark done only as
      // a valid holder again, so that "done" is never written beside another valid holder.
      if (!reclaim()) {
        phase = Phase.COMPLETED; // someone else completed it meanwhile
        stopWatchdog();
        return;
      }
    }
    engine.slack.addMark(channel, ts, Strategy.Mark.REACTION, engine.settings.doneEmoji());
    phase = Phase.COMPLETED;
    stopWatchdog();
    engine.removeMarks(channel, ts, true);
  }

  /**
   * Makes this lease valid again: a renewal if the old lease still holds on Slack's clock,
   * else a fresh claim (acquire's steps 2 and 3, marks kept). Returns false if the message was
   * done meanwhile.
   *
   * @throws SlackMQException lease_lost if another worker holds it, or it was dead-lettered
   */
  private boolean reclaim() {
    long sent = now();
    // First a renewal: if Slack stamps it within the old lease, nobody could have taken over.
    long renew = Ts.parse(engine.slack.postReply(channel, ts,
        Ledger.renewText(id, engine.settings.workerId())));
    if (Protocol.renewalCounts(lastBeat, engine.settings.ttlMicros(), renew)) {
      lastBeat = renew;
      deadline = Protocol.deadlineNanos(sent, ttlNanos, marginNanos);
      phase = Phase.ACTIVE;
      return true;
    }
    String fresh = Settings.newClaimId();
    sent = now();
    String claimTs = engine.slack.postReply(channel, ts,
        Ledger.claimText(fresh, engine.settings.workerId(), engine.settings.ttl().toMillis()));
    Protocol.View v = Protocol.View.of(engine.slack.readThread(channel, ts));
    Protocol.Verdict verdict = Protocol.verify(v, fresh, engine.rules);
    if (verdict instanceof Protocol.Won || verdict instanceof Protocol.WonTooLate) {
      id = fresh;
      lastBeat = v.state().lastBeat();
      deadline = Protocol.deadlineNanos(sent, ttlNanos, marginNanos);
      phase = Phase.ACTIVE;
      return true;
    }
    try {
      engine.slack.deleteReply(channel, claimTs);
    } catch (SlackMQException e) {
      log.debug("could not delete losing claim {}: {}", claimTs, e.getMessage());
    }
    if (verdict instanceof Protocol.VerdictDone) {
      return false;
    }
    throw lost("the lease expired and another worker took the message over (or it was"
        + " dead-lettered); it was not marked done");
  }

  @Override
  public synchronized void release(String reason) {
    if (phase != Phase.ACTIVE) {
      return;
    }
    if (!isValid()) {
      phase = Phase.LOST; // expired: the ledger already frees it; someone may hold it now
      stopWatchdog();
      return;
    }
    // Stop being the holder before writing: if the post applies but its answer is lost, the
    // ledger says "released" while we would still think we hold it (found by the model check).
    phase = Phase.RELEASED;
    stopWatchdog();
    engine.slack.postReply(channel, ts, Ledger.releaseText(id, engine.settings.workerId(), reason));
    engine.removeMarks(channel, ts, false);
  }

  @Override
  public void close() {
    if (phase != Phase.ACTIVE) {
      stopWatchdog();
      return;
    }
    try {
      release("closed without complete()");
    } catch (RuntimeException e) {
      log.warn("releasing {}/{} on close failed ({}); it frees itself after the ttl", channel, ts,
          e.getMessage());
    } finally {
      stopWatchdog();
    }
  }

  private SlackMQException lost(String why) {
    if (phase == Phase.ACTIVE) {
      phase = Phase.LOST;
    }
    stopWatchdog();
    return new SlackMQException(SlackMQException.LEASE_LOST,
        why + " (" + channel + "/" + ts + "): stop working on it");
  }

  private String phaseName() {
    if (phase == Phase.ACTIVE) {
      return isValid() ? "valid" : "expired";
    }
    return phase.name().toLowerCase(java.util.Locale.ROOT);
  }

  private synchronized void stopWatchdog() {
    if (watchdog != null) {
      watchdog.cancel(false);
      watchdog = null;
    }
  }

  private long now() {
    return engine.settings.nanoTime().getAsLong();
  }

  @Override
  public String toString() {
    return "Lease[" + channel + "/" + ts + ", claim " + id + ", attempt " + attempt + ", "
        + phaseName() + "]";
  }
}
