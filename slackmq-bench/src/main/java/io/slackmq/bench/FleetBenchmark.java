package io.slackmq.bench;

import io.slackmq.core.SlackApi;
import io.slackmq.emulator.Emulator;
import io.slackmq.worker.SlackMQWorker;
import io.slackmq.worker.WorkerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The worker fleet benchmark (not a test): {@code workers} workers of one app over Socket Mode
 * handle {@code messages} "bench n" messages posted by a human; each reply's latency is measured
 * from before the post to after the handler's reply returned (both in this process). Against an
 * emulator without rate limits it measures the runtime's latency; against Slack's limits at a time
 * scale it measures throughput as a fraction of the PIN strategy's ceiling (pins.add, Tier 2: 20
 * messages per minute per app). Used by {@code slackmq bench}.
 */
public final class FleetBenchmark {
  private FleetBenchmark() {}

  /**
   * What to run. {@code postEveryMillis} = 0 posts all messages at once (throughput).
   *
   * @param timeScale the emulator's time scale (1 for real Slack)
   */
  public record Config(
      String apiUrl,
      String botToken,
      String appToken,
      String posterToken,
      String channel,
      int workers,
      int messages,
      long postEveryMillis,
      double timeScale,
      boolean pacing,
      Duration timeout) {
    public Config {
      Objects.requireNonNull(apiUrl, "apiUrl");
      Objects.requireNonNull(botToken, "botToken");
      Objects.requireNonNull(appToken, "appToken");
      Objects.requireNonNull(posterToken, "posterToken");
      Objects.requireNonNull(channel, "channel");
      if (workers < 1 || messages < 1) {
        throw new IllegalArgumentException("workers and messages must be >= 1");
      }
    }

    /** A run on a local Slack's default workspace: its first app's workers, alice posting. */
    public static Config local(
        Emulator slack,
        int workers,
        int messages,
        long postEveryMillis,
        double timeScale,
        boolean pacing,
        Duration timeout) {
      Map<String, String> env = slack.env();
      return new Config(
          slack.apiUrl(),
          env.get("SLACK_BOT_TOKEN"),
          env.get("SLACK_APP_TOKEN"),
          env.get("SLACK_USER_TOKEN_ALICE"),
          env.get("SLACK_CHANNEL"),
          workers,
          messages,
          postEveryMillis,
          timeScale,
          pacing,
          timeout);
    }

    @Override
    public String toString() {
      return "Config[workers="
          + workers
          + ", messages="
          + messages
          + ", postEvery="
          + postEveryMillis
          + "ms, timeScale="
          + timeScale
          + "]";
    }
  }

