package io.slackmq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.slackmq.bench.ConsistencyBench;
import io.slackmq.bench.FleetBenchmark;
import io.slackmq.bench.LockBenchmark;
import io.slackmq.bench.ScaleBench;
import io.slackmq.bench.SocketModeBench;
import io.slackmq.bench.WebApiBench;
import io.slackmq.emulator.Emulator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code slackmq bench}: the project's benchmarks in one command (not tests: they take minutes and
 * their figures depend on the machine). docs/BENCHMARKS.md records figures and commands.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the benchmarks on embedded local Slacks and prints a table per suite; writes all",
      "figures as JSON. Suites: webapi (emulator vs WireMock on reactions.add), socket (Socket",
      "Mode delivery, 10 connections), locks (strategies vs the seed's algorithm under Slack's",
      "rate limits), fleet (worker latency and throughput), consistency (what the read-lag",
      "bound costs on the happy path and buys on takeovers under read lag). --quick runs short",
      "versions."
    })
final class BenchCommand implements Callable<Integer> {
  enum Suite {
    webapi,
    socket,
    locks,
    fleet,
    consistency,
    scale
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--suite",
      split = ",",
      paramLabel = "SUITE",
      description = "Which suites (default: all): ${COMPLETION-CANDIDATES}.")
  List<Suite> suites = new ArrayList<>(EnumSet.allOf(Suite.class));

  @Option(
      names = "--quick",
      description = "Short runs (a minute or two in all) instead of the full ones.")
  boolean quick;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Where to write the figures (default bench-results/bench-<time>.json).")
  Path json;

  @Option(names = "--verbose", description = "Show the workers' and servers' logs.")
  boolean verbose;

  @Option(
      names = "--wiremock-jar",
      paramLabel = "JAR",
      description =
          "WireMock standalone 3.13.2 for the webapi suite (default: the one in ~/.m2; fetched with mvn if missing).")
  Path wiremockJar;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("started", Instant.now().toString());
    figures.put(
        "machine",
        Map.of(
            "cores",
            Runtime.getRuntime().availableProcessors(),
            "java",
            System.getProperty("java.version"),
            "quick",
            quick));
    for (Suite suite : suites) {
      out.println("== " + suite + (quick ? " (quick)" : ""));
      out.flush();
      Object result =
          switch (suite) {
            case webapi -> webapi(out);
            case socket -> socket(out);
            case locks -> locks(out);
            case fleet -> fleet(out);
            case consistency -> consistency(out);
            case scale -> scale(out);
          };
      figures.put(suite.name(), result);
      out.println();
      out.flush();
    }
    Path file =
        json != null
            ? json
            : Path.of(
                "bench-results", "bench-" + Instant.now().toString().replace(':', '-') + ".json");
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), figures);
    out.println("Figures written to " + file.toAbsolutePath());
    return 0;
  }

  private Object webapi(PrintWriter out) throws Exception {
    WebApiBench.Options d = WebApiBench.Options.defaults();
    Path jar = wiremockJar != null ? wiremockJar : d.wiremockJar();
    if (!Files.isRegularFile(jar)) {
      fetchWiremock(out);
    }
    WebApiBench.Options o =
        new WebApiBench.Options(
            jar,
            d.threads(),
            quick ? Duration.ofSeconds(2) : d.warmup(),
            quick ? Duration.ofSeconds(6) : d.duration(),
            quick ? 2 : d.rounds(),
            quick ? 10_000 : d.messages(),
            d.withDataDir(),
            d.heap());
    List<WebApiBench.Result> results = WebApiBench.run(o);
    out.println(WebApiBench.table(results));
    return results;
  }

  private static void fetchWiremock(PrintWriter out) throws Exception {
    out.println("Fetching WireMock standalone 3.13.2 from Maven Central (once)...");
    out.flush();
    Process p =
        new ProcessBuilder(
                "mvn",
                "-q",
                "-B",
                "dependency:get",
                "-Dartifact=org.wiremock:wiremock-standalone:3.13.2",
                "-Dtransitive=false")
            .inheritIO()
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          "could not fetch WireMock (mvn exited "
              + p.exitValue()
              + "); pass --wiremock-jar or run --suite socket,locks,fleet");
    }
  }

  private Object socket(PrintWriter out) throws Exception {
    SocketModeBench.Result r = SocketModeBench.run(quick ? 2_000 : 20_000, 10);
    out.println(r);
    return r;
  }

  private Object locks(PrintWriter out) throws Exception {
    double scale = 60;
    try (Emulator slack = Emulator.builder().slackRateLimits().timeScale(scale).start()) {
      Map<String, String> env = slack.env();
      out.println(LockBenchmark.Row.HEADER);
      out.println("|---|---|---|---|---|---|---|---|---|---|");
      List<LockBenchmark.Row> rows =
          LockBenchmark.run(
              slack.apiUrl(),
              env.get("SLACK_BOT_TOKEN_SLACKMQ_A"),
              env.get("SLACK_USER_TOKEN_ALICE"),
              env.get("SLACK_CHANNEL"),
              scale,
              10,
              quick ? 100 : 500,
              quick ? 5 : 20);
      rows.forEach(out::println);
      return rows;
    }
  }

  private Object fleet(PrintWriter out) throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    int messages = quick ? 50 : 200;
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      // No rate limits here, so no pacing either: this measures the runtime, not Slack's tiers.
      FleetBenchmark.Result latency = FleetBenchmark.run(config(slack, 5, messages, 20, 1, false));
      out.println(String.format(Locale.ROOT, "latency, 5 workers, no rate limits: %s", latency));
      results.put("latency", latency);
    }
    double scale = 60;
    try (Emulator slack = Emulator.builder().slackRateLimits().timeScale(scale).start()) {
      FleetBenchmark.Result throughput =
          FleetBenchmark.run(config(slack, 1, messages, 0, scale, true));
      out.println(
          String.format(
              Locale.ROOT, "throughput, 1 worker, Slack limits at %.0fx: %s", scale, throughput));
      results.put("throughput", throughput);
    }
    return results;
  }

  private Object scale(PrintWriter out) throws Exception {
    int messages = quick ? 60 : 300;
    out.println(
        "K apps x 2 Socket Mode workers, a backlog of "
            + messages
            + " messages, Slack's limits at 60x, affinity on:");
    out.println(ScaleBench.header());
    List<ScaleBench.Row> rows = ScaleBench.run(3, 2, messages, 60);
    rows.forEach(out::println);
    double one = rows.get(0).perMinute();
    for (ScaleBench.Row r : rows) {
      out.println(
          String.format(
              Locale.ROOT,
              "  %-22s %.2f x one app's PIN throughput (%.0f%% of K x)",
              r.name(),
              r.perMinute() / one,
              100 * r.perMinute() / one / r.apps()));
    }
    return rows;
  }

  private Object consistency(PrintWriter out) throws Exception {
    out.println(ConsistencyBench.Row.HEADER);
    List<ConsistencyBench.Row> rows = ConsistencyBench.run(quick ? 10 : 30);
    rows.forEach(out::println);
    return rows;
  }

  private static FleetBenchmark.Config config(
      Emulator slack, int workers, int messages, long postEvery, double scale, boolean pacing) {
    return FleetBenchmark.Config.local(
        slack, workers, messages, postEvery, scale, pacing, Duration.ofMinutes(5));
  }
}
