package io.slackmq.worker;

import com.slack.api.model.Message;
import io.slackmq.core.Ts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For hosts that can receive nothing: reads {@code conversations.history} newer than the newest ts
 * seen per channel (less the read-lag bound, for messages that show up late), so each poll costs
 * one call per channel (plus a page per 200 new messages): the cost grows with new messages, not
 * with history. Paced at most one call per channel per {@code interval} (the worker raises the
 * interval to stay within Tier 3); skips a round while Slack rate-limits us or the handler queue is
 * full (back-pressure).
 */
final class HistoryPoller implements EventSource {
  private static final Logger log = LoggerFactory.getLogger(HistoryPoller.class);

  private final WorkerConfig cfg;
  private final SlackCalls slack;
  private final Admission admission;
  private final HandlerPool pool;
  private final RateGate gate;
  private final ScheduledExecutorService scheduler;
  private final Vitals vitals;
  private final Map<String, String> newest = new ConcurrentHashMap<>();
  private ScheduledFuture<?> task;

  HistoryPoller(
      WorkerConfig cfg,
      SlackCalls slack,
      Admission admission,
      HandlerPool pool,
      RateGate gate,
      ScheduledExecutorService scheduler,
      Vitals vitals) {
    this.vitals = vitals;
    this.cfg = cfg;
    this.slack = slack;
    this.admission = admission;
    this.pool = pool;
    this.gate = gate;
    this.scheduler = scheduler;
  }

  @Override
  public void start() {
    String now = Ts.format(cfg.nowMicros());
    for (String c : cfg.channels()) {
      newest.put(c, now); // older messages are the sweeper's catch-up work
    }
    long ms = cfg.pollInterval().toMillis();
    task =
        scheduler.scheduleWithFixedDelay(
            Guard.of(log, vitals, "the poller", this::poll), ms, ms, TimeUnit.MILLISECONDS);
  }

  void poll() {
    if (gate.isPaused() || pool.capacity() == 0) {
      return;
    }
    // Re-read the read-lag bound behind the newest ts seen: a message can become visible after a
    // newer one, and would be skipped for good otherwise. Admission drops the repeats.
    long lookback = (long) (cfg.readLagBound().toNanos() / 1000 / cfg.timeScale());
    Guard.perChannel(
        log,
        "the poll",
        cfg.channels(),
        channel -> {
          String from = Ts.format(Math.max(0, Ts.parse(newest.get(channel)) - lookback));
          for (Message m : slack.history(channel, from)) {
            if (Ts.parse(m.getTs()) > Ts.parse(newest.get(channel))) {
              newest.put(channel, m.getTs());
            }
            admission.offer(Incoming.fromHistory(channel, m), "polling");
          }
        });
  }

  @Override
  public void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
