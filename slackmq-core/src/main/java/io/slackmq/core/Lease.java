package io.slackmq.core;

import java.time.Instant;

/**
 * Exclusive, time-limited right to process one Slack message, obtained from {@link
 * LockClient#acquire}. Ends exactly once, by {@link #complete()}, {@link #release(String)} or
 * expiry. Use try-with-resources: {@link #close()} releases a lease that was not completed.
 *
 * <p>Validity is judged on this process's monotonic clock: the lease is valid until (time the last
 * successful claim or renewal was <em>sent</em>) + ttl - safety margin. Slack stamps the entry
 * after the send, so no other worker's claim can become valid before that deadline (assuming clock
 * rates, not clock values, agree; see docs/PROTOCOL.md).
 *
 * <p>Methods are thread-safe. Methods that talk to Slack block (paced, with bounded retries) and
 * throw {@link SlackMQException} on errors.
 */
public interface Lease extends AutoCloseable {

  /** The channel id of the message. */
  String channel();

  /** The message's ts. */
  String ts();

  /** This worker's id, as written in the ledger. */
  String holder();

  /** The unique id of this claim in the message's ledger thread. */
  String claimId();

  /** 1 for the first attempt at this message, 2 after one release or expiry, and so on. */
  int attempt();

  /** When this lease stops being valid unless renewed (estimated on the local clock). */
  Instant expiresAt();

  /** True while the lease is held: not completed, not released, not lost, not expired. */
  boolean isValid();

  /**
   * Renews the lease for another ttl (one ledger entry, one chat.postMessage).
   *
   * @throws SlackMQException {@code lease_lost} if the lease already expired (someone may have
   *     taken over: stop working); or Slack's error code (the lease stays valid until it expires)
   */
  void extend();

  /**
   * Renews the lease and makes {@code ttl} its time to live from this renewal on, shorter or longer
   * than before (one ledger entry; every reader expires the lease {@code ttl} after Slack stamps
   * it). Later plain renewals keep the new ttl. Readers of versions before this one still apply the
   * claim's ttl, so all holders of a message must run a version with it.
   *
   * @throws IllegalArgumentException if {@code ttl} is under 1 ms or over ~31 years (as claims)
   * @throws SlackMQException as {@link #extend()}
   */
  void extend(java.time.Duration ttl);

  /**
   * Renews the lease every ttl/3 on the client's scheduler until the lease ends (as Redisson's
   * watchdog). Failures are logged and retried at the next tick; if renewals keep failing the lease
   * expires and {@link #isValid()} turns false. Idempotent; returns this lease.
   */
  Lease startWatchdog();

  /**
   * Marks the message done (the done reaction, visible in Slack), then removes the lock marks. A
   * late or redelivered copy is then skipped. Idempotent after success. If the lease expired
   * locally, it first renews it (if Slack stamps the renewal within the old lease) or claims the
   * message again, so that "done" is only written by a valid holder.
   *
   * @throws SlackMQException {@code lease_lost} if the lease expired and another worker took the
   *     message over (the message is not marked done); or Slack's error code
   */
  void complete();

  /**
   * Gives the message back for a later retry: writes a release entry (the attempt counts toward the
   * dead-letter limit) and removes the lock marks. No-op if the lease already ended.
   *
   * @param reason a short human-readable reason, written in the thread
   */
  void release(String reason);

  /**
   * Gives the message back after a failed attempt: a release entry, or, when this was the last
   * attempt ({@link #attempt()} reached the client's maxAttempts), the dead-letter entry and
   * reaction instead, so that no worker tries again. No-op if the lease already ended.
   *
   * @param reason a short human-readable reason (the error), written in the thread
   * @return true if the message is now dead-lettered
   */
  boolean fail(String reason);

  /**
   * Gives the message back without spending an attempt: the holder stops (shutdown, its turn is
   * over, a result it could not record), nothing failed. The next holder's {@link #attempt()} is
   * this one's again. No-op if the lease already ended.
   *
   * @param reason a short human-readable reason, written in the thread
   */
  void handBack(String reason);

  /** Releases the lease if it was neither completed nor released; never throws. */
  @Override
  void close();
}
