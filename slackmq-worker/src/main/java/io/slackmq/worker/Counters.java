package io.slackmq.worker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The worker's counters and its meters; {@link #snapshot} merges in the lock clients' API calls.
 */
final class Counters {
  /** Handlers running now. */
  final AtomicInteger active = new AtomicInteger();

  /** Set once at assembly, before any message arrives. */
  volatile WorkerMeters meters = WorkerMeters.NONE;

  final LongAdder received = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder acquired = new LongAdder();
  final LongAdder lostRaces = new LongAdder();
  final LongAdder completed = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  final LongAdder deferred = new LongAdder();
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  void call(String method) {
    calls.computeIfAbsent(method, m -> new LongAdder()).increment();
  }

  WorkerMetrics snapshot(Map<String, Long> lockCalls, long lockRateLimited) {
    Map<String, Long> all = new TreeMap<>(lockCalls);
    calls.forEach((m, n) -> all.merge(m, n.sum(), Long::sum));
    return new WorkerMetrics(
        received.sum(),
        duplicates.sum(),
        acquired.sum(),
        lostRaces.sum(),
        completed.sum(),
        retried.sum(),
        deadLettered.sum(),
        rateLimited.sum() + lockRateLimited,
        deferred.sum(),
        all);
  }
}
