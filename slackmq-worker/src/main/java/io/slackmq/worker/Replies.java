package io.slackmq.worker;

import io.slackmq.core.Records;

/** What the worker writes in a message's thread for people and for the fleet's records. */
final class Replies {
  private final WorkerConfig cfg;
  private final SlackCalls slack;
  private final Counters counters;
  private final LocalState local;

  Replies(WorkerConfig cfg, SlackCalls slack, Counters counters, LocalState local) {
    this.cfg = cfg;
    this.slack = slack;
    this.counters = counters;
    this.local = local;
  }

  /** This worker's {@code kind} record under {@code m} (ALL: handled; ROLLING: its turn). */
  void record(Incoming m, Records.Kind kind, String human) {
    slack.post(m.channel(), Records.text(kind, cfg.workerId(), human), m.ts());
  }

  /** Tells the people in the thread that {@code m} was given up on, and why. */
  void deadLettered(Incoming m, int attempts, String why) {
    counters.deadLettered.increment();
    local.finish(m.key());
    slack.post(
        m.channel(),
        ":skull: Gave up on this message after "
            + attempts
            + " attempts. Last error on "
            + cfg.workerId()
            + ": "
            + why,
        m.ts());
  }

  /** An exception as one short line for the thread and the log. */
  static String describe(Exception e) {
    String msg = e.getMessage();
    String s = e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    s = s.replaceAll("[\\r\\n]+", " ");
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
