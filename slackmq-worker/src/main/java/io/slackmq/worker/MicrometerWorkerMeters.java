package io.slackmq.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's meters: {@code slackmq.job.execution} (timer; tags {@code listener}: the listener's
 * pattern and mode, {@code result}: success, failure, interrupted), {@code slackmq.job.active}
 * (gauge: handlers running now) and {@code slackmq.events.received} (tags {@code transport}:
 * socket_mode, events_api, polling; {@code duplicate}). Tag values come from small sets: listeners
 * are registered in code, never derived from a message.
 */
final class MicrometerWorkerMeters implements WorkerMeters {
  private final MeterRegistry registry;
  private final Map<String, Counter> received = new ConcurrentHashMap<>();
  private final Map<String, Timer> jobs = new ConcurrentHashMap<>();

  MicrometerWorkerMeters(MeterRegistry registry, AtomicInteger active) {
    this.registry = registry;
    Gauge.builder("slackmq.job.active", active, AtomicInteger::get)
        .description("handlers running now")
        .register(registry);
  }

  @Override
  public void received(String transport, boolean duplicate) {
    received
        .computeIfAbsent(
            transport + "|" + duplicate,
            k ->
                Counter.builder("slackmq.events.received")
                    .description("messages taken in from a source, by transport")
                    .tag("transport", transport)
                    .tag("duplicate", Boolean.toString(duplicate))
                    .register(registry))
        .increment();
  }

  @Override
  public void job(String listener, String result, long nanos) {
    jobs.computeIfAbsent(
            listener + "|" + result,
            k ->
                Timer.builder("slackmq.job.execution")
                    .description("handler runs, by listener and result")
                    .tag("listener", listener)
                    .tag("result", result)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
