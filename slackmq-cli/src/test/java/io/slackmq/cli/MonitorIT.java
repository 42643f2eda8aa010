package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code slackmq worker --http-port}: a supervisor scrapes /metrics and probes /readyz of the jar
 * running as a process on a local Slack, and sees /readyz turn 503 on SIGTERM while the job in
 * progress still holds its lease.
 */
class MonitorIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  static Process emulator;
  static Properties env = new Properties();
  static Path envFile;

  @BeforeAll
  static void startEmulator() throws Exception {
    envFile = Files.createTempDirectory("slackmq-monitor-it").resolve("slack.env");
    emulator = CliProcess.emulator(envFile);
    try (var in = Files.newBufferedReader(envFile)) {
      env.load(in);
    }
  }

  @AfterAll
  static void stopEmulator() {
    emulator.destroy();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Posts as alice, the person in the local Slack; returns the message's ts. */
  private static String post(String text) throws Exception {
    String form =
        "channel="
            + env.getProperty("SLACK_CHANNEL")
            + "&text="
            + URLEncoder.encode(text, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(env.getProperty("SLACK_API_URL") + "chat.postMessage"))
                .header("Authorization", "Bearer " + env.getProperty("SLACK_USER_TOKEN"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("ts").asText();
  }

  private static JsonNode message(String ts) throws Exception {
    String url =
        env.getProperty("SLACK_API_URL")
            + "conversations.history?channel="
            + env.getProperty("SLACK_CHANNEL")
            + "&inclusive=true&limit=1&oldest="
            + ts
            + "&latest="
            + ts;
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + env.getProperty("SLACK_USER_TOKEN"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("messages").path(0);
  }

  private static boolean done(String ts) throws Exception {
    for (JsonNode reaction : message(ts).path("reactions")) {
      if (reaction.path("name").asText().equals("white_check_mark")) {
        return true;
      }
    }
    return false;
  }

  private static double sample(String scrape, String line) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(line) + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void metricsAndProbes_andReadyzTurns503OnSigtermBeforeTheLeaseIsLetGo() throws Exception {
    Process worker =
        CliProcess.builder(
                "worker",
                "--config",
                envFile.toString(),
                "--worker-id",
                "monitored",
                "--http-port",
                "0",
                "--allow-user",
                env.getProperty("SLACK_USER_ID_ALICE"),
                "--reply",
                "^hostname$",
                "I am {worker}",
                "--exec",
                "^slow$",
                "sleep 5")
            .redirectErrorStream(true)
            .start();
    BlockingQueue<String> lines = CliProcess.lines(worker);
    try {
      String base = null;
      while (base == null) {
        String line = lines.poll(60, TimeUnit.SECONDS);
        assertThat(line).as("the worker printed where its probes are").isNotNull();
        Matcher m = Pattern.compile("Health and metrics: (http://\\S+)/readyz").matcher(line);
        if (m.find()) {
          base = m.group(1);
        }
      }
      String url = base;
      await().atMost(Duration.ofSeconds(60)).until(() -> get(url + "/readyz").statusCode() == 200);
      assertThat(JSON.readTree(get(url + "/readyz").body()).path("status").asText())
          .isEqualTo("UP");
      assertThat(get(url + "/healthz").statusCode()).isEqualTo(200);

      for (int i = 0; i < 3; i++) {
        post("hostname");
      }
      String success =
          "slackmq_job_execution_seconds_count{listener=\"/^hostname$/ ONE\",result=\"success\"}";
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> sample(get(url + "/metrics").body(), success) == 3);
      String scrape = get(url + "/metrics").body();
      assertThat(sample(scrape, "slackmq_lock_acquired_total")).isEqualTo(3);
      assertThat(scrape)
          .contains("slackmq_slack_api_calls_total{error=\"none\",method=\"pins.add\"}")
          .contains("slackmq_events_received_total{duplicate=\"false\",transport=\"socket_mode\"}")
          .contains("jvm_memory_used_bytes")
          .doesNotContain(env.getProperty("SLACK_BOT_TOKEN"));

      String slow = post("slow");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> sample(get(url + "/metrics").body(), "slackmq_job_active") == 1);
      worker.destroy(); // SIGTERM, what systemd and Kubernetes send
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> get(url + "/readyz").statusCode() == 503);
      // 503 while the job still runs under its lease: the supervisor stops sending work first
      assertThat(done(slow)).isFalse();
      assertThat(worker.isAlive()).isTrue();
      assertThat(JSON.readTree(get(url + "/readyz").body()).path("reasons").toString())
          .contains("stopping");
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(done(slow)).as("the running job finished before the worker stopped").isTrue();
    } finally {
      worker.destroyForcibly();
    }
  }
}
