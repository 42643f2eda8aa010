package io.slackmq.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Web API calls answered so far, oldest first, at most {@link #CAPACITY} (older ones are
 * dropped and counted): what tests assert on. A call is recorded before its answer is sent, so a
 * client that has its answer finds its call here. Thread-safe; {@link #take} blocks like
 * MockWebServer's {@code takeRequest}.
 */
final class RequestLog {
  static final int CAPACITY = 10_000;

  /** A recorded call and whether {@link #take} has handed it out already. */
  private static final class Entry {
    final RecordedRequest request;
    boolean taken;

    Entry(RecordedRequest request) {
      this.request = request;
    }
  }

  private final int capacity;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private long dropped;

  RequestLog() {
    this(CAPACITY);
  }

  RequestLog(int capacity) {
    this.capacity = capacity;
  }

  /** Records one answered call; {@code params} may hold a token, which is masked here. */
  void record(String method, Map<String, String> params, String caller, int status, String error) {
    Map<String, String> safe = new HashMap<>(params);
    safe.computeIfPresent("token", (k, v) -> RecordedRequest.MASKED);
    RecordedRequest r =
        new RecordedRequest(method, safe, caller, Instant.now(), status, error == null, error);
    synchronized (this) {
      if (entries.size() == capacity) {
        entries.removeFirst();
        dropped++;
      }
      entries.addLast(new Entry(r));
      notifyAll();
    }
  }

  /** Every recorded call, oldest first. */
  synchronized List<RecordedRequest> all() {
    return entries.stream().map(e -> e.request).toList();
  }

  /** How many calls were dropped to stay within the capacity since the last {@link #clear}. */
  synchronized long dropped() {
    return dropped;
  }

  /**
   * The oldest call of {@code method} not taken yet, waiting up to {@code timeout} for one to be
   * answered; null if none was within the timeout.
   */
  synchronized RecordedRequest take(String method, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (!e.taken && e.request.method().equals(method)) {
          e.taken = true;
          return e.request;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Duration wait = Duration.ofNanos(left);
      wait(Math.max(1, wait.toMillis()));
    }
  }

  synchronized void clear() {
    entries.clear();
    dropped = 0;
    notifyAll();
  }
}
