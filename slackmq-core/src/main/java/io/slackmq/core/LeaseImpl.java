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
  private final String id;
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
      // Expired locally: complete only if nobody took over (re-read the ledger).
      Protocol.View v = Protocol.View.of(engine.slack.readThread(channel, ts));
      if (!v.reactions().contains(engine.settings.doneEmoji())) {
        if (Protocol.takenOver(v, id) || v.state().released() || v.state().dead()) {
          throw lost("the lease expired and another worker took the message over; it was not"
              + " marked done");
        }
      }
    }
    engine.slack.addMark(channel, ts, Strategy.Mark.REACTION, engine.settings.doneEmoji());
    phase = Phase.COMPLETED;
    stopWatchdog();
    engine.removeMarks(channel, ts, true);
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
    engine.slack.postReply(channel, ts, Ledger.releaseText(id, engine.settings.workerId(), reason));
    phase = Phase.RELEASED;
    stopWatchdog();
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
    return phase == Phase.ACTIVE ? "expired" : phase.name().toLowerCase(java.util.Locale.ROOT);
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
