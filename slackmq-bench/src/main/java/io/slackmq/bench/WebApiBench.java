package io.slackmq.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

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
  /** 20 emoji: under the emulator's default cap of 23 reactions per user per message. */
  private static final List<String> EMOJI =
      List.of(
          "eyes",
          "white_check_mark",
          "thumbsup",
          "tada",
          "rocket",
          "fire",
          "heart",
          "star",
          "wave",
          "100",
          "sparkles",
          "zap",
          "smile",
          "clap",
          "bulb",
          "lock",
          "key",
          "bell",
          "gear",
          "hammer");

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
      if (!Files.isRegularFile(wiremockJar)) {
        throw new IllegalArgumentException(
            "no WireMock jar at "
                + wiremockJar
                + "; fetch it with"
                + " mvn dependency:get -Dartifact=org.wiremock:wiremock-standalone:3.13.2");
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

  /** A server under load: how to build its next request; closing it stops the process. */
  private interface Target extends AutoCloseable {
    String name();

    HttpRequest next();

    @Override
    void close(); // stops the server; keeps the thread's interrupt status
  }

  /**
   * Starts every target, warms each one up, then measures them in alternating windows; returns
   * their results, emulator first.
   */
  public static List<Result> run(Options options) throws IOException, InterruptedException {
    HttpClient client = client();
    List<Target> targets = new ArrayList<>();
    try {
      targets.add(emulator(client, options, false));
      targets.add(wiremock(client, options));
      if (options.withDataDir()) {
        targets.add(emulator(client, options, true));
      }
      for (Target t : targets) {
        load(client, t, options.threads(), options.warmup(), new Window());
      }
      Map<Target, Window> windows = new java.util.LinkedHashMap<>();
      targets.forEach(t -> windows.put(t, new Window()));
      Duration slice = options.duration().dividedBy(options.rounds());
      for (int round = 0; round < options.rounds(); round++) {
        for (int i = 0; i < targets.size(); i++) {
          Target t = targets.get((i + round) % targets.size()); // rotate who goes first
          load(client, t, options.threads(), slice, windows.get(t));
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

  private static Target emulator(HttpClient client, Options o, boolean durable)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("slackmq-bench");
    Path envFile = work.resolve("slack.env");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java(),
                "-Xmx" + o.heap(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.slackmq.emulator.EmulatorMain",
                "--port",
                "0",
                "--rate-limits",
                "off",
                "--env-file",
                envFile.toString()));
    if (durable) {
      cmd.addAll(List.of("--data-dir", work.resolve("data").toString()));
    }
    Process server =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("emulator.log").toFile())
            .start();
    try {
      waitFor(() -> Files.exists(envFile), server, work.resolve("emulator.log"));
      Map<String, String> env = new HashMap<>();
      for (String line : Files.readAllLines(envFile)) {
        int eq = line.indexOf('=');
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
      String api = env.get("SLACK_API_URL");
      String token = env.get("SLACK_BOT_TOKEN");
      String channel = env.get("SLACK_CHANNEL");
      String[] ts = prepareMessages(client, api, token, channel, o);
      AtomicLong next = new AtomicLong();
      String name = durable ? "emulator (data dir, fsync per write)" : "emulator (in memory)";
      return new Target() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public HttpRequest next() {
          long n = next.getAndIncrement();
          String emoji = EMOJI.get((int) ((n / ts.length) % EMOJI.size()));
          return post(
              api + "reactions.add",
              token,
              "channel=" + channel + "&timestamp=" + ts[(int) (n % ts.length)] + "&name=" + emoji);
        }

        @Override
        public void close() {
          stop(server);
          deleteTree(work); // the env file holds tokens; the journal can be large
        }
      };
    } catch (IOException | RuntimeException | InterruptedException e) {
      stop(server);
      deleteTree(work);
      throw e;
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  private static Target wiremock(HttpClient client, Options o)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("wiremock", ".log");
    Process server =
        new ProcessBuilder(
                java(),
                "-Xmx" + o.heap(),
                "-jar",
                o.wiremockJar().toString(),
                "--port",
                Integer.toString(port),
                "--bind-address",
                "127.0.0.1",
                "--disable-banner",
                "--no-request-journal")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      String base = "http://127.0.0.1:" + port;
      waitFor(
          () -> {
            try {
              return client
                      .send(
                          HttpRequest.newBuilder(URI.create(base + "/__admin/mappings")).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            } catch (IOException e) {
              return false;
            }
          },
          server,
          log);
      String stub =
          "{\"request\":{\"method\":\"POST\",\"urlPath\":\"/api/reactions.add\"},"
              + "\"response\":{\"status\":200,\"headers\":{\"Content-Type\":"
              + "\"application/json; charset=utf-8\"},\"body\":\"{\\\"ok\\\":true}\"}}";
      HttpResponse<String> created =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/__admin/mappings"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(stub))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (created.statusCode() != 201) {
        throw new IllegalStateException("WireMock refused the stub: " + created.body());
      }
      AtomicLong next = new AtomicLong();
      return new Target() {
        @Override
        public String name() {
          return "WireMock 3.13.2 (static stub)";
        }

        @Override
        public HttpRequest next() {
          return post(
              base + "/api/reactions.add",
              "xoxb-bench",
              "channel=C1&timestamp=1700000000."
                  + String.format(Locale.ROOT, "%06d", next.getAndIncrement() % 1_000_000)
                  + "&name=eyes");
        }

        @Override
        public void close() {
          stop(server);
          deleteTree(log);
        }
      };
    } catch (IOException | RuntimeException | InterruptedException e) {
      stop(server);
      throw e;
    }
  }

  private static String[] prepareMessages(
      HttpClient client, String api, String token, String channel, Options o)
      throws InterruptedException {
    String[] ts = new String[o.messages()];
    AtomicLong next = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(o.threads());
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < o.threads(); t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = (int) next.getAndIncrement();
                      i < ts.length;
                      i = (int) next.getAndIncrement()) {
                    HttpResponse<String> r =
                        client.send(
                            post(
                                api + "chat.postMessage",
                                token,
                                "channel="
                                    + channel
                                    + "&text="
                                    + URLEncoder.encode("job " + i, StandardCharsets.UTF_8)),
                            HttpResponse.BodyHandlers.ofString());
                    int at = r.body().indexOf("\"ts\":\"");
                    if (at < 0) {
                      throw new IllegalStateException("chat.postMessage failed: " + r.body());
                    }
                    ts[i] = r.body().substring(at + 6, r.body().indexOf('"', at + 6));
                  }
                  return null;
                }));
      }
      for (Future<Void> f : done) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("preparing messages failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return ts;
  }

  /** Latencies and errors of one target, over all its measured windows. */
  private static final class Window {
    final List<long[]> latencies = new ArrayList<>();
    long errors;
    long nanos;

    Result result(String target, Options o) {
      long[] lat = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      double seconds = nanos / 1e9;
      return new Result(
          target,
          o.threads(),
          lat.length,
          errors,
          seconds,
          lat.length / seconds,
          percentile(lat, 0.50),
          percentile(lat, 0.99),
          lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
    }
  }

  /** {@code threads} loops send requests back to back for {@code span}; adds to {@code into}. */
  private static void load(
      HttpClient client, Target target, int threads, Duration span, Window into)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + span.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<long[]>> futures = new ArrayList<>();
    AtomicLong errors = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                while (true) {
                  HttpRequest req = target.next();
                  long t0 = System.nanoTime();
                  if (t0 >= end) {
                    break;
                  }
                  boolean ok;
                  try {
                    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                    ok = r.statusCode() == 200 && r.body().startsWith("{\"ok\":true");
                  } catch (IOException e) {
                    ok = false;
                  }
                  long t1 = System.nanoTime();
                  if (!ok) {
                    errors.incrementAndGet();
                  }
                  if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                  }
                  lat[n++] = t1 - t0;
                }
                return Arrays.copyOf(lat, n);
              }));
    }
    try {
      for (Future<long[]> f : futures) {
        into.latencies.add(f.get());
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("load loop failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    into.nanos += System.nanoTime() - start;
    into.errors += errors.get();
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static HttpRequest post(String url, String token, String form) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  private interface Check {
    boolean ok() throws IOException, InterruptedException;
  }

  private static void waitFor(Check ready, Process server, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!ready.ok()) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("server did not start; its output is in " + log);
      }
      Thread.sleep(100); // polling a child process's start-up, not a test
    }
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
