package io.slackmq.bench;

import io.slackmq.bench.WebApiLoad.Window;
import io.slackmq.bench.WebApiTargets.Target;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput and latency of {@code reactions.add} on the emulator (rate limits off) against
 * WireMock standalone serving a static stub of the same call, in one run, both as separate
 * processes on this machine, driven by the same load generator. Not a test: run it on demand
 * (docs/BENCHMARKS.md, "Emulator Web API vs WireMock", has the command).
 *
 * <p>The emulator does the real work (token lookup, channel and message checks, the already_reacted
 * check, the mutation); WireMock matches a URL and returns a constant. Each emulator request reacts
 * to a different message; when every prepared message has a reaction the generator moves on to the
 * next emoji, so no request is ever {@code already_reacted}.
 */
public final class WebApiBench {
  /**
   * @param wiremockJar org.wiremock:wiremock-standalone:3.13.2
   * @param threads concurrent request loops (each one connection)
   * @param duration measured time per target, split into {@code rounds} windows that alternate
   *     between the targets (so a neighbour's load on a shared machine hits all of them alike)
   * @param messages messages prepared in the emulator before the clock starts; with 20 emoji each,
   *     they must cover every request of the run (else {@code already_reacted} errors)
   * @param withDataDir also measure the emulator with a data directory (a forced journal write per
   *     reaction)
   * @param heap -Xmx of both server processes, e.g. "512m"
   */
  public record Options(
      Path wiremockJar,
      int threads,
      Duration warmup,
      Duration duration,
      int rounds,
      int messages,
      boolean withDataDir,
      String heap) {
    public Options {
      if (threads < 1 || messages < 1 || rounds < 1 || warmup.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(
            "threads, rounds, messages and duration must be positive");
      }
    }

    public static Options defaults() {
      return new Options(
          Path.of(
              System.getProperty("user.home"),
              ".m2",
              "repository",
              "org",
              "wiremock",
              "wiremock-standalone",
              "3.13.2",
              "wiremock-standalone-3.13.2.jar"),
          8,
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          6,
          40_000,
          true,
          "512m");
    }
  }

  /** One target's figures over the measured window (warmup excluded). */
  public record Result(
      String target,
      int threads,
      long requests,
      long errors,
      double seconds,
      double requestsPerSecond,
      double p50Millis,
      double p99Millis,
      double maxMillis) {}

  private WebApiBench() {}

  /**
   * Starts every target, warms each one up, then measures them in alternating windows; returns
   * their results, emulator first.
   */
  public static List<Result> run(Options options) throws IOException, InterruptedException {
    // Checked here, not in Options: the CLI builds the defaults first and fetches a missing jar.
    if (!Files.isRegularFile(options.wiremockJar())) {
      throw new IllegalArgumentException(
          "no WireMock jar at "
              + options.wiremockJar()
              + "; fetch it with"
              + " mvn dependency:get -Dartifact=org.wiremock:wiremock-standalone:3.13.2");
    }
    HttpClient client = Http.client();
    List<Target> targets = new ArrayList<>();
    try {
      targets.add(WebApiTargets.emulator(client, options, false));
      targets.add(WebApiTargets.wiremock(client, options));
      if (options.withDataDir()) {
        targets.add(WebApiTargets.emulator(client, options, true));
      }
      for (Target t : targets) {
        WebApiLoad.load(client, t, options.threads(), options.warmup(), new Window());
      }
      Map<Target, Window> windows = new LinkedHashMap<>();
      targets.forEach(t -> windows.put(t, new Window()));
      Duration slice = options.duration().dividedBy(options.rounds());
      for (int round = 0; round < options.rounds(); round++) {
        for (int i = 0; i < targets.size(); i++) {
          Target t = targets.get((i + round) % targets.size()); // rotate who goes first
          WebApiLoad.load(client, t, options.threads(), slice, windows.get(t));
        }
      }
      List<Result> results = new ArrayList<>();
      windows.forEach((t, w) -> results.add(w.result(t.name(), options)));
      return results;
    } finally {
      for (Target t : targets) {
        t.close();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Options d = Options.defaults();
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    Options options =
        new Options(
            Path.of(a.getOrDefault("--wiremock-jar", d.wiremockJar().toString())),
            Integer.parseInt(a.getOrDefault("--threads", "" + d.threads())),
            Duration.ofSeconds(
                Long.parseLong(a.getOrDefault("--warmup", "" + d.warmup().toSeconds()))),
            Duration.ofSeconds(
                Long.parseLong(a.getOrDefault("--seconds", "" + d.duration().toSeconds()))),
            Integer.parseInt(a.getOrDefault("--rounds", "" + d.rounds())),
            Integer.parseInt(a.getOrDefault("--messages", "" + d.messages())),
            Boolean.parseBoolean(a.getOrDefault("--data-dir", "" + d.withDataDir())),
            a.getOrDefault("--heap", d.heap()));
    List<Result> results = run(options);
    System.out.println(table(results));
  }

  /** A Markdown table, with each target's throughput as a ratio of the first row's. */
  public static String table(List<Result> results) {
    StringBuilder sb =
        new StringBuilder(
            "| target | threads | requests | errors | req/s | p50 ms | p99 ms | max ms | req/s vs first |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
    double base = results.get(0).requestsPerSecond();
    for (Result r : results) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %.0f | %.2f | %.2f | %.1f | %.2f |%n",
              r.target(),
              r.threads(),
              r.requests(),
              r.errors(),
              r.requestsPerSecond(),
              r.p50Millis(),
              r.p99Millis(),
              r.maxMillis(),
              r.requestsPerSecond() / base));
    }
    return sb.toString();
  }
}
