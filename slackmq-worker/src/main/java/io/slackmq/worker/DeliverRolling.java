package io.slackmq.worker;

import com.slack.api.model.Message;
import com.slack.api.model.Reaction;
import io.slackmq.core.Lease;
import io.slackmq.core.Outcome;
import io.slackmq.core.Records;
import java.util.List;
import java.util.Set;

/**
 * ROLLING: every worker of the configured fleet handles the message, one at a time. A worker whose
 * {@code [slackmq rolled w=...]} record is missing takes the lease (so never two at once), re-reads
 * the thread under it, handles, records its turn and hands the lease back; the one that completes
 * the set marks the message done. With a canary emoji, the others wait after the first turn until a
 * person (not a bot) reacts with it.
 */
final class DeliverRolling implements DeliveryMode {
  private final WorkerConfig cfg;
  private final SlackCalls slack;
  private final LeaseRunner runner;
  private final Replies replies;
  private final LocalState local;
  private final Self self;

  DeliverRolling(
      WorkerConfig cfg,
      SlackCalls slack,
      LeaseRunner runner,
      Replies replies,
      LocalState local,
      Self self) {
    this.cfg = cfg;
    this.slack = slack;
    this.runner = runner;
    this.replies = replies;
    this.local = local;
    this.self = self;
  }

  @Override
  public Next deliver(Job job) {
    Incoming m = job.message();
    List<Message> thread = slack.thread(m.channel(), m.ts());
    if (thread.isEmpty() || SlackCalls.reactions(thread.get(0)).contains(cfg.doneEmoji())) {
      local.finish(m.key());
      return Next.DONE;
    }
    Set<String> rolled = Records.workers(thread, Records.Kind.ROLLED);
    if (rolled.contains(cfg.workerId())) {
      local.takeTurn(m.key());
      return Next.DONE;
    }
    if (!mayProceed(rolled, thread.get(0))) {
      return Next.DONE; // the sweeper looks again later
    }
    if (!(runner.acquire(m) instanceof Outcome.Acquired a)) {
      return Next.DONE;
    }
    Lease lease = a.lease();
    Set<String> now;
    try {
      // Re-read under the lease: another worker's turn may have ended since our first read.
      thread = slack.thread(m.channel(), m.ts());
      now = Records.workers(thread, Records.Kind.ROLLED);
      if (now.contains(cfg.workerId()) || !mayProceed(now, thread.get(0))) {
        lease.handBack(
            now.contains(cfg.workerId()) ? "turn already recorded" : "waiting for approval");
        return Next.DONE;
      }
    } catch (RuntimeException e) {
      runner.handBackQuietly(lease, "could not read the thread: " + e.getMessage());
      throw e; // never keep a lock we won't use
    }
    return runner.run(job, lease, l -> recordTurn(m, l, now));
  }

  private void recordTurn(Incoming m, Lease lease, Set<String> rolled) {
    rolled.add(cfg.workerId());
    String progress = rolled.size() + " of " + cfg.fleet().size();
    boolean canaryStep = cfg.canaryEmoji() != null && rolled.size() == 1;
    replies.record(
        m,
        Records.Kind.ROLLED,
        ":arrows_clockwise: rolled on "
            + cfg.workerId()
            + " ("
            + progress
            + ")"
            + (canaryStep
                ? "; canary: react with :" + cfg.canaryEmoji() + ": to roll out to the rest"
                : ""));
    local.takeTurn(m.key());
    if (rolled.containsAll(cfg.fleet())) {
      lease.complete();
      local.finish(m.key());
    } else {
      lease.handBack("rolled on " + cfg.workerId() + " (" + progress + ")");
    }
  }

  /** After the canary's turn, the rest wait for a person's approval reaction. */
  private boolean mayProceed(Set<String> rolled, Message parent) {
    if (cfg.canaryEmoji() == null || rolled.isEmpty()) {
      return true;
    }
    for (Reaction r : parent.getReactions() == null ? List.<Reaction>of() : parent.getReactions()) {
      if (cfg.canaryEmoji().equals(r.getName()) && r.getUsers() != null) {
        for (String u : r.getUsers()) {
          if (!u.equals(self.userId()) && !slack.isBot(u)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
