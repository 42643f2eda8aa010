package io.slackmq.worker;

import io.slackmq.core.Records;
import io.slackmq.core.SlackMQException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker writes in a message's thread for people and for the fleet's records, and in the
 * dead-letter channel when one is set.
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private final WorkerConfig cfg;
  private final SlackCalls slack;
  private final Counters counters;
  private final LocalState local;
  private final String deadLetterChannel;

  /** {@code deadLetterChannel}: where dead letters are announced, or null. */
  Replies(
      WorkerConfig cfg,
      SlackCalls slack,
      Counters counters,
      LocalState local,
      String deadLetterChannel) {
    this.cfg = cfg;
    this.slack = slack;
    this.counters = counters;
    this.local = local;
    this.deadLetterChannel = deadLetterChannel;
  }

  /** This worker's {@code kind} record under {@code m} (ALL: handled; ROLLING: its turn). */
  void record(Incoming m, Records.Kind kind, String human) {
    slack.post(m.channel(), Records.text(kind, cfg.workerId(), human), m.ts());
  }

  /**
   * Tells the people in the thread that {@code m} was given up on, and why, then the dead-letter
   * channel. Called only by the worker whose lease wrote the dead entry (one per dead letter).
   */
  void deadLettered(Incoming m, int attempts, String why) {
    counters.deadLettered.increment();
    local.finishDead(m.key());
    slack.post(
        m.channel(),
        ":skull: Gave up on this message after "
            + attempts
            + " attempts. Last error on "
            + cfg.workerId()
            + ": "
            + why,
        m.ts());
    announce(m, attempts, why);
  }

  /**
   * One line in the dead-letter channel: a link to the message, the reason, and how to redrive it.
   * A failure here is logged and changes nothing: the thread and the dead reaction already say it.
   */
  private void announce(Incoming m, int attempts, String why) {
    if (deadLetterChannel == null) {
      return;
    }
    try {
      String link = slack.permalink(m.channel(), m.ts());
      slack.post(
          deadLetterChannel,
          ":skull: <"
              + link
              + "|Dead-lettered> in <#"
              + m.channel()
              + "> after "
              + attempts
              + " attempts. Reason: "
              + why
              + " (last on "
              + cfg.workerId()
              + "). Redrive: `slackmq redrive --channel "
              + m.channel()
              + " "
              + m.ts()
              + "`",
          null);
    } catch (SlackMQException e) {
      log.warn(
          "could not announce the dead letter in {}: {} ({})",
          deadLetterChannel,
          e.error(),
          e.hint());
    }
  }

  /** An exception as one short line for the thread and the log. */
  static String describe(Exception e) {
    String msg = e.getMessage();
    String s = e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    s = s.replaceAll("[\\r\\n]+", " ");
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
