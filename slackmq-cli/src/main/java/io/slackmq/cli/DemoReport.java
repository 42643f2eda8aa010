package io.slackmq.cli;

import io.slackmq.worker.WorkerMetrics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's summary, printed once the fleet has stopped (its final counts): what was posted, the
 * exactly-once verdict, each worker's share, lock races, API calls per message against Slack's tier
 * ceiling, and the faults injected.
 */
final class DemoReport {
  private final DemoSettings settings;
  private final DemoFleet fleet;
  private final List<String> tasks;
  private final String rollingTs;
  private final Map<String, Integer> attemptsByTs;
  private final List<String> injected;

  /**
   * @param rollingTs the rolling update's ts, or null without one
   * @param attemptsByTs claims the ledger of each task counted (2+: a retry or a takeover)
   * @param injected the faults injected, as the demo states them (empty without --chaos)
   */
  DemoReport(
      DemoSettings settings,
      DemoFleet fleet,
      List<String> tasks,
      String rollingTs,
      Map<String, Integer> attemptsByTs,
      List<String> injected) {
    this.settings = settings;
    this.fleet = fleet;
    this.tasks = tasks;
    this.rollingTs = rollingTs;
    this.attemptsByTs = attemptsByTs;
    this.injected = injected;
  }

  /** Prints the summary with the audit's verdict; returns the exit code: 0 only if exactly once. */
  int print(PrintWriter out, ExactlyOnceAudit audit, long elapsedNanos) {
    int reRuns = 0;
    for (String ts : tasks) {
      reRuns += Math.max(0, fleet.runsOf(ts).size() - 1);
    }
    long lost = 0;
    long rateLimited = 0;
    long duplicates = 0;
    Map<String, Map<String, Long>> callsByApp = new TreeMap<>();
    for (DemoMember m : fleet.members) {
      WorkerMetrics wm = m.worker.metrics();
      lost += wm.lostRaces();
      rateLimited += wm.rateLimited();
      duplicates += wm.duplicates();
      Map<String, Long> app = callsByApp.computeIfAbsent(m.app, k -> new TreeMap<>());
      wm.apiCalls().forEach((method, n) -> app.merge(method, n, Long::sum));
    }
    int rollingTurns = rollingTs == null ? 0 : fleet.runsOf(rollingTs).size();
    ExactlyOnceAudit.Verdict verdict = audit.check(tasks, rollingTs, fleet.rollingFleet);
    boolean exactlyOnce = verdict.exactlyOnce();
    int processed = tasks.size() + (rollingTs == null ? 0 : 1);
    double emulatedMinutes = elapsedNanos / 1e9 * settings.timeScale() / 60.0;

    out.println();
    row(
        out,
        "messages",
        processed
            + " ("
            + tasks.size()
            + " tasks + "
            + (rollingTs == null ? "no" : "1")
            + " rolling update)");
    row(
        out,
        "completed exactly once",
        (exactlyOnce ? "yes" : "NO")
            + " ("
            + verdict.answeredOnce()
            + "/"
            + tasks.size()
            + " tasks done with exactly one answer in their thread"
            + (rollingTs == null
                ? ""
                : "; rollout: "
                    + rollingTurns
                    + "/"
                    + fleet.rollingFleet.size()
                    + " workers, one at a time")
            + ")");
    long takenOver = attemptsByTs.values().stream().filter(a -> a > 1).count();
    if (takenOver > 0) {
      row(
          out,
          "second attempts",
          takenOver + " (a lease expired or was released, and another worker took the task over)");
    }
    if (reRuns > 0) {
      row(
          out,
          "handler re-runs",
          reRuns + " (jobs of the killed worker, taken over after its lease expired)");
    }
    StringBuilder share = new StringBuilder("(tasks + rollout turns) ");
    for (DemoMember m : fleet.members) {
      share
          .append(m.id)
          .append(' ')
          .append(m.handled.get())
          .append(m.killed ? " (killed)" : "")
          .append("  ");
    }
    row(out, "per-worker share", share.toString().trim());
    row(out, "lock races lost", Long.toString(lost));
    row(
        out,
        "repeat deliveries",
        duplicates + " (events and sweeps of messages already seen: dropped before any lock call)");
    row(out, "API calls per message", callsPerMessage(callsByApp, processed));
    row(out, "429s", Long.toString(rateLimited));
    row(
        out,
        "elapsed",
        String.format(
            Locale.ROOT, "%.1f s real = %.1f emulated min", elapsedNanos / 1e9, emulatedMinutes));
    row(out, "throughput", throughput(callsByApp, processed, processed / emulatedMinutes));
    if (!injected.isEmpty()) {
      row(out, "faults injected", String.join("; ", injected));
    }
    if (!exactlyOnce) {
      for (DemoMember m : fleet.members) {
        row(out, "worker " + m.id, m.worker.metrics().toString());
      }
      fleet.runsByTs.forEach(
          (ts, runs) -> {
            if (runs.size() != 1 && !ts.equals(rollingTs)) {
              row(out, "runs of " + ts, runs.toString());
            }
          });
    }
    out.println();
    out.println(
        exactlyOnce
            ? "OK: every message was completed exactly once."
            : "FAILED: not every message was completed exactly once (see above).");
    out.flush();
    return exactlyOnce ? 0 : 1;
  }

  /** The fleet's calls per message processed, in all and by method. */
  private static String callsPerMessage(Map<String, Map<String, Long>> callsByApp, int processed) {
    Map<String, Double> allCalls = new TreeMap<>();
    for (var app : callsByApp.entrySet()) {
      app.getValue()
          .forEach((method, n) -> allCalls.merge(method, n / (double) processed, Double::sum));
    }
    StringBuilder calls = new StringBuilder();
    double total = 0;
    for (var e : allCalls.entrySet()) {
      total += e.getValue();
    }
    calls.append(String.format(Locale.ROOT, "%.1f in all:", total));
    allCalls.forEach(
        (method, n) -> calls.append(String.format(Locale.ROOT, " %s %.2f", method, n)));
    return calls.toString();
  }

  /**
   * Messages per emulated minute, as a share of Slack's tier ceiling: that of the app whose
   * bottleneck method allows the fewest messages per minute.
   */
  private static String throughput(
      Map<String, Map<String, Long>> callsByApp, int processed, double perMinute) {
    double ceiling = Double.MAX_VALUE;
    String bottleneck = "";
    for (var app : callsByApp.entrySet()) {
      Map<String, Double> perMessage = new TreeMap<>();
      app.getValue().forEach((method, n) -> perMessage.put(method, n / (double) processed));
      double c = Tiers.ceiling(perMessage);
      if (c > 0 && c < ceiling) {
        ceiling = c;
        bottleneck =
            Tiers.bottleneck(perMessage)
                + " of "
                + app.getKey().toLowerCase(Locale.ROOT).replace('_', '-');
      }
    }
    return ceiling == Double.MAX_VALUE
        ? String.format(Locale.ROOT, "%.1f msg/emulated min", perMinute)
        : String.format(
            Locale.ROOT,
            "%.1f msg/emulated min = %.0f%% of the tier ceiling (%.1f/min, set by %s)",
            perMinute,
            100 * perMinute / ceiling,
            ceiling,
            bottleneck);
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf(Locale.ROOT, "  %-24s %s%n", name, value);
  }
}
