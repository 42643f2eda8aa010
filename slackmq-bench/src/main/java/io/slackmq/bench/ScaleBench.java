package io.slackmq.bench;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.model.Message;
import com.slack.api.model.Reaction;
import io.slackmq.core.Strategy;
import io.slackmq.emulator.Emulator;
import io.slackmq.worker.SlackMQWorker;
import io.slackmq.worker.WorkerMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Throughput past one app's ceiling (not a test): K apps of {@code workersPerApp} Socket Mode
 * workers each, on a local Slack with Slack's rate limits at a time scale, work off a backlog of
 * {@code messages} messages (injected at once). With affinity ({@code WorkerBuilder.apps}) each
 * message's home app acts and the others stay out, so K apps should give about K times one app's
 * throughput. Measures messages per emulated minute, calls per message, 429s, and checks in Slack
 * that every message carries the done mark and was handled exactly once. Used by {@code slackmq
 * bench --suite scale}.
 */
public final class ScaleBench {
  private ScaleBench() {}

  /** One run's figures; {@code perMinute} in emulated minutes. */
  public record Row(
      String name,
      int apps,
      int workers,
      String strategy,
      int messages,
      int done,
      int handledTwice,
      double seconds,
      double perMinute,
      double callsPerMessage,
      long rateLimited,
      Map<String, Long> calls) {
    static final String HEADER =
        String.format(
            Locale.ROOT,
            "%-22s %5s %8s %10s %8s %8s %10s %10s %6s",
            "run",
            "apps",
            "workers",
            "strategy",
            "done",
            "twice",
            "msgs/min",
            "calls/msg",
            "429s");

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%-22s %5d %8d %10s %4d/%-3d %8d %10.1f %10.2f %6d",
          name,
          apps,
          workers,
          strategy,
          done,
          messages,
          handledTwice,
          perMinute,
          callsPerMessage,
          rateLimited);
    }
  }

  public static String header() {
    return Row.HEADER;
  }

  /**
   * Runs K = 1..{@code maxApps} apps with PIN (the across-apps strategy; the ratios compare like
   * with like), then one app with the strategy chosen for a single app (REACTION).
   */
  public static List<Row> run(int maxApps, int workersPerApp, int messages, double timeScale)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int k = 1; k <= maxApps; k++) {
      rows.add(run("PIN, " + k + " app(s)", k, workersPerApp, messages, timeScale, Strategy.PIN));
    }
    rows.add(run("auto, 1 app", 1, workersPerApp, messages, timeScale, null));
    return rows;
  }

  static Row run(
      String name, int apps, int workersPerApp, int messages, double timeScale, Strategy strategy)
      throws Exception {
    Path workspace = Files.createTempFile("slackmq-scale-", ".json");
    Files.writeString(workspace, workspaceJson(apps));
    List<SlackMQWorker> fleet = new ArrayList<>();
    Map<String, Integer> handled = new ConcurrentHashMap<>();
    try (Emulator slack =
        Emulator.builder().config(workspace).slackRateLimits().timeScale(timeScale).start()) {
      Map<String, String> env = slack.env();
      String channel = env.get("SLACK_CHANNEL_OPS");
      String[] botUsers =
          IntStream.rangeClosed(1, apps)
              .mapToObj(i -> env.get("SLACK_BOT_USER_APP_" + i))
              .toArray(String[]::new);
      for (int a = 1; a <= apps; a++) {
        for (int w = 1; w <= workersPerApp; w++) {
          var b =
              SlackMQWorker.builder()
                  .apiUrl(slack.apiUrl())
                  .botToken(env.get("SLACK_BOT_TOKEN_APP_" + a))
                  .appToken(env.get("SLACK_APP_TOKEN_APP_" + a))
                  .sources(SlackMQWorker.Source.SOCKET_MODE)
                  .channels(channel)
                  .workerId("app" + a + "-" + w)
                  .apps(botUsers)
                  .timeScale(timeScale)
                  .queueCapacity(1000)
                  .leaseTtl(Duration.ofSeconds(60))
                  .sweepInterval(Duration.ofSeconds(60));
          if (strategy != null) {
            b.strategy(strategy);
          }
          SlackMQWorker worker = b.build();
          worker.listen(
              "^task \\d+$",
              m -> {
                handled.merge(m.ts(), 1, Integer::sum);
                m.replyInThread("handled by " + m.workerId());
              });
          fleet.add(worker.start());
        }
      }
      String alice = env.get("SLACK_USER_ID_ALICE");
      long start = System.nanoTime();
      for (int n = 0; n < messages; n++) {
        slack.inject(channel, alice, "task " + n);
      }
      long deadline = start + TimeUnit.MINUTES.toNanos(10);
      while (handled.size() < messages && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      fleet.forEach(w -> w.stop(Duration.ofSeconds(10)));
      Map<String, Long> calls = new java.util.TreeMap<>();
      long limited = 0;
      for (SlackMQWorker w : fleet) {
        WorkerMetrics m = w.metrics();
        m.apiCalls().forEach((k, v) -> calls.merge(k, v, Long::sum));
        limited += m.rateLimited();
      }
      long total = calls.values().stream().mapToLong(Long::longValue).sum();
      int done =
          doneInSlack(
              io.slackmq.core.SlackApi.client(
                  slack.apiUrl(), env.get("SLACK_USER_TOKEN_ALICE"), Duration.ofSeconds(10)),
              channel);
      return new Row(
          name,
          apps,
          apps * workersPerApp,
          strategy != null ? "PIN" : apps == 1 ? "REACTION" : "PIN", // the builder's rule
          messages,
          done,
          (int) handled.values().stream().filter(v -> v > 1).count(),
          seconds,
          handled.size() / (seconds * timeScale / 60.0),
          (double) total / Math.max(1, handled.size()),
          limited,
          calls);
    } finally {
      Files.deleteIfExists(workspace);
    }
  }

  /** Messages of the backlog that carry the done mark, read back as the person who posted them. */
  private static int doneInSlack(MethodsClient alice, String channel) throws Exception {
    Set<String> done = new HashSet<>();
    String cursor = null;
    do {
      String c = cursor;
      ConversationsHistoryResponse r = null;
      for (int tries = 0; tries < 50 && (r == null || !r.isOk()); tries++) {
        r = alice.conversationsHistory(q -> q.channel(channel).limit(200).cursor(c));
        if (!r.isOk()) {
          TimeUnit.MILLISECONDS.sleep(200); // rate limited like everyone
        }
      }
      for (Message m : r.getMessages()) {
        if (m.getText() != null
            && m.getText().startsWith("task ")
            && m.getReactions() != null
            && m.getReactions().stream()
                .map(Reaction::getName)
                .anyMatch("white_check_mark"::equals)) {
          done.add(m.getTs());
        }
      }
      cursor = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return done.size();
  }

  private static String workspaceJson(int apps) {
    String names =
        IntStream.rangeClosed(1, apps)
            .mapToObj(i -> "\"app-" + i + "\"")
            .collect(Collectors.joining(","));
    return "{\"teams\":[{\"name\":\"SlackMQ Scale\",\"apps\":["
        + IntStream.rangeClosed(1, apps)
            .mapToObj(i -> "{\"name\":\"app-" + i + "\"}")
            .collect(Collectors.joining(","))
        + "],\"users\":[{\"name\":\"alice\"}],\"channels\":[{\"name\":\"ops\",\"members\":[\"alice\","
        + names
        + "]}]}]}";
  }
}
