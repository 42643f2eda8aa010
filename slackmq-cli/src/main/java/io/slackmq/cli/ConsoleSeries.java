package io.slackmq.cli;

import io.slackmq.cli.ConsoleView.ApiRow;
import io.slackmq.cli.ConsoleView.MessageView;
import io.slackmq.cli.ConsoleView.Point;
import io.slackmq.core.ApiCalls;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The console's chart: per emulated minute (a bucket), completions, retries and dead letters seen
 * since the previous refresh, messages in flight, and on the local Slack every caller's calls and
 * 429s; also each caller's calls per minute by method over the last whole bucket. Keeps {@link
 * #BUCKETS} buckets: its memory does not grow with time.
 */
final class ConsoleSeries {
  static final int BUCKETS = 60;
  static final int MAX_API_ROWS = 100;

  private final long bucketMillis;
  private final double emulatedMinutesPerBucket;
  private final Deque<Point> points = new ArrayDeque<>();
  private Map<String, MessageView> previous = new HashMap<>();
  private Point open;

  /** Calls of every caller at the start of the open bucket, and over the last whole bucket. */
  private Map<String, ApiCalls> bucketStart;

  private Map<String, ApiCalls> lastBucket = Map.of();
  private ApiCalls consoleStart = new ApiCalls(Map.of(), Map.of());
  private ApiCalls consoleLastBucket = new ApiCalls(Map.of(), Map.of());

  /** Buckets of one emulated minute at {@code timeScale} (at least a real second). */
  ConsoleSeries(double timeScale) {
    this.bucketMillis = Math.max(1000, Math.round(60_000 / timeScale));
    this.emulatedMinutesPerBucket = bucketMillis * timeScale / 60_000;
  }

  long bucketMillis() {
    return bucketMillis;
  }

  /**
   * Takes one refresh: counts what changed since the previous one ({@code initial}: messages that
   * were there when the console started, whose past is not counted) and the callers' calls so far
   * ({@code calls}: null off the local Slack; {@code console}: the console's own).
   */
  void record(
      long nowMillis,
      List<MessageView> messages,
      Predicate<String> initial,
      Map<String, ApiCalls> calls,
      ApiCalls console) {
    long start = nowMillis - nowMillis % bucketMillis;
    if (open == null || open.t() != start) {
      roll(start, calls, console);
    }
    int completed = 0;
    int retries = 0;
    int dead = 0;
    int inFlight = 0;
    Map<String, MessageView> now = new HashMap<>();
    for (MessageView v : messages) {
      now.put(v.ts(), v);
      MessageView p = previous.get(v.ts());
      boolean counted = p != null || !initial.test(v.ts());
      if (counted && became(p, v, "done")) {
        completed++;
      }
      if (counted && became(p, v, "dead")) {
        dead++;
      }
      boolean readBefore = p != null && p.read();
      if (v.read() && (readBefore || !initial.test(v.ts()))) {
        // Attempts beyond the first; of a message already there at the start, only new ones.
        retries += Math.max(0, v.attempts() - Math.max(readBefore ? p.attempts() : 1, 1));
      }
      if (v.state().equals("held")) {
        inFlight++;
      }
    }
    previous = now;
    long bucketCalls = 0;
    long bucketLimited = 0;
    if (calls != null && bucketStart != null) {
      for (var e : calls.entrySet()) {
        ApiCalls d = e.getValue().minus(bucketStart.getOrDefault(e.getKey(), none()));
        bucketCalls += d.total();
        bucketLimited += d.totalRateLimited();
      }
    }
    open =
        new Point(
            start,
            open.completed() + completed,
            inFlight,
            open.retries() + retries,
            open.dead() + dead,
            bucketCalls,
            bucketLimited);
  }

  private static boolean became(MessageView before, MessageView now, String state) {
    return now.state().equals(state) && (before == null || !before.state().equals(state));
  }

  private void roll(long start, Map<String, ApiCalls> calls, ApiCalls console) {
    if (open != null) {
      points.addLast(open);
      while (points.size() >= BUCKETS) {
        points.removeFirst();
      }
      if (calls != null && bucketStart != null) {
        Map<String, ApiCalls> last = new TreeMap<>();
        calls.forEach((k, v) -> last.put(k, v.minus(bucketStart.getOrDefault(k, none()))));
        lastBucket = last;
      }
      consoleLastBucket = console.minus(consoleStart);
    }
    bucketStart = calls;
    consoleStart = console;
    open = new Point(start, 0, 0, 0, 0, 0, 0);
  }

  /** The chart's points, oldest first; the last is the bucket still open. */
  List<Point> points() {
    List<Point> out = new ArrayList<>(points);
    if (open != null) {
      out.add(open);
    }
    return out;
  }

  /**
   * Each caller's calls by method ({@code calls}: totals so far), at most {@link #MAX_API_ROWS}.
   */
  List<ApiRow> api(Map<String, ApiCalls> calls, UnaryOperator<String> names) {
    List<ApiRow> rows = new ArrayList<>();
    if (calls == null) {
      return rows;
    }
    for (var caller : calls.entrySet()) {
      ApiCalls last = lastBucket.getOrDefault(caller.getKey(), none());
      for (var m : caller.getValue().calls().entrySet()) {
        rows.add(
            row(
                names.apply(caller.getKey()),
                m.getKey(),
                m.getValue(),
                caller.getValue().rateLimited().getOrDefault(m.getKey(), 0L),
                0,
                last.of(m.getKey())));
      }
    }
    return rows.size() > MAX_API_ROWS ? rows.subList(0, MAX_API_ROWS) : rows;
  }

  /**
   * The console's own calls by method ({@code console}: totals so far; {@code errors}: by method).
   */
  List<ApiRow> console(ApiCalls console, Map<String, Long> errors) {
    List<ApiRow> rows = new ArrayList<>();
    console
        .calls()
        .forEach(
            (method, n) ->
                rows.add(
                    row(
                        "console",
                        method,
                        n,
                        console.rateLimited().getOrDefault(method, 0L),
                        errors.getOrDefault(method, 0L),
                        consoleLastBucket.of(method))));
    return rows;
  }

  private ApiRow row(
      String caller, String method, long calls, long limited, long errors, long lastBucketCalls) {
    return new ApiRow(
        caller,
        method,
        calls,
        limited,
        errors,
        Math.round(lastBucketCalls / emulatedMinutesPerBucket * 10) / 10.0,
        ApiCalls.slackLimitPerMinute(method));
  }

  private static ApiCalls none() {
    return new ApiCalls(Map.of(), Map.of());
  }
}
