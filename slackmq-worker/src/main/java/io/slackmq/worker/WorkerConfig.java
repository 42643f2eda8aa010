package io.slackmq.worker;

import io.slackmq.core.SlackApi;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The immutable settings the worker's parts share, a snapshot taken by {@link
 * WorkerBuilder#build()} after it checked them. No secret lives here (tokens stay with the SDK
 * clients), so it may be logged.
 *
 * @param apps the bot user ids of the fleet's apps, sorted (affinity: {@link Affinity}); empty
 *     without affinity
 * @param clock the wall clock (catch-up window, sweep grace); {@code nanoTime} the monotonic one
 *     (gates, deadlines); {@code sleeper} how the worker waits between retries
 */
record WorkerConfig(
    Set<String> channels,
    String workerId,
    int maxAttempts,
    Duration retryDelay,
    Duration sweepInterval,
    Duration catchUpWindow,
    Duration sweepGrace,
    Duration pollInterval,
    Set<String> fleet,
    java.util.List<String> apps,
    Duration affinityGrace,
    Duration leaseTtl,
    String canaryEmoji,
    double timeScale,
    Duration readLagBound,
    String lockEmoji,
    String doneEmoji,
    String deadEmoji,
    InstantSource clock,
    LongSupplier nanoTime,
    SlackApi.Sleeper sleeper) {

  /** This host's guess of Slack's clock, in Slack's ts unit (microseconds since the epoch). */
  long nowMicros() {
    return io.slackmq.core.Ts.micros(clock.instant());
  }
}
