package io.slackmq.core;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease won through the ledger. Validity is local and monotonic: {@code deadline} = the nanoTime
 * at which the last counted claim/renew was sent + ttl - margin (see {@link Lease}).
 *
 * <p>No lock is held across a Slack call: a complete() or release() that sleeps through Retry-After
 * must not stop the watchdog's {@link #extend()} from renewing meanwhile (else the lease could
 * expire on Slack's clock while "done" is still on its way). The phase is an atomic reference
 * changed by compare-and-set; complete() and release() are serialized with each other by {@code
 * ending} only; renewals update lastBeat and deadline under {@code beat}, a lock held for a few
 * field writes. {@link #isValid()} reads volatile fields only.
 */
final class LeaseImpl implements Lease {
  private static final Logger log = LoggerFactory.getLogger(LeaseImpl.class);

  enum Phase {
    ACTIVE,
    COMPLETED,
    RELEASED,
    LOST
  }

  private final Engine engine;
  private final String channel;
  private final String ts;
  private volatile String id;
  private final int attempt;

  /** The lease's ttl and margin: the acquire's, until a renewal with a ttl changes them. */
  private volatile long ttlNanos;

  private volatile long marginNanos;
  private volatile long lastBeat;
  private volatile long deadline;
  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.ACTIVE);

  /** Serializes complete() and release(); never taken by extend() or the watchdog. */
  private final ReentrantLock ending = new ReentrantLock();

  /** Guards the read-modify-write of lastBeat and deadline (no Slack call under it). */
  private final Object beat = new Object();

  private final Watchdog watchdog = new Watchdog(this);

  LeaseImpl(
      Engine engine,
      String channel,
      String ts,
      String id,
      int attempt,
      long lastBeat,
      long sentNanos,
      java.time.Duration ttl) {
    this.engine = engine;
    this.channel = channel;
    this.ts = ts;
    this.id = id;
    this.attempt = attempt;
    this.ttlNanos = ttl.toNanos();
    this.marginNanos = engine.settings.marginNanos(ttlNanos);
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
    return phase.get() == Phase.ACTIVE && now() - deadline < 0;
  }

  Phase phase() {
    return phase.get();
  }

  /**
   * Not synchronized with complete()/release(): it may run while they wait on Slack. Two renewals
   * in flight at once (watchdog and caller) are both harmless entries; the fields only move
   * forward. A renewal judged against an older lastBeat than the fold's is conservative.
   */
  @Override
  public void extend() {
    renew(0);
  }

  @Override
  public void extend(java.time.Duration ttl) {
    if (ttl.toMillis() <= 0 || ttl.toMillis() > 999_999_999_999L) {
      throw new IllegalArgumentException("ttl must be 1 ms to ~31 years, was " + ttl);
    }
    renew(ttl.toMillis());
  }

  /** A renewal, counted in the meters; with {@code ttlMillis} > 0 it also sets the lease's ttl. */
  private void renew(long ttlMillis) {
    try {
      renewOnce(ttlMillis);
      engine.meters.renewal("ok");
    } catch (SlackMQException e) {
      engine.meters.renewal(e.isLeaseLost() ? "lost" : "failed");
      throw e;
    }
  }

  private void renewOnce(long ttlMillis) {
    if (!isValid()) {
      throw lost("the lease ended (" + phaseName() + ") before it was extended");
    }
    String claim = id;
    long since = lastBeat;
    long sent = now();
    Ledger.Post post = Ledger.renewPost(claim, engine.settings.workerId(), ttlMillis);
    long renew = Ts.parse(engine.slack.postReply(channel, ts, post));
    if (!Protocol.renewalCounts(since, ttlNanos / 1000, renew)) {
      throw lost("the renewal reached Slack after the lease had expired");
    }
    if (confirm(claim, renew) == Confirmed.UNSEEN) {
      throw new SlackMQException(
          SlackMQException.NOT_VISIBLE,
          "the renewal was answered ok but is not in the thread after the read-lag bound; the"
              + " lease keeps its current deadline ("
              + channel
              + "/"
              + ts
              + ")");
    }
    beat(claim, renew, sent, ttlMillis * 1_000_000L);
  }

  enum Confirmed {
    YES,
    /** Our renewal is not in the thread: not stored, or reads lag beyond the bound. */
    UNSEEN
  }

  /**
   * Reads the thread once the read-lag bound has passed since our renewal {@code renewTs} of claim
   * {@code claim}: the lease counts as renewed only if the thread shows the renewal counted (a post
   * answered ok may never be stored, and then the others see the lease expire). If the ledger names
   * another holder, this lease was lost long ago (a rival's earlier claim hidden beyond the bound):
   * say so loudly and stop.
   *
   * @throws SlackMQException lease_lost if the ledger's holder is not this claim
   */
  private Confirmed confirm(String claim, long renewTs) {
    Ledger.State s = engine.readSettled(channel, ts).state();
    if (!s.heldBy(claim)) {
      String other = s.holder() == null ? "nobody" : s.holder().worker();
      log.error(
          "lease on {}/{} lost: the ledger names {} (claim {}) as holder, not this lease (claim"
              + " {}). Reads lagged beyond the bound, or a claim was hidden: the job may run twice;"
              + " stop and raise readLagBound",
          channel,
          ts,
          other,
          s.holder() == null ? "-" : s.holder().id(),
          claim);
      throw lost("the ledger names " + other + " as the holder");
    }
    return s.lastBeat() >= renewTs ? Confirmed.YES : Confirmed.UNSEEN;
  }

  /**
   * Records a counted renewal of claim {@code claim}, unless a newer claim replaced it. One that
   * set a ttl ({@code newTtlNanos} > 0) moves the deadline to match, shorter or longer.
   */
  private void beat(String claim, long beatTs, long sentNanos, long newTtlNanos) {
    synchronized (beat) {
      if (!claim.equals(id)) {
        return;
      }
      lastBeat = Math.max(lastBeat, beatTs);
      if (newTtlNanos > 0) {
        ttlNanos = newTtlNanos;
        marginNanos = engine.settings.marginNanos(newTtlNanos);
        deadline = Protocol.deadlineNanos(sentNanos, ttlNanos, marginNanos);
      } else {
        deadline = Math.max(deadline, Protocol.deadlineNanos(sentNanos, ttlNanos, marginNanos));
      }
    }
  }

  @Override
  public Lease startWatchdog() {
    if (phase.get() == Phase.ACTIVE) {
      watchdog.start(engine.scheduler(), Math.max(ttlNanos / 3, 1_000_000L));
    }
    return this;
  }

  /**
   * Holds {@code ending} (not the monitor) across its Slack calls: the watchdog keeps renewing
   * while the done mark waits out a Retry-After, and stops only once done is written.
   */
  @Override
  public void complete() {
    ending.lock();
    try {
      Phase p = phase.get();
      if (p == Phase.COMPLETED) {
        return;
      }
      if (p == Phase.RELEASED) {
        throw new IllegalStateException("lease on " + channel + "/" + ts + " was released");
      }
      if (!isValid()) {
        // Expired locally (renewals failed, or the handler outlived the ttl): mark done only
        // as a valid holder again, so that "done" is never written beside another valid holder.
        if (!reclaim()) {
          phase.set(Phase.COMPLETED); // someone else completed it meanwhile
          stopWatchdog();
          return;
        }
      }
      engine.slack.addMark(channel, ts, Strategy.Mark.REACTION, engine.settings.doneEmoji());
      phase.set(Phase.COMPLETED);
      stopWatchdog();
      engine.removeMarks(channel, ts, true);
    } finally {
      ending.unlock();
    }
  }

  /**
   * Makes this lease valid again: a renewal if the old lease still holds on Slack's clock, else a
   * fresh claim (acquire's steps 2 and 3, marks kept). Returns false if the message was done
   * meanwhile.
   *
   * @throws SlackMQException lease_lost if another worker holds it, or it was dead-lettered
   */
  private boolean reclaim() {
    long sent = now();
    // First a renewal: if Slack stamps it within the old lease, nobody could have taken over.
    long renew =
        Ts.parse(
            engine.slack.postReply(channel, ts, Ledger.renewPost(id, engine.settings.workerId())));
    if (Protocol.renewalCounts(lastBeat, ttlNanos / 1000, renew)
        && confirm(id, renew) == Confirmed.YES) {
      synchronized (beat) {
        lastBeat = renew;
        deadline = Protocol.deadlineNanos(sent, ttlNanos, marginNanos);
      }
      phase.set(Phase.ACTIVE);
      return true;
    }
    String fresh = Settings.newClaimId();
    sent = now();
    String claimTs =
        engine.slack.postReply(
            channel,
            ts,
            Ledger.claimPost(fresh, engine.settings.workerId(), ttlNanos / 1_000_000L));
    Protocol.View v = engine.readSettled(channel, ts);
    Protocol.Verdict verdict = Protocol.verify(v, fresh, engine.rules);
    if (verdict instanceof Protocol.Unseen) {
      throw new SlackMQException(
          SlackMQException.NOT_VISIBLE,
          "the fresh claim before done is not in the thread after the read-lag bound; not marked"
              + " done, the message will run again ("
              + channel
              + "/"
              + ts
              + ")");
    }
    if (verdict instanceof Protocol.Won || verdict instanceof Protocol.WonTooLate) {
      synchronized (beat) {
        id = fresh;
        lastBeat = v.state().lastBeat();
        deadline = Protocol.deadlineNanos(sent, ttlNanos, marginNanos);
      }
      phase.set(Phase.ACTIVE);
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
    throw lost(
        "the lease expired and another worker took the message over (or it was"
            + " dead-lettered); it was not marked done");
  }

  @Override
  public void release(String reason) {
    giveBack(Ledger.releasePost(id, engine.settings.workerId(), reason), false);
  }

  @Override
  public void handBack(String reason) {
    giveBack(Ledger.handBackPost(id, engine.settings.workerId(), reason), false);
  }

  @Override
  public boolean fail(String reason) {
    boolean last = attempt >= engine.settings.maxAttempts();
    return giveBack(Ledger.releasePost(id, engine.settings.workerId(), reason), last) && last;
  }

  /**
   * Ends the lease with the ledger entry {@code entry}, or as a dead letter; false if the lease had
   * already ended (nothing written).
   */
  private boolean giveBack(Ledger.Post entry, boolean deadLetter) {
    ending.lock();
    try {
      if (!isValid()) {
        // expired: the ledger already frees it; someone may hold it now
        if (phase.compareAndSet(Phase.ACTIVE, Phase.LOST)) {
          stopWatchdog();
        }
        return false;
      }
      // Stop being the holder before writing: if the post applies but its answer is lost, the
      // ledger says "released" while we would still think we hold it (found by the model
      // check). The CAS fails only if a renewal found the lease lost meanwhile.
      if (!phase.compareAndSet(Phase.ACTIVE, Phase.RELEASED)) {
        return false;
      }
      stopWatchdog();
      if (deadLetter) {
        engine.deadLetter(channel, ts, id, attempt);
      } else {
        engine.slack.postReply(channel, ts, entry);
        engine.removeMarks(channel, ts, false);
      }
      return true;
    } finally {
      ending.unlock();
    }
  }

  @Override
  public void close() {
    if (phase.get() != Phase.ACTIVE) {
      stopWatchdog();
      return;
    }
    try {
      release("closed without complete()");
    } catch (RuntimeException e) {
      log.warn(
          "releasing {}/{} on close failed ({}); it frees itself after the ttl",
          channel,
          ts,
          e.getMessage());
    } finally {
      stopWatchdog();
    }
  }

  private SlackMQException lost(String why) {
    phase.compareAndSet(Phase.ACTIVE, Phase.LOST);
    stopWatchdog();
    return new SlackMQException(
        SlackMQException.LEASE_LOST, why + " (" + channel + "/" + ts + "): stop working on it");
  }

  private String phaseName() {
    Phase p = phase.get();
    if (p == Phase.ACTIVE) {
      return isValid() ? "valid" : "expired";
    }
    return p.name().toLowerCase(java.util.Locale.ROOT);
  }

  private void stopWatchdog() {
    watchdog.stop();
  }

  private long now() {
    return engine.settings.nanoTime().getAsLong();
  }

  @Override
  public String toString() {
    return "Lease["
        + channel
        + "/"
        + ts
        + ", claim "
        + id
        + ", attempt "
        + attempt
        + ", "
        + phaseName()
        + "]";
  }
}
