package io.slackmq.junit;

import io.slackmq.emulator.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Failure messages about recorded requests: what was expected, and what was called instead. */
final class RequestReport {
  /** The newest calls a message lists; older ones are counted. */
  static final int LISTED = 15;

  private RequestReport() {}

  /**
   * {@code no call of chat.postMessage within 2 s; calls answered since the start or the last
   * reset: apps.connections.open by slackmq-a: ok, pins.add by slackmq-a: ok}.
   */
  static String nothingWithin(String method, Duration timeout, List<RecordedRequest> all) {
    long earlier = all.stream().filter(r -> r.method().equals(method)).count();
    StringBuilder sb =
        new StringBuilder("no call of ").append(method).append(" within ").append(human(timeout));
    if (earlier > 0) {
      sb.append(" (")
          .append(earlier)
          .append(earlier == 1 ? " earlier one was" : " earlier ones were")
          .append(" taken already)");
    }
    sb.append("; calls answered since the start or the last reset: ");
    if (all.isEmpty()) {
      return sb.append("none").toString();
    }
    if (all.size() > LISTED) {
      sb.append("(").append(all.size() - LISTED).append(" older ones, then) ");
    }
    return sb.append(
            all.subList(Math.max(0, all.size() - LISTED), all.size()).stream()
                .map(RecordedRequest::toString)
                .collect(Collectors.joining(", ")))
        .toString();
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }
}
