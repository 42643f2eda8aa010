package io.slackmq.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acquire algorithm (docs/PROTOCOL.md, "Acquire"), written against {@link SlackPort} so the
 * model check runs this very code:
 *
 * <ol>
 *   <li>Mark the message (each mark of the strategy, in order). An "already" answer means someone
 *       marked it: read the thread and decide (done, dead, held, or try a claim).
 *   <li>Post a claim reply in the thread; Slack stamps it with ts T.
 *   <li>Read the thread and fold: our claim is the holder, or we lost (delete our claim), or the
 *       message is done/dead meanwhile.
 * </ol>
 */
final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  final Settings settings;
  final SlackPort slack;
  final Protocol.Rules rules;
  final LockMeters meters;

  /** Threads of the watchdog scheduler a client creates for itself. */
  static final int WATCHDOG_THREADS = 4;

  private ScheduledExecutorService ownScheduler;

  Engine(Settings settings, SlackPort slack) {
    this(settings, slack, LockMeters.NONE);
  }

  Engine(Settings settings, SlackPort slack, LockMeters meters) {
    this.meters = meters;
    this.settings = settings;
    this.slack = slack;
    this.rules = Protocol.Rules.of(settings);
  }

  Outcome acquire(String channel, String ts) {
    return acquire(channel, ts, settings.ttl());
  }

  /** An acquire with its outcome counted in the meters; never throws for Slack errors. */
  Outcome acquire(String channel, String ts, java.time.Duration ttl) {
    Outcome o = decide(channel, ts, ttl);
    meters.acquired(o);
    return o;
  }

  private Outcome decide(String channel, String ts, java.time.Duration ttl) {
    if (!Ts.valid(ts)) {
      return new Outcome.Failed(
          "bad_timestamp", "'" + ts + "' is not a Slack ts (secs.micros)", null);
    }
    List<Strategy.Mark> added = new ArrayList<>();
    try {
      return acquire(channel, ts, ttl, added);
    } catch (SlackMQException e) {
      rollBack(channel, ts, added);
      return new Outcome.Failed(e.error(), e.hint(), e);
    } catch (RuntimeException e) {
      rollBack(channel, ts, added);
      return new Outcome.Failed("internal_error", "unexpected failure in SlackMQ: " + e, e);
    }
  }

  private Outcome acquire(
      String channel, String ts, java.time.Duration ttl, List<Strategy.Mark> added) {
    boolean contended = false;
    for (Strategy.Mark mark : settings.strategy().marks()) {
      SlackPort.Added result = slack.addMark(channel, ts, mark, settings.lockEmoji());
      if (result == SlackPort.Added.ALREADY) {
        contended = true;
        break;
      }
      // ADDED, or AMBIGUOUS (our own timed-out attempt may have applied): ours as far as we
      // know; we post a claim and the ledger decides.
      added.add(mark);
    }
    if (contended) {
      Protocol.View view = Protocol.View.of(slack.readThread(channel, ts));
      Protocol.Marked m = Protocol.afterMarked(view, settings.nowMicros(), rules);
      if (!(m instanceof Protocol.MarkedClaim)) {
        rollBack(channel, ts, added); // a partial success is rolled back
        return outcomeOf(m);
      }
    }
    return claim(channel, ts, ttl, added);
  }

  /** How many claims an acquire posts when its own claim stays invisible (a lost post). */
  static final int UNSEEN_CLAIM_TRIES = 2;

  private Outcome claim(
      String channel, String ts, java.time.Duration ttl, List<Strategy.Mark> added) {
    for (int tries = 1; ; tries++) {
      String id = Settings.newClaimId();
      long sent = settings.nanoTime().getAsLong();
      String claimTs =
          slack.postReply(channel, ts, Ledger.claimPost(id, settings.workerId(), ttl.toMillis()));
      Protocol.View view = readAfter(channel, ts, id);
      Protocol.Verdict verdict = Protocol.verify(view, id, rules);
      if (!(verdict instanceof Protocol.Unseen)) {
        return decide(channel, ts, ttl, added, id, sent, claimTs, view, verdict);
      }
      // Answered ok, not in the thread after the bound: never stored, or reads lag beyond it.
      // Give the claim back in case others can see it, and try once more: stepping aside for
      // good would leave a message nobody handles until a sweeper comes by.
      giveBack(channel, ts, id, SlackMQException.NOT_VISIBLE);
      if (tries == UNSEEN_CLAIM_TRIES) {
        rollBack(channel, ts, added);
        return new Outcome.Failed(
            SlackMQException.NOT_VISIBLE,
            "our claim was answered ok but is not in the thread after the read-lag bound ("
                + settings.readLagBound()
                + "): Slack dropped the post or its reads lag longer; try again later, and raise"
                + " readLagBound if this repeats",
            null);
      }
    }
  }

  /**
   * Reads the thread once the read-lag bound has passed since our write, so the read shows every
   * entry stamped before it (A1'). If the read fails, our claim {@code id} may hold: it is given
   * back rather than left to block the message for a ttl.
   */
  private Protocol.View readAfter(String channel, String ts, String id) {
    try {
      return readSettled(channel, ts);
    } catch (SlackMQException e) {
      giveBack(channel, ts, id, e.error());
      throw e;
    }
  }

  /**
   * The thread as read once the read-lag bound has passed since this worker's last write: every
   * entry stamped before that write is in it (A1'). The one deciding read of claims and renewals.
   */
  Protocol.View readSettled(String channel, String ts) {
    settings.settle();
    return Protocol.View.of(slack.readThread(channel, ts));
  }

  private void giveBack(String channel, String ts, String id, String why) {
    try {
      slack.postReply(channel, ts, Ledger.releasePost(id, settings.workerId(), why));
    } catch (SlackMQException again) {
      log.debug("could not release claim {} after {}: {}", id, why, again.error());
    }
  }

  private Outcome decide(
      String channel,
      String ts,
      java.time.Duration ttl,
      List<Strategy.Mark> added,
      String id,
      long sent,
      String claimTs,
      Protocol.View view,
      Protocol.Verdict verdict) {
    if (verdict instanceof Protocol.Won w) {
      LeaseImpl lease = new LeaseImpl(this, channel, ts, id, w.attempt(), w.lastBeat(), sent, ttl);
      if (!lease.isValid()) {
        lease.release("acquire took longer than the lease ttl");
        return new Outcome.Failed(
            "timeout", "acquiring took longer than the ttl " + ttl + "; raise the ttl", null);
      }
      if (settings.compactLedger()) {
        compact(channel, view, Ts.parse(claimTs));
      }
      return new Outcome.Acquired(lease);
    }
    if (verdict instanceof Protocol.WonTooLate late) {
      deadLetter(channel, ts, id, late.failedAttempts());
      return new Outcome.DeadLettered(late.failedAttempts(), reason(late.failedAttempts()), true);
    }
    tidy(channel, claimTs);
    if (verdict instanceof Protocol.Lost lost) {
      Ledger.State s = lost.state();
      if (!s.liveAt(settings.nowMicros() - rules.skewMicros())) {
        // Nobody holds it any more (released meanwhile): our marks would block everyone.
        rollBack(channel, ts, added);
      }
      // Otherwise leave the marks: after a double win they are the holder's marks too, and
      // the holder removes them when it ends.
      return s.holder() == null
          ? new Outcome.Held("unknown", Ts.instant(view.parentTs()), Ts.instant(view.parentTs()))
          : new Outcome.Held(
              s.holder().worker(), Ts.instant(s.holder().ts()), Ts.instant(s.expiresAt()));
    }
    rollBack(channel, ts, added);
    if (verdict instanceof Protocol.VerdictDone d) {
      return new Outcome.Done(d.attempts());
    }
    int attempts = ((Protocol.VerdictDead) verdict).attempts();
    return new Outcome.DeadLettered(attempts, reason(attempts));
  }

  private Outcome outcomeOf(Protocol.Marked m) {
    if (m instanceof Protocol.MarkedDone d) {
      return new Outcome.Done(d.attempts());
    }
    if (m instanceof Protocol.MarkedDead d) {
      return new Outcome.DeadLettered(d.attempts(), reason(d.attempts()));
    }
    Protocol.MarkedHeld h = (Protocol.MarkedHeld) m;
    return new Outcome.Held(
        h.holder() == null ? "unknown" : h.holder(),
        Ts.instant(h.since()),
        Ts.instant(h.expires()));
  }

  private String reason(int attempts) {
    return "failed " + attempts + " times (maxAttempts " + settings.maxAttempts() + ")";
  }

  /** As the holder of claim {@code id}: dead entry, dead reaction, marks off. */
  void deadLetter(String channel, String ts, String id, int failedAttempts) {
    slack.postReply(channel, ts, Ledger.deadPost(id, settings.workerId(), failedAttempts));
    slack.addMark(channel, ts, Strategy.Mark.REACTION, settings.deadEmoji());
    removeMarks(channel, ts, false);
  }

  MessageState inspect(String channel, String ts) {
    if (!Ts.valid(ts)) {
      throw new SlackMQException("bad_timestamp", "'" + ts + "' is not a Slack ts (secs.micros)");
    }
    return stateOf(slack.readThread(channel, ts));
  }

  /**
   * As the operator {@code settings.workerId()}: a redrive entry, then our dead reaction off, then
   * a settled read to check that the message is free (another user's dead reaction stays: Slack
   * lets only its author remove it). The entry comes first: if a later step fails, the dead
   * reaction still stops every worker, and running the redrive again finishes it.
   */
  Redrive redrive(String channel, String ts, String reason) {
    if (!Ts.valid(ts)) {
      return new Redrive.Failed("bad_timestamp", "'" + ts + "' is not a Slack ts (secs.micros)");
    }
    try {
      MessageState before = inspect(channel, ts);
      if (!(before instanceof MessageState.DeadLettered dead)) {
        return new Redrive.NotDead(before);
      }
      String entryTs =
          slack.postReply(
              channel, ts, Ledger.redrivePost(Settings.newClaimId(), settings.workerId(), reason));
      slack.removeMark(channel, ts, Strategy.Mark.REACTION, settings.deadEmoji());
      settings.settle();
      SlackPort.ThreadRead read = slack.readThread(channel, ts);
      if (stateOf(read) instanceof MessageState.DeadLettered) {
        return read.reactions().contains(settings.deadEmoji())
            ? new Redrive.Failed(
                "dead_mark_not_ours",
                "the redrive is in the thread, but the :"
                    + settings.deadEmoji()
                    + ": reaction was added by another user (another app's worker, or a person),"
                    + " and Slack lets only them remove it: remove it in Slack, or redrive with"
                    + " that app's token")
            : new Redrive.Failed(
                SlackMQException.NOT_VISIBLE,
                "the redrive entry was answered ok but is not in the thread after the read-lag"
                    + " bound; run the redrive again");
      }
      return new Redrive.Redriven(dead.attempts(), entryTs);
    } catch (SlackMQException e) {
      return new Redrive.Failed(e.error(), e.hint());
    }
  }

  /** What a read of the message and its thread says about it. */
  private MessageState stateOf(SlackPort.ThreadRead read) {
    Protocol.View v = Protocol.View.of(read);
    Ledger.State s = v.state();
    boolean marked = read.pinned() || read.reactions().contains(settings.lockEmoji());
    if (v.reactions().contains(settings.doneEmoji())) {
      return new MessageState.Done(
          s.attempts(), read.pinned(), s.holder() == null ? null : s.holder().worker());
    }
    if (s.dead() || v.reactions().contains(settings.deadEmoji())) {
      return new MessageState.DeadLettered(s.attempts(), reason(s.attempts()));
    }
    long now = settings.nowMicros();
    if (s.holder() != null && !s.released()) {
      return s.liveAt(now - rules.skewMicros())
          ? new MessageState.Held(
              s.holder().worker(),
              Ts.instant(s.holder().ts()),
              Ts.instant(s.expiresAt()),
              s.attempts())
          : new MessageState.Expired(
              s.holder().worker(),
              Ts.instant(s.holder().ts()),
              Ts.instant(s.expiresAt()),
              s.attempts());
    }
    if (marked
        && s.entries() == 0
        && now - rules.skewMicros() <= v.parentTs() + rules.ttlMicros()) {
      return new MessageState.Held(
          "unknown", Ts.instant(v.parentTs()), Ts.instant(v.parentTs() + rules.ttlMicros()), 0);
    }
    return new MessageState.Free(s.attempts(), marked);
  }

  /** Removes the strategy's marks (keeping the lock reaction on completion if configured). */
  void removeMarks(String channel, String ts, boolean completing) {
    for (Strategy.Mark mark : settings.strategy().marks()) {
      if (completing && mark == Strategy.Mark.REACTION && settings.keepLockReaction()) {
        continue;
      }
      try {
        slack.removeMark(channel, ts, mark, settings.lockEmoji());
      } catch (SlackMQException e) {
        // The ledger is the truth: a stale mark only makes others read the thread.
        log.warn("could not remove {} from {}/{}: {}", mark, channel, ts, e.getMessage());
      }
    }
  }

  private void rollBack(String channel, String ts, List<Strategy.Mark> added) {
    for (Strategy.Mark mark : added) {
      try {
        slack.removeMark(channel, ts, mark, settings.lockEmoji());
      } catch (SlackMQException e) {
        log.warn("could not roll back {} on {}/{}: {}", mark, channel, ts, e.getMessage());
      }
    }
    added.clear();
  }

  /**
   * Deletes the entries before our winning claim that can no longer matter ({@link
   * Compaction#compactable}), one after the other in {@link Compaction#compactionOrder}, so a
   * reader sees a prefix of the deletions. Only while the thread is one page (reads of several
   * pages, made while deletions go on, could see them out of order). Stops at the first failure
   * (another app's entry cannot be deleted): what stays is still a prefix.
   */
  private void compact(String channel, Protocol.View view, long claimTs) {
    List<Ledger.Entry> entries = view.entries();
    if (entries.size() >= SdkSlackPort.PAGE) {
      return;
    }
    for (Ledger.Entry e :
        Compaction.compactionOrder(entries, Compaction.compactable(entries, claimTs))) {
      try {
        slack.deleteReply(channel, Ts.format(e.ts()));
      } catch (SlackMQException x) {
        log.debug("compaction stopped at entry {}: {}", e.ts(), x.getMessage());
        return;
      }
    }
  }

  private void tidy(String channel, String claimTs) {
    try {
      slack.deleteReply(channel, claimTs); // an invalid claim changes nobody's fold
    } catch (SlackMQException e) {
      log.debug("could not delete losing claim {}: {}", claimTs, e.getMessage());
    }
  }

  synchronized ScheduledExecutorService scheduler() {
    if (settings.scheduler() != null) {
      return settings.scheduler();
    }
    if (ownScheduler == null) {
      // Several threads: one renewal sleeping through a Retry-After (up to maxRetries times)
      // must not hold back the other leases' renewals past their ttl.
      AtomicInteger n = new AtomicInteger();
      ownScheduler =
          Executors.newScheduledThreadPool(
              WATCHDOG_THREADS,
              r -> {
                Thread t =
                    new Thread(
                        r, "slackmq-watchdog-" + settings.workerId() + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
    return ownScheduler;
  }

  @Override
  public synchronized void close() {
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
      try {
        ownScheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
