package io.slackmq.worker;

import io.slackmq.core.LockClient;
import io.slackmq.core.MessageState;
import io.slackmq.core.Outcome;
import io.slackmq.core.SlackMQException;

/**
 * ONE: exactly one worker of the fleet handles the message, under core's lease; its success marks
 * the message done.
 */
final class DeliverOne implements DeliveryMode {
  private final LockClient lock;
  private final LeaseRunner runner;
  private final LocalState local;

  DeliverOne(LockClient lock, LeaseRunner runner, LocalState local) {
    this.lock = lock;
    this.runner = runner;
    this.local = local;
  }

  @Override
  public Next deliver(Job job) {
    Incoming m = job.message();
    if (job.inspectFirst()) {
      // The sweeper saw it marked: one thread read says whether a live holder has it.
      MessageState s = lock.inspect(m.channel(), m.ts());
      if (s instanceof MessageState.Held) {
        return Next.DONE;
      }
      if (s instanceof MessageState.Done) {
        local.finish(m.key());
        return Next.DONE;
      }
      if (s instanceof MessageState.DeadLettered) {
        local.finishDead(m.key());
        return Next.DONE;
      }
    }
    Outcome o = runner.acquire(m);
    if (o instanceof Outcome.Acquired a) {
      return runner.run(
          job,
          a.lease(),
          lease -> {
            lease.complete();
            local.finish(m.key());
          });
    }
    // Rate limited, or our claim never showed up in the thread (Slack dropped the post): try
    // again here soon rather than wait for the next sweep.
    return o instanceof Outcome.Failed f
            && (f.isRateLimited() || SlackMQException.NOT_VISIBLE.equals(f.slackError()))
        ? Next.RETRY
        : Next.DONE;
  }
}
