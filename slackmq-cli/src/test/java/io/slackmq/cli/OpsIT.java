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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an operator runs, as processes of the jar on a local Slack: JSON logs, the shutdown path
 * systemd and Kubernetes take (SIGTERM), and a dead letter redriven with {@code slackmq redrive}
 * while two workers race.
 */
class OpsIT {
  static Process emulator;
  static Path dir;
  static Path envFile;
  static Properties env = new Properties();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void startEmulator() throws Exception {
    dir = Files.createTempDirectory("slackmq-ops-it");
    envFile = dir.resolve("slack.env");
    emulator =
        CliProcess.builder(
                "emulator", "--port", "0", "--rate-limits", "off", "--env-file", envFile.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(envFile));
    try (var in = Files.newBufferedReader(envFile)) {
      env.load(in);
    }
  }

  @AfterAll
  static void stopEmulator() {
    emulator.destroy();
  }

  @AfterEach
  void stopWorkers() throws Exception {
    for (Process w : workers) {
      w.destroy();
      w.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process worker(Path stderr, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("worker", "--config", envFile.toString()));
    all.addAll(List.of(args));
    Process p =
        CliProcess.builder(all.toArray(String[]::new))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(stderr.toFile())
            .start();
    workers.add(p);
    return p;
  }

  /** Posts {@code text} as alice; returns its ts. */
  private static String post(String text) throws Exception {
    CliProcess.Result r = CliProcess.run(60, "send", "--config", envFile.toString(), text);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r.out().split("\\s+")[2];
  }

  /** A Web API call as {@code token}; the answer must be ok. */
  private static JsonNode api(String method, String token, String... params) throws Exception {
    StringBuilder q = new StringBuilder();
    for (int i = 0; i < params.length; i += 2) {
      q.append(q.length() == 0 ? "" : "&")
          .append(params[i])
          .append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(env.getProperty("SLACK_API_URL") + method))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(q.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("ok").asBoolean()).as(method + ": " + body).isTrue();
    return body;
  }

  private static JsonNode thread(String ts) throws Exception {
    return api(
            "conversations.replies",
            env.getProperty("SLACK_USER_TOKEN"),
            "channel",
            env.getProperty("SLACK_CHANNEL"),
            "ts",
            ts)
        .path("messages");
  }

  private static List<String> texts(String ts) throws Exception {
    List<String> out = new ArrayList<>();
    thread(ts).forEach(m -> out.add(m.path("text").asText()));
    return out;
  }

  private static List<String> reactions(String ts) throws Exception {
    List<String> out = new ArrayList<>();
    thread(ts).get(0).path("reactions").forEach(r -> out.add(r.path("name").asText()));
    return out;
  }

  @Test
  void logFormatJson_everyLineIsAJsonObject_withTheMessagesContext_andNoToken() throws Exception {
    Path err = dir.resolve("json.err");
    String tokenLike = "xoxb-4242-4242-notatokenbutlooksso";
    Process w =
        worker(
            err,
            "--log-format",
            "json",
            "--worker-id",
            tokenLike,
            "--metrics-every",
            "PT0S",
            "--reply",
            "^hostname$",
            "hi");
    CliProcess.Result sent =
        CliProcess.run(
            90, "send", "--config", envFile.toString(), "--wait", "--timeout", "PT60S", "hostname");
    assertThat(sent.exitCode()).as(sent.out() + sent.err()).isZero();
    String ts = sent.out().split("\\s+")[2];
    w.destroy();
    assertThat(w.waitFor(30, TimeUnit.SECONDS)).isTrue();

    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertThat(lines).isNotEmpty();
    List<JsonNode> events = new ArrayList<>();
    for (String line : lines) {
      JsonNode e = JSON.readTree(line); // throws if a line is not JSON
      assertThat(e.isObject()).as(line).isTrue();
      assertThat(e.has("timestamp") && e.has("level") && e.has("logger") && e.has("message"))
          .as(line)
          .isTrue();
      events.add(e);
    }
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.path("message").asText()).startsWith("handled by");
              assertThat(e.path("channel").asText()).isEqualTo(env.getProperty("SLACK_CHANNEL"));
              assertThat(e.path("ts").asText()).isEqualTo(ts);
              assertThat(e.path("worker").asText()).isEqualTo("xoxb-…ksso");
            });
    String all = String.join("\n", lines);
    assertThat(all)
        .doesNotContain(env.getProperty("SLACK_BOT_TOKEN"), env.getProperty("SLACK_APP_TOKEN"))
        .doesNotContain("notatokenbutlooksso");
  }

  @Test
  void sigterm_asSystemdAndKubernetesSendIt_finishesOrHandsBack_andExits143() throws Exception {
    Process w =
        worker(
            dir.resolve("sigterm.err"),
            "--worker-id",
            "term-worker",
            "--threads",
            "2",
            "--stop-deadline",
            "PT8S",
            "--allow-user",
            env.getProperty("SLACK_USER_ID_ALICE"),
            "--exec",
            "^quick$",
            "sleep 1",
            "--exec",
            "^hang$",
            "sleep 60");
    String quick = post("quick");
    String hang = post("hang");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                texts(quick).stream().anyMatch(t -> t.contains("claimed by term-worker"))
                    && texts(hang).stream().anyMatch(t -> t.contains("claimed by term-worker")));
    // Each handler starts once its claim has waited out the read-lag bound (2 s); quick then
    // needs 1 s, well within the 6 s (3/4 of the deadline) that running handlers are given.
    w.destroy(); // SIGTERM on Linux, the signal systemd's stop and a pod's termination send
    assertThat(w.waitFor(30, TimeUnit.SECONDS)).as("stopped within the deadline").isTrue();
    // The JVM exits 128+15 after its shutdown hook ran: the unit lists it as a success.
    assertThat(w.exitValue()).isEqualTo(143);
    assertThat(reactions(quick)).contains("white_check_mark"); // finished within the deadline
    assertThat(texts(hang))
        .anyMatch(t -> t.contains("handed back by term-worker: worker term-worker stopping"));
    assertThat(reactions(hang)).doesNotContain("white_check_mark", "skull");
  }

  @Test
  void redrive_putsADeadLetterBack_twoWorkersRace_andItRunsExactlyOnce() throws Exception {
    String bot = env.getProperty("SLACK_BOT_TOKEN");
    String deadLetters =
        api("conversations.create", bot, "name", "dead-letters")
            .path("channel")
            .path("id")
            .asText();
    Path file = dir.resolve("restored.txt");
    for (int i = 1; i <= 2; i++) {
      worker(
          dir.resolve("redrive-" + i + ".err"),
          "--worker-id",
          "rw" + i,
          "--max-attempts",
          "2",
          "--sweep-interval",
          "PT1S",
          "--dead-letter-channel",
          deadLetters,
          "--allow-user",
          env.getProperty("SLACK_USER_ID_ALICE"),
          "--exec",
          "^restore$",
          "cat " + file);
    }
    CliProcess.Result dead =
        CliProcess.run(
            120, "send", "--config", envFile.toString(), "--wait", "--timeout", "PT90S", "restore");
    assertThat(dead.out()).as(dead.out() + dead.err()).contains("dead-lettered");
    String ts = dead.out().split("\\s+")[2];
    JsonNode announced = api("conversations.history", bot, "channel", deadLetters).path("messages");
    assertThat(announced).hasSize(1);
    assertThat(announced.get(0).path("text").asText())
        .contains("Dead-lettered", "after 2 attempts", "cat exited with 1")
        .contains("slackmq redrive --channel " + env.getProperty("SLACK_CHANNEL") + " " + ts);

    Files.writeString(file, "restored");
    CliProcess.Result redriven =
        CliProcess.run(
            60,
            "redrive",
            "--config",
            envFile.toString(),
            "--by",
            "alice-ops",
            "--reason",
            "file restored",
            ts);
    assertThat(redriven.exitCode()).as(redriven.out() + redriven.err()).isZero();
    assertThat(redriven.out()).contains("redriven ", ts, "(had failed 2 attempt(s)) by alice-ops");
    await().atMost(Duration.ofSeconds(60)).until(() -> reactions(ts).contains("white_check_mark"));
    await() // and neither worker runs it a second time
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> texts(ts).stream().filter(t -> t.equals("```restored```")).count() == 1);
    assertThat(texts(ts)).anyMatch(t -> t.contains("redriven by alice-ops: file restored"));
    assertThat(api("conversations.history", bot, "channel", deadLetters).path("messages"))
        .hasSize(1);

    CliProcess.Result again = CliProcess.run(60, "redrive", "--config", envFile.toString(), ts);
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("not dead", "done by rw");
  }
}
