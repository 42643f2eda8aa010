package io.slackmq.emulator;

import io.slackmq.emulator.Faults.ErrorKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** Web API faults: per-method error rates and latency, and the hold of a timeout. */
final class WebApiFaults {
  static final long DEFAULT_TIMEOUT_HOLD_MILLIS = 30_000;

  record Latency(long fixedMillis, long jitterMillis) {}

  private final FaultStreams streams;
  private final Map<String, EnumMap<ErrorKind, Double>> errorRates = new ConcurrentHashMap<>();
  private final Map<String, Latency> latencies = new ConcurrentHashMap<>();
  private volatile long timeoutHoldMillis = DEFAULT_TIMEOUT_HOLD_MILLIS;

  WebApiFaults(FaultStreams streams) {
    this.streams = streams;
  }

  /** Sets one kind's rate (0 removes it); callers synchronize on the owning {@link Faults}. */
  void errorRate(String method, ErrorKind kind, double rate) {
    EnumMap<ErrorKind, Double> rates =
        errorRates.computeIfAbsent(method, k -> new EnumMap<>(ErrorKind.class));
    if (rate == 0) {
      rates.remove(kind);
    } else {
      rates.put(kind, rate);
    }
    double total = rates.values().stream().mapToDouble(Double::doubleValue).sum();
    if (total > 1.0 + 1e-9) {
      rates.remove(kind);
      throw new IllegalArgumentException(
          "error rates of " + method + " add up to " + total + " > 1");
    }
    if (rates.isEmpty()) {
      errorRates.remove(method);
    }
  }

  void timeoutHoldMillis(long millis) {
    timeoutHoldMillis = millis;
  }

  long timeoutHoldMillis() {
    return timeoutHoldMillis;
  }

  void latency(String method, Latency l) {
    if (l.fixedMillis() == 0 && l.jitterMillis() == 0) {
      latencies.remove(method);
    } else {
      latencies.put(method, l);
    }
  }

  void forEachErrorRate(BiConsumer<String, Map<ErrorKind, Double>> action) {
    errorRates.forEach(action);
  }

  void forEachLatency(BiConsumer<String, Latency> action) {
    latencies.forEach(action);
  }

  void clear() {
    errorRates.clear();
    latencies.clear();
    timeoutHoldMillis = DEFAULT_TIMEOUT_HOLD_MILLIS;
  }

  /** The {@link WebApi.Interceptor}: latency first, then at most one error. */
  FaultDecision beforeCall(String method) {
    long delay = 0;
    Latency latency = latencies.getOrDefault(method, latencies.get("*"));
    if (latency != null) {
      long jitter =
          latency.jitterMillis() == 0
              ? 0
              : (long) (streams.draw("latency:" + method) * latency.jitterMillis());
      delay = latency.fixedMillis() + jitter;
    }
    FaultDecision error = error(method);
    return delay > 0 ? new FaultDecision.Delay(delay, error) : error;
  }

  private FaultDecision error(String method) {
    EnumMap<ErrorKind, Double> rates = errorRates.getOrDefault(method, errorRates.get("*"));
    if (rates == null || rates.isEmpty()) {
      return FaultDecision.PROCEED;
    }
    double u = streams.draw("error:" + method);
    double cumulative = 0;
    for (Map.Entry<ErrorKind, Double> e :
        Map.copyOf(rates).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      cumulative += e.getValue();
      if (u < cumulative) {
        return decision(e.getKey());
      }
    }
    return FaultDecision.PROCEED;
  }

  private FaultDecision decision(ErrorKind kind) {
    return switch (kind) {
      case HTTP_500 -> new FaultDecision.Fail(500, "internal_error");
      case INTERNAL_ERROR -> new FaultDecision.Fail(200, "internal_error");
      case FATAL_ERROR -> new FaultDecision.Fail(200, "fatal_error");
      case TIMEOUT -> new FaultDecision.Delay(timeoutHoldMillis, FaultDecision.PROCEED);
    };
  }
}
