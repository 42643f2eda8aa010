package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slackmq.core.ApiCalls;
import io.slackmq.junit.LocalSlack;
import io.slackmq.worker.SlackMQWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's share of its app's budget, measured by the local Slack with Slack's rate limits on
 * (60 times faster), while it watches a busy queue as on a real workspace (no admin API, so it
 * cannot ask the time scale and is told it). The console reads as its own app, so that the local
 * Slack's statistics for that app are the console's calls alone: each method it calls must stay
 * under 10 % of its tier. Writes the figures to target/console-budget.txt (docs/CONSOLE.md).
 */
@Timeout(120)
class ConsoleBudgetTest {
  static final double SCALE = 60;

  @Test
  void theConsoleStaysUnderTenPercentOfEveryMethodsTier() throws Exception {
    try (LocalSlack slack =
            LocalSlack.configure()
                .apps("app-1", "app-2", "app-3")
                .slackRateLimits()
                .timeScale(SCALE)
                .seed(9)
                .start();
        RemoteSlack remote = new RemoteSlack(slack.apiUrl())) {
      List<SlackMQWorker> workers = new ArrayList<>();
      for (String app : List.of("app-1", "app-2")) {
        SlackMQWorker w = ConsoleFleet.worker(slack, app, app).build();
        w.listen("^job (\\d+)$", ctx -> ctx.replyInThread("job " + ctx.group(1) + " done"));
        workers.add(w.start());
      }
      ConsoleSettings settings =
          new ConsoleSettings(
              remote.apiUrl(),
              slack.botToken("app-3"),
              null,
              slack.channel(),
              "127.0.0.1",
              0,
              null,
              SCALE,
              100,
              false,
              null);
      AtomicInteger posted = new AtomicInteger();
      ScheduledExecutorService alice = Executors.newSingleThreadScheduledExecutor();
      long start = System.nanoTime();
      try (Console console = Console.start(settings)) {
        // A busy queue: a new job every 200 ms for 12 s, each claimed, answered and completed.
        alice.scheduleAtFixedRate(
            () -> {
              if (posted.get() < 60) {
                slack.post("job " + posted.incrementAndGet());
              }
            },
            0,
            200,
            TimeUnit.MILLISECONDS);
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    posted.get() == 60
                        && console.view() != null
                        && console.view().counts().get("done") == 60
                        && System.nanoTime() - start > 15_000_000_000L);
      } finally {
        alice.shutdownNow();
        workers.forEach(w -> w.stop(Duration.ofSeconds(5)));
      }
      double emulatedMinutes = (System.nanoTime() - start) / 1e9 * SCALE / 60;
      ApiCalls calls = stats(slack, slack.env().get("SLACK_APP_ID_APP_3"));
      StringBuilder report = new StringBuilder();
      report.append(
          String.format(
              Locale.ROOT,
              "console over %.1f emulated minutes (Slack's rate limits at %.0fx), 60 jobs by 2 workers:%n",
              emulatedMinutes,
              SCALE));
      assertThat(calls.calls().keySet())
          .containsExactlyInAnyOrder("conversations.history", "conversations.replies");
      for (var e : calls.calls().entrySet()) {
        double perMinute = e.getValue() / emulatedMinutes;
        double share = perMinute / ApiCalls.slackLimitPerMinute(e.getKey());
        report.append(
            String.format(
                Locale.ROOT,
                "  %-22s %5d calls  %.2f/min  %.1f %% of its tier (%d/min)  429s %d%n",
                e.getKey(),
                e.getValue(),
                perMinute,
                share * 100,
                ApiCalls.slackLimitPerMinute(e.getKey()),
                calls.rateLimited().getOrDefault(e.getKey(), 0L)));
        assertThat(share).as(e.getKey()).isLessThan(0.10);
      }
      assertThat(calls.totalRateLimited()).isZero();
      Files.writeString(Path.of("target", "console-budget.txt"), report);
      System.out.print(report);
    }
  }

  /** The local Slack's count of one app's calls by method. */
  static ApiCalls stats(LocalSlack slack, String appId) throws Exception {
    String base = slack.apiUrl().replace("/api/", "/_emulator/stats");
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base)).build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode app = new ObjectMapper().readTree(r.body()).path("stats").path(appId);
    java.util.Map<String, Long> c = new java.util.TreeMap<>();
    java.util.Map<String, Long> l = new java.util.TreeMap<>();
    app.properties()
        .forEach(
            m -> {
              c.put(m.getKey(), m.getValue().path("calls").asLong());
              l.put(m.getKey(), m.getValue().path("ratelimited").asLong());
            });
    return new ApiCalls(c, l);
  }
}
