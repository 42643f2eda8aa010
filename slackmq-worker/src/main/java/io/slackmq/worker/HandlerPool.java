package io.slackmq.worker;

import io.slackmq.core.SlackMQException;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The bounded handler threads: a job waits in the queue, then runs on a handler thread through its
 * {@link DeliveryMode}, once at a time per message in this process, after the {@link RateGate}
 * opens. A mode that asks for a retry gets its job back after the retry delay.
 */
final class HandlerPool {
  private static final Logger log = LoggerFactory.getLogger(HandlerPool.class);

  private final WorkerConfig cfg;
  private final ThreadPoolExecutor threads;
  private final ScheduledExecutorService scheduler;
  private final Map<Delivery, DeliveryMode> modes;
  private final LocalState local;
  private final Self self;
  private final RateGate gate;
  private final Counters counters;
  private final Vitals vitals;

  HandlerPool(
      WorkerConfig cfg,
      ThreadPoolExecutor threads,
      ScheduledExecutorService scheduler,
      Map<Delivery, DeliveryMode> modes,
      LocalState local,
      Self self,
      RateGate gate,
      Counters counters,
      Vitals vitals) {
    this.vitals = vitals;
    this.cfg = cfg;
    this.threads = threads;
    this.scheduler = scheduler;
    this.modes = modes;
    this.local = local;
    this.self = self;
    this.gate = gate;
    this.counters = counters;
  }

  /** Queues {@code job}; false if the queue is full or the worker stops (left to the sweeper). */
  boolean submit(Job job) {
    if (local.inflight(job.key())) {
      return true;
    }
    try {
      threads.execute(() -> run(job));
      return true;
    } catch (RejectedExecutionException e) {
      counters.deferred.increment();
      log.info("handler queue full or stopping: {} left to the sweeper", job.key());
      return false;
    }
  }

  /** Free slots in the queue: the sweeper and poller stop reading when it is full. */
  int capacity() {
    return threads.getQueue().remainingCapacity();
  }

  /** Drops the queued jobs (they have not acquired anything yet); sources may still call. */
  void stopAccepting() {
    local.stopAccepting();
    threads.getQueue().clear();
  }

  private void run(Job job) {
    if (!local.accepting() || !local.begin(job.key())) {
      return;
    }
    MDC.put("channel", job.message().channel());
    MDC.put("ts", job.message().ts());
    MDC.put("worker", cfg.workerId());
    try {
      gate.awaitOpen();
      if (modes.get(job.delivery()).deliver(job) == DeliveryMode.Next.RETRY) {
        retryLater(job);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SlackMQException e) {
      log.warn("gave up on the message for now: {} ({})", e.error(), e.hint());
    } catch (RuntimeException e) {
      log.error("unexpected failure handling the message", e);
    } catch (Error e) {
      if (Guard.fatal(e)) {
        log.error("a fatal JVM error while handling the message: the worker fails", e);
        vitals.fatal(e);
      } else {
        log.error("unexpected failure handling the message", e);
      }
    } finally {
      local.end(job.key());
      MDC.clear();
    }
  }

  private void retryLater(Job job) {
    scheduler.schedule(
        Guard.of(
            log,
            vitals,
            "delivery retries", // one name, so that failing retries of many messages add up
            () -> {
              Job again = job.again(self.userId());
              if (local.accepting() && !local.finished(job.key()) && again != null) {
                submit(again);
              }
            }),
        cfg.retryDelay().toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
