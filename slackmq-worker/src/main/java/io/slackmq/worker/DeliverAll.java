package io.slackmq.worker;

import io.slackmq.core.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ALL (broadcast): every worker handles the message once, without a lock, and records it in the
 * thread ({@code [slackmq handled w=...]}); the record stops it from handling the message again,
 * after a restart too. Failures are retried here; the last one is recorded and replied.
 */
final class DeliverAll implements DeliveryMode {
  private static final Logger log = LoggerFactory.getLogger(DeliverAll.class);

  private final WorkerConfig cfg;
  private final SlackCalls slack;
  private final Replies replies;
  private final LocalState local;
  private final Counters counters;

  DeliverAll(
      WorkerConfig cfg, SlackCalls slack, Replies replies, LocalState local, Counters counters) {
    this.cfg = cfg;
    this.slack = slack;
    this.replies = replies;
    this.local = local;
    this.counters = counters;
  }

  @Override
  public Next deliver(Job job) throws InterruptedException {
    Incoming m = job.message();
    if (local.finished(m.key())) {
      return Next.DONE;
    }
    if (Records.workers(slack.thread(m.channel(), m.ts()), Records.Kind.HANDLED)
        .contains(cfg.workerId())) {
      local.finish(m.key());
      return Next.DONE;
    }
    int attempt = local.failures(m.key()) + 1;
    try {
      job.listener()
          .run(
              new Context(m, job.matcher(), slack, null, cfg.workerId(), Delivery.ALL, attempt),
              counters);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return failed(m, attempt, e);
    }
    // Done: remember it here first, so a failing record below cannot make this process redo it.
    local.finish(m.key());
    counters.completed.increment();
    log.info("handled by {} ({})", cfg.workerId(), job.listener());
    try {
      replies.record(m, Records.Kind.HANDLED, ":white_check_mark: handled by " + cfg.workerId());
    } catch (io.slackmq.core.SlackMQException e) {
      log.error(
          "handled, but recording it in the thread failed ({}); after a restart this"
              + " worker may handle it again",
          e.error());
    }
    return Next.DONE;
  }

  private Next failed(Incoming m, int attempt, Exception e) {
    String why = Replies.describe(e);
    log.warn("handler failed (attempt {} of {}): {}", attempt, cfg.maxAttempts(), why, e);
    local.failed(m.key(), attempt);
    if (attempt < cfg.maxAttempts()) {
      counters.retried.increment();
      return Next.RETRY;
    }
    replies.record(m, Records.Kind.HANDLED, ":x: " + cfg.workerId() + " failed: " + why);
    log.error("dead-lettered after {} attempts: {}", attempt, why);
    replies.deadLettered(m, attempt, why);
    return Next.DONE;
  }
}
