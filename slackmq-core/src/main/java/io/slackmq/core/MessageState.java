package io.slackmq.core;

import java.time.Instant;

/**
 * What {@link LockClient#inspect} reads on a message, without changing anything: for sweepers and
 * {@code slackmq status}. Times are Slack server times (from message ts).
 */
public sealed interface MessageState {

  /** Attempts recorded in the ledger (valid claims). */
  int attempts();

  /** Nobody holds the message (never claimed, released, or never marked). */
  record Free(int attempts, boolean marked) implements MessageState {}

  /** {@code holder} holds a live lease (or the message is marked and a claim is pending). */
  record Held(String holder, Instant since, Instant expires, int attempts)
      implements MessageState {}

  /** The holder's lease expired without completion: a sweeper may acquire it. */
  record Expired(String holder, Instant since, Instant expiredAt, int attempts)
      implements MessageState {}

  /**
   * Done; {@code staleMarks} if lock marks were left behind (e.g. a crash after done); {@code
   * holder} is the last worker that held it (null if nobody claimed it, e.g. a person marked it
   * done by hand).
   */
  record Done(int attempts, boolean staleMarks, String holder) implements MessageState {}

  /** Dead-lettered after too many attempts. */
  record DeadLettered(int attempts, String reason) implements MessageState {}
}
