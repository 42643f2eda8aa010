package io.slackmq.core;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@link LockClient#acquire} found. Exactly one of five variants; an error is always {@link
 * Failed}, never {@link Held}.
 *
 * <pre>{@code
 * Outcome o = client.acquire(channel, ts);
 * if (o instanceof Outcome.Acquired a) {
 *   try (Lease lease = a.lease()) { work(); lease.complete(); }
 * } else if (o instanceof Outcome.Failed f) {
 *   log.warn("{}: {}", f.slackError(), f.hint());
 * }
 * }</pre>
 */
public sealed interface Outcome {

  /** The lease, if this outcome is {@link Acquired}. */
  default Optional<Lease> leaseIfAcquired() {
    return this instanceof Acquired a ? Optional.of(a.lease()) : Optional.empty();
  }

  /** We hold the message: do the work, then {@link Lease#complete()} or release it. */
  record Acquired(Lease lease) implements Outcome {}

  /**
   * Another worker holds a live lease. {@code holder} is its worker id ({@code "unknown"} when the
   * message carries lock marks but no claim yet); {@code since} and {@code expires} are Slack
   * server times (the lease may be renewed past {@code expires}).
   */
  record Held(String holder, Instant since, Instant expires) implements Outcome {}

  /** The message is already done (its done reaction is present); skip it. */
  record Done(int attempts) implements Outcome {}

  /**
   * The message failed {@code attempts} times and was dead-lettered; skip it. {@code byThisCall} is
   * true when this very acquire wrote the dead entry (its claim won, but the message had already
   * failed maxAttempts times): of all the workers, exactly that one sees it true, so it is the one
   * to announce the dead letter.
   */
  record DeadLettered(int attempts, String reason, boolean byThisCall) implements Outcome {
    /** Found dead-lettered ({@code byThisCall} false). */
    public DeadLettered(int attempts, String reason) {
      this(attempts, reason, false);
    }
  }

  /**
   * Slack answered with an error (or did not answer) after bounded retries. {@code slackError} is
   * Slack's code ({@code channel_not_found}, {@code missing_scope}, {@code invalid_auth}, {@code
   * ratelimited}, {@code http_500}, {@code timeout}, ...); {@code hint} says what to do.
   */
  record Failed(String slackError, String hint, Exception cause) implements Outcome {
    /** Slack kept answering 429 through the retries: back off before trying again. */
    public boolean isRateLimited() {
      return "ratelimited".equals(slackError);
    }

    /** This failure as an exception, for callers that prefer throwing. */
    public SlackMQException toException() {
      return cause instanceof SlackMQException e
          ? e
          : new SlackMQException(slackError, hint, cause);
    }
  }
}
