package io.slackmq.core;

import java.util.List;

/**
 * The protocol's decisions as pure functions of what a worker read, so that the model check
 * exercises exactly the code production runs. See docs/PROTOCOL.md.
 */
final class Protocol {
  private Protocol() {}

  /** What a worker read: the message's reactions and its ledger (ts order). */
  record View(long parentTs, List<String> reactions, boolean pinned, List<Ledger.Entry> entries) {
    Ledger.State state() {
      return Ledger.fold(entries);
    }

    /** Whether the read shows the claim {@code claimId}. */
    boolean has(String claimId) {
      for (Ledger.Entry e : entries) {
        if (e.op() == Ledger.Op.CLAIM && e.id().equals(claimId)) {
          return true;
        }
      }
      return false;
    }

    static View of(SlackPort.ThreadRead read) {
      return new View(
          Ts.parse(read.parentTs()),
          read.reactions(),
          read.pinned(),
          Ledger.entries(read.replies()));
    }
  }

  /** Emojis and timing a decision needs. */
  record Rules(
      String doneEmoji, String deadEmoji, long ttlMicros, long skewMicros, int maxAttempts) {
    static Rules of(Settings s) {
      return new Rules(
          s.doneEmoji(),
          s.deadEmoji(),
          s.ttlMicros(),
          s.clockSkew().toNanos() / 1000,
          s.maxAttempts());
    }
  }

  /** Step 1's decision when the message was already marked by someone. */
  sealed interface Marked {}

  record MarkedDone(int attempts) implements Marked {}

  record MarkedDead(int attempts) implements Marked {}

  /** Leave it: {@code holder} is null when the mark carries no claim yet. */
  record MarkedHeld(String holder, long since, long expires) implements Marked {}

  /** The lease looks expired or the message is free: post a claim; the ledger decides. */
  record MarkedClaim() implements Marked {}

  /**
   * After an "already" answer to a mark. {@code nowMicros} is this host's guess of Slack's time; a
   * wrong guess only costs a claim that loses or a later takeover, never a second holder.
   */
  static Marked afterMarked(View v, long nowMicros, Rules r) {
    Ledger.State s = v.state();
    if (v.reactions().contains(r.doneEmoji())) {
      return new MarkedDone(s.attempts());
    }
    if (s.dead() || v.reactions().contains(r.deadEmoji())) {
      return new MarkedDead(s.attempts());
    }
    if (s.liveAt(nowMicros - r.skewMicros())) {
      return new MarkedHeld(s.holder().worker(), s.holder().ts(), s.expiresAt());
    }
    if (s.entries() > 0 || nowMicros - r.skewMicros() > v.parentTs() + r.ttlMicros()) {
      return new MarkedClaim();
    }
    // Marked but nothing in the ledger: a claim is probably on its way. Give it one ttl from
    // the message's own ts before treating the mark as stale (a crash between mark and claim).
    return new MarkedHeld(null, v.parentTs(), v.parentTs() + r.ttlMicros());
  }

  /** Step 3's verdict on our own claim. */
  sealed interface Verdict {}

  /** Our claim holds; {@code attempt} counts valid claims so far, ours included. */
  record Won(int attempt, long lastBeat) implements Verdict {}

  /** Our claim holds but the message has failed too often: dead-letter it. */
  record WonTooLate(int failedAttempts) implements Verdict {}

  record Lost(Ledger.State state) implements Verdict {}

  /**
   * Our claim is not in the read at all, after the read-lag bound: it was answered ok but not
   * stored, or reads lag beyond the bound. Nobody may work on it as ours; give it back and retry.
   */
  record Unseen() implements Verdict {}

  record VerdictDone(int attempts) implements Verdict {}

  record VerdictDead(int attempts) implements Verdict {}

  /** Judges our claim {@code claimId}, which the view must contain. */
  static Verdict verify(View v, String claimId, Rules r) {
    Ledger.State s = v.state();
    if (v.reactions().contains(r.doneEmoji())) {
      return new VerdictDone(s.attempts());
    }
    if (s.dead() || v.reactions().contains(r.deadEmoji())) {
      return new VerdictDead(s.attempts());
    }
    if (!s.heldBy(claimId)) {
      return v.has(claimId) ? new Lost(s) : new Unseen();
    }
    if (s.attempts() > r.maxAttempts()) {
      return new WonTooLate(s.attempts() - 1);
    }
    return new Won(s.attempts(), s.lastBeat());
  }

  /** Whether the holder's renewal, stamped {@code renewTs}, extended a lease last beaten at. */
  static boolean renewalCounts(long lastBeat, long ttlMicros, long renewTs) {
    return renewTs <= lastBeat + ttlMicros;
  }

  /** The holder's local deadline: the send time of its last counted claim/renew + ttl - margin. */
  static long deadlineNanos(long sentNanos, long ttlNanos, long marginNanos) {
    return sentNanos + ttlNanos - marginNanos;
  }
}
