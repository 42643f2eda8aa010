package io.slackmq.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock client's meters in a Micrometer registry, named as ShedLock and Spring Kafka name
 * theirs: {@code slackmq.lock.attempts}, {@code slackmq.lock.acquired}, {@code
 * slackmq.lock.not.acquired} (tag {@code result}: held, done, dead, failed), {@code
 * slackmq.lock.renewals} (tag {@code result}: ok, lost, failed), {@code slackmq.slack.api.calls}
 * (tags {@code method}, {@code error}: none or Slack's code) and {@code slackmq.slack.ratelimited}
 * (tag {@code method}). Every tag value comes from a small set: method names are ours, and error
 * codes past the first {@value #MAX_ERROR_CODES} distinct ones count as {@code other}, so a
 * misbehaving server cannot grow the registry without bound.
 */
final class MicrometerMeters implements LockMeters {
  static final int MAX_ERROR_CODES = 64;

  private final MeterRegistry registry;
  private final Counter attempts;
  private final Counter acquired;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Set<String> errorCodes = ConcurrentHashMap.newKeySet();

  MicrometerMeters(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.attempts =
        Counter.builder("slackmq.lock.attempts")
            .description("LockClient.acquire calls")
            .register(registry);
    this.acquired =
        Counter.builder("slackmq.lock.acquired").description("leases won").register(registry);
  }

  @Override
  public void acquired(Outcome outcome) {
    attempts.increment();
    if (outcome instanceof Outcome.Acquired) {
      acquired.increment();
      return;
    }
    String result =
        outcome instanceof Outcome.Held
            ? "held"
            : outcome instanceof Outcome.Done
                ? "done"
                : outcome instanceof Outcome.DeadLettered ? "dead" : "failed";
    count("slackmq.lock.not.acquired", "acquires that did not win, by why", "result", result);
  }

  @Override
  public void renewal(String result) {
    count("slackmq.lock.renewals", "lease renewals, by result", "result", result);
  }

  @Override
  public void answered(String method, String error) {
    String code = error == null ? "none" : error;
    if (error != null && !errorCodes.contains(code)) {
      if (errorCodes.size() >= MAX_ERROR_CODES) {
        code = "other";
      } else {
        errorCodes.add(code);
      }
    }
    String errorTag = code;
    counters
        .computeIfAbsent(
            "slackmq.slack.api.calls|" + method + "|" + code,
            k ->
                Counter.builder("slackmq.slack.api.calls")
                    .description("Web API answers, by method and Slack's error code")
                    .tag("method", method)
                    .tag("error", errorTag)
                    .register(registry))
        .increment();
  }

  @Override
  public void rateLimited(String method, Duration wait) {
    count("slackmq.slack.ratelimited", "HTTP 429 answers, by method", "method", method);
  }

  private void count(String name, String description, String tag, String value) {
    counters
        .computeIfAbsent(
            name + "|" + value,
            k -> Counter.builder(name).description(description).tag(tag, value).register(registry))
        .increment();
  }
}
