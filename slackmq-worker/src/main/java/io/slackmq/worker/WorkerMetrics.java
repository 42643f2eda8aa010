package io.slackmq.worker;

import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a worker's counters since it was built ({@link SlackMQWorker#metrics()}).
 *
 * @param received message events and polled messages taken in (before dedup)
 * @param duplicates deliveries dropped as already seen (same event_id, or same channel+ts)
 * @param acquired leases won
 * @param lostRaces acquires that found another worker holding the message
 * @param completed handler runs that succeeded (ONE: message marked done; ALL/ROLLING: turn done)
 * @param retried handler failures released for a retry
 * @param deadLettered messages this worker dead-lettered
 * @param rateLimited HTTP 429 answers (this worker's calls and its lock client's)
 * @param deferred messages left to the sweeper because the handler queue was full or paused
 * @param apiCalls Web API calls by method (worker and lock client)
 */
public record WorkerMetrics(
    long received,
    long duplicates,
    long acquired,
    long lostRaces,
    long completed,
    long retried,
    long deadLettered,
    long rateLimited,
    long deferred,
    Map<String, Long> apiCalls) {

  public WorkerMetrics {
    apiCalls = Map.copyOf(apiCalls);
  }

  /** All Web API calls. */
  public long totalApiCalls() {
    return apiCalls.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String toString() {
    return "received="
        + received
        + " duplicates="
        + duplicates
        + " acquired="
        + acquired
        + " lostRaces="
        + lostRaces
        + " completed="
        + completed
        + " retried="
        + retried
        + " deadLettered="
        + deadLettered
        + " 429s="
        + rateLimited
        + " deferred="
        + deferred
        + " apiCalls="
        + new TreeMap<>(apiCalls);
  }
}
