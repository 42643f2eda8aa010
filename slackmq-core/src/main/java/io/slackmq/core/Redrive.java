package io.slackmq.core;

/**
 * What {@link LockClient#redrive} did. Exactly one of three variants; an error is always {@link
 * Failed}, never {@link NotDead}.
 *
 * <pre>{@code
 * Redrive r = client.redrive(channel, ts, "the deploy key is fixed");
 * if (r instanceof Redrive.Failed f) {
 *   log.warn("{}: {}", f.slackError(), f.hint());
 * }
 * }</pre>
 */
public sealed interface Redrive {

  /**
   * The message is back in the queue: the thread records who redrove it, when (the entry's ts) and
   * why; its attempts start again from zero, and the dead reaction is gone. A worker's sweeper
   * takes it at its next round, if the message is within the worker's catch-up window.
   *
   * @param failedAttempts the attempts the message had failed before it was dead-lettered
   * @param entryTs the ts of the redrive entry in the message's thread
   */
  record Redriven(int failedAttempts, String entryTs) implements Redrive {}

  /** The message is not dead-lettered (done, free, held...): nothing was written. */
  record NotDead(MessageState state) implements Redrive {}

  /**
   * Slack answered with an error, or the redrive could not finish. {@code slackError} is Slack's
   * code ({@code channel_not_found}, {@code thread_not_found} (no such message), {@code
   * missing_scope}, ...) or {@code dead_mark_not_ours} (another user's dead reaction, which Slack
   * lets only that user remove); {@code hint} says what to do.
   */
  record Failed(String slackError, String hint) implements Redrive {}
}
