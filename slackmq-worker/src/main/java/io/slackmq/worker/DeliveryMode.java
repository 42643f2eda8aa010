package io.slackmq.worker;

/**
 * How one delivery mode ({@link Delivery}) turns a job into handler runs: {@link DeliverOne},
 * {@link DeliverAll}, {@link DeliverRolling}. Called on a handler thread; Slack errors are thrown
 * as {@link io.slackmq.core.SlackMQException} (the pool logs them and the sweeper tries again).
 */
interface DeliveryMode {

  /** What the pool does after a delivery. */
  enum Next {
    /** Nothing: handled, handed to another worker, or left to the sweeper. */
    DONE,
    /** Try this job again here after the retry delay (a failed attempt, a 429). */
    RETRY
  }

  Next deliver(Job job) throws InterruptedException;
}