  /**
   * What it measured. {@code perMinute} is in emulated minutes (real × timeScale); {@code
   * ofCeiling} = perMinute / 20 (pins.add Tier 2 per app).
   */
  public record Result(
      int messages,
      int answered,
      int answeredTwice,
      double p50Millis,
      double p99Millis,
      double seconds,
      double perMinute,
      double ofCeiling,
      long rateLimited,
      Map<String, Long> apiCalls) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "answered %d/%d (twice: %d) in %.1f s; latency p50 %.0f ms"
              + " p99 %.0f ms; %.1f msgs/min = %.0f%% of the pins.add ceiling (20/min); 429s %d;"
              + " API calls %s",
          answered,
          messages,
          answeredTwice,
          seconds,
          p50Millis,
          p99Millis,
          perMinute,
          ofCeiling * 100,
          rateLimited,
          apiCalls);
    }
  }

  /** Runs the benchmark; blocks until every message is answered or the timeout passes. */
  public static Result run(Config c) throws Exception {
    Map<Integer, Long> postedAt = new ConcurrentHashMap<>();
    Map<Integer, Long> latency = new ConcurrentHashMap<>();
    Map<Integer, Integer> answers = new ConcurrentHashMap<>();
    List<SlackMQWorker> fleet = new ArrayList<>();
    try {
      for (int i = 1; i <= c.workers(); i++) {
        SlackMQWorker w =
            SlackMQWorker.builder()
                .apiUrl(c.apiUrl())
                .botToken(c.botToken())
                .appToken(c.appToken())
                .channels(c.channel())
                .workerId("bench-" + i)
                .handlerThreads(4)
                .queueCapacity(1000)
                .timeScale(c.timeScale())
                .pacing(c.pacing())
                .leaseTtl(Duration.ofSeconds(30))
                .sweepInterval(Duration.ofSeconds(5))
                .sweepGrace(Duration.ofSeconds(5))
                .build();
        w.listen(
            "^bench (\\d+)$",
            m -> {
              int n = Integer.parseInt(m.group(1));
              m.reply("done " + n + " on " + m.workerId());
              latency.putIfAbsent(n, System.nanoTime() - postedAt.get(n));
              answers.merge(n, 1, Integer::sum);
            });
        fleet.add(w.start());
      }
      // The human poster waits out 429s (it shares Slack's limits too) but is not paced.
      SlackApi poster =
          SlackApi.builder(SlackApi.client(c.apiUrl(), c.posterToken(), Duration.ofSeconds(10)))
              .timeScale(c.timeScale())
              .maxRetries(20)
              .build();
      long start = System.nanoTime();
      for (int n = 0; n < c.messages(); n++) {
        int id = n;
        postedAt.put(id, System.nanoTime());
        post(poster, c, "bench " + id);
        if (c.postEveryMillis() > 0) {
          TimeUnit.MILLISECONDS.sleep(c.postEveryMillis());
        }
      }
      long deadline = System.nanoTime() + c.timeout().toNanos();
      while (latency.size() < c.messages() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] sorted = latency.values().stream().mapToLong(Long::longValue).sorted().toArray();
      Map<String, Long> calls = new TreeMap<>();
      long limited = 0;
      for (SlackMQWorker w : fleet) {
        WorkerMetrics m = w.metrics();
        m.apiCalls().forEach((k, v) -> calls.merge(k, v, Long::sum));
        limited += m.rateLimited();
      }
      double perMinute = latency.size() / (seconds * c.timeScale() / 60.0);
      return new Result(
          c.messages(),
          latency.size(),
          (int) answers.values().stream().filter(v -> v > 1).count(),
          Percentiles.millis(sorted, 0.50),
          Percentiles.millis(sorted, 0.99),
          seconds,
          perMinute,
          perMinute / 20.0,
          limited,
          calls);
    } finally {
      fleet.forEach(w -> w.stop(Duration.ofSeconds(10)));
    }
  }

  private static void post(SlackApi poster, Config c, String text) {
    poster.call("chat.postMessage", m -> m.chatPostMessage(q -> q.channel(c.channel()).text(text)));
  }

  /**
   * Runs against the workspace in the environment (as {@code slackmq emulator --env-file} writes
   * it): SLACK_API_URL, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_USER_TOKEN_ALICE, SLACK_CHANNEL.
   * Args: [workers] [messages] [postEveryMillis] [timeScale].
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    List<String> a = Arrays.asList(args);
    Config c =
        new Config(
            env.get("SLACK_API_URL"),
            env.get("SLACK_BOT_TOKEN"),
            env.get("SLACK_APP_TOKEN"),
            env.get("SLACK_USER_TOKEN_ALICE"),
            env.get("SLACK_CHANNEL"),
            a.size() > 0 ? Integer.parseInt(a.get(0)) : 5,
            a.size() > 1 ? Integer.parseInt(a.get(1)) : 200,
            a.size() > 2 ? Long.parseLong(a.get(2)) : 20,
            a.size() > 3 ? Double.parseDouble(a.get(3)) : 1,
            true,
            Duration.ofMinutes(5));
    System.out.println(c + ": " + run(c));
  }
}
