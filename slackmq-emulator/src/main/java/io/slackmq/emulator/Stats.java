package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Calls and 429s per caller (app id, or user id for user tokens) per method, for the admin API. */
final class Stats {
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> rateLimited = new ConcurrentHashMap<>();

  void call(String caller, String method) {
    calls.computeIfAbsent(caller + "\t" + method, k -> new LongAdder()).increment();
  }

  void rateLimited(String caller, String method) {
    rateLimited.computeIfAbsent(caller + "\t" + method, k -> new LongAdder()).increment();
  }

  void reset() {
    calls.clear();
    rateLimited.clear();
  }

  /** {@code {"<caller>": {"<method>": {"calls": n, "ratelimited": n}}}}. */
  ObjectNode toJson() {
    Map<String, Map<String, long[]>> byCaller = new TreeMap<>();
    calls.forEach((k, v) -> slot(byCaller, k)[0] = v.sum());
    rateLimited.forEach((k, v) -> slot(byCaller, k)[1] = v.sum());
    ObjectNode out = Json.object();
    byCaller.forEach(
        (caller, methods) -> {
          ObjectNode c = out.putObject(caller);
          methods.forEach(
              (method, n) -> c.putObject(method).put("calls", n[0]).put("ratelimited", n[1]));
        });
    return out;
  }

  private static long[] slot(Map<String, Map<String, long[]>> byCaller, String key) {
    int tab = key.indexOf('\t');
    return byCaller
        .computeIfAbsent(key.substring(0, tab), k -> new TreeMap<>())
        .computeIfAbsent(key.substring(tab + 1), k -> new long[2]);
  }
}
