package io.slackmq.core;

/**
 * What the lock client tells its meters: every acquire's outcome, every renewal, and (as a {@link
 * SlackApi.Listener}) every Web API answer. Free of Micrometer types, so that a user who passes no
 * registry never loads Micrometer (an optional dependency); {@link MicrometerMeters} is the one
 * implementation that records.
 */
interface LockMeters extends SlackApi.Listener {
  LockMeters NONE = new LockMeters() {};

  /** {@link LockClient#acquire} returned {@code outcome}. */
  default void acquired(Outcome outcome) {}

  /** A renewal ended: {@code ok}, {@code lost} (the lease is gone) or {@code failed}. */
  default void renewal(String result) {}
}
