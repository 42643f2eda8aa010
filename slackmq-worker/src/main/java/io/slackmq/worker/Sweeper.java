package io.slackmq.worker;

import com.slack.api.model.Message;
import io.slackmq.core.Ts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds matching messages of the catch-up window that are neither done nor held by a live lease
 * (missed while down, holder died, delivery lost, a released retry, or, for ALL and ROLLING,
 * messages whose event went to another worker) and hands them to {@link Admission}. One {@code
 * conversations.history} read per channel per round: reactions and pins in it let admission skip
 * done messages without further calls; marked ones are inspected first.
 */
final class Sweeper implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  private final WorkerConfig cfg;
  private final SlackCalls slack;
  private final Admission admission;
  private final HandlerPool pool;
  private final RateGate gate;

  Sweeper(
      WorkerConfig cfg, SlackCalls slack, Admission admission, HandlerPool pool, RateGate gate) {
    this.cfg = cfg;
    this.slack = slack;
    this.admission = admission;
    this.pool = pool;
    this.gate = gate;
  }

  @Override
  public void run() {
    if (gate.isPaused() || pool.capacity() == 0) {
      log.debug("sweep skipped: rate limited or handler queue full");
      return;
    }
    String oldest = Ts.format(cfg.nowMicros() - cfg.catchUpWindow().toNanos() / 1000);
    Guard.perChannel(
        log,
        "the sweep",
        cfg.channels(),
        channel -> {
          for (Message m : slack.history(channel, oldest)) {
            admission.sweep(
                Incoming.fromHistory(channel, m),
                SlackCalls.reactions(m),
                SlackCalls.pinnedIn(m, channel));
          }
        });
  }
}
