package io.slackmq.worker;

/** How many workers of a fleet handle one matching message. See docs/WORKER.md. */
public enum Delivery {
  /** Exactly one worker of the fleet handles the message (core's lease decides). The default. */
  ONE,
  /**
   * Every worker handles the message once (a broadcast, e.g. "report your hostname"). Each worker
   * records {@code [slackmq handled w=<id>]} in the message's thread, so a worker that did not
   * receive the event (Socket Mode gives each event to one connection of an app) finds the message
   * with its sweeper and a restarted worker does not handle it again.
   */
  ALL,
  /**
   * Every worker of the configured fleet handles the message, one at a time, each once (a rolling
   * update): a worker takes the lease, handles, records {@code [slackmq rolled w=<id>]}, and
   * releases; the last one marks the message done. With a canary emoji configured, the workers
   * after the first wait for a human's approval reaction.
   */
  ROLLING
}
