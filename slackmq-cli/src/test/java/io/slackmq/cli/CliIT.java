package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The jar as a user runs it: help everywhere, bad flags refused, and a real session. */
class CliIT {
  static Process emulator;
  static Path envFile;

  @BeforeAll
  static void startEmulator() throws Exception {
    envFile = Files.createTempDirectory("slackmq-it").resolve("slack.env");
    emulator = CliProcess.emulator(envFile);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.destroy();
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "worker", "send", "status", "console", "emulator", "bench"})
  void everySubcommand_hasHelp(String subcommand) throws Exception {
    CliProcess.Result r = CliProcess.run(30, subcommand, "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: slackmq " + subcommand);
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "worker", "send", "status", "console", "emulator", "bench"})
  void everySubcommand_rejectsBadFlags(String subcommand) throws Exception {
    CliProcess.Result r = CliProcess.run(30, subcommand, "--no-such-flag");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--no-such-flag'");
  }

  @Test
  void topLevel_listsSubcommands() throws Exception {
    CliProcess.Result r = CliProcess.run(30, "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("demo", "worker", "send", "status", "console", "emulator", "bench");
  }

  @Test
  void demo_completesEveryMessageExactlyOnce() throws Exception {
    CliProcess.Result r = CliProcess.run(180, "demo", "--messages", "12", "--workers", "3");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains(
            "completed exactly once   yes (12/12 tasks done with exactly one answer in their thread; rollout: 3/3",
            "OK: every message was completed exactly once.");
  }

  @Test
  void demoChaos_killsAWorkerInjectsFaults_andStillCompletesExactlyOnce() throws Exception {
    CliProcess.Result r = CliProcess.run(180, "demo", "--chaos", "--messages", "16", "--seed", "7");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains(
            "Chaos: 5% of pins.add answer HTTP 500",
            "will be killed mid-job", "(killed)", "OK: every message was completed exactly once.");
    assertThat(r.err()).contains("killed worker");
  }

  @Test
  void demo_rejectsTooManyWorkers() throws Exception {
    CliProcess.Result r = CliProcess.run(30, "demo", "--workers", "11");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--workers must be 2..10");
  }

  @Test
  void worker_answersHostname_andSendWaitsAndSaysWho() throws Exception {
    Process worker =
        CliProcess.builder(
                "worker",
                "--config",
                envFile.toString(),
                "--worker-id",
                "it-worker",
                "--reply",
                "^hostname$",
                "I am running on {worker}")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      CliProcess.Result sent =
          CliProcess.run(
              90,
              "send",
              "--config",
              envFile.toString(),
              "--wait",
              "--timeout",
              "PT60S",
              "hostname");
      assertThat(sent.exitCode()).as(sent.out() + sent.err()).isZero();
      assertThat(sent.out()).containsPattern("done \\d+\\.\\d{6} by it-worker after 1 attempt");
      CliProcess.Result status = CliProcess.run(60, "status", "--config", envFile.toString());
      assertThat(status.exitCode()).as(status.err()).isZero();
      assertThat(status.out())
          .containsPattern("done +[1-9]")
          .contains("workers seen", "it-worker")
          .containsPattern("connected +A\\w+ 1")
          .containsPattern("API calls +.*A\\w+ [1-9]\\d* calls, 0 429s");
    } finally {
      worker.destroy(); // SIGTERM: the worker stops gracefully
      assertThat(worker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void workerExec_runsTheProgramWithGroupsAsArguments_andKillsItAtTheTimeout() throws Exception {
    java.util.Properties env = new java.util.Properties();
    try (var in = Files.newBufferedReader(envFile)) {
      env.load(in);
    }
    Process worker =
        CliProcess.builder(
                "worker",
                "--config",
                envFile.toString(),
                "--worker-id",
                "exec-worker",
                "--allow-user",
                env.getProperty("SLACK_USER_ID_ALICE"),
                "--max-attempts",
                "1",
                "--exec-timeout",
                "PT2S",
                "--exec",
                "^say (\\w+) (.+)$",
                "echo {1}:{2}",
                "--exec",
                "^hang$",
                "sleep 60")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      CliProcess.Result said =
          CliProcess.run(
              90,
              "send",
              "--config",
              envFile.toString(),
              "--wait",
              "--timeout",
              "PT60S",
              "say hello two words; rm -rf /");
      assertThat(said.exitCode()).as(said.out() + said.err()).isZero();
      String ts = said.out().split("\\s+")[2];
      // One argument per group, no shell: the "; rm -rf /" is text, echoed back.
      assertThat(threadTexts(env, ts)).anyMatch(t -> t.contains("hello:two words; rm -rf /"));

      CliProcess.Result hung =
          CliProcess.run(
              90, "send", "--config", envFile.toString(), "--wait", "--timeout", "PT60S", "hang");
      assertThat(hung.exitCode()).isEqualTo(1);
      assertThat(hung.out()).contains("dead-lettered");
      String hungTs = hung.out().split("\\s+")[2];
      assertThat(threadTexts(env, hungTs))
          .anyMatch(t -> t.contains("sleep did not finish within PT2S"));
    } finally {
      worker.destroy();
      assertThat(worker.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
  }

  /** The texts of a message's thread, read over the Web API as the person who posted. */
  private static java.util.List<String> threadTexts(java.util.Properties env, String ts)
      throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var r =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        env.getProperty("SLACK_API_URL")
                            + "conversations.replies?channel="
                            + env.getProperty("SLACK_CHANNEL")
                            + "&ts="
                            + ts))
                .header("Authorization", "Bearer " + env.getProperty("SLACK_USER_TOKEN"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    java.util.List<String> texts = new java.util.ArrayList<>();
    new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(r.body())
        .path("messages")
        .forEach(m -> texts.add(m.path("text").asText()));
    return texts;
  }

  @Test
  void worker_execWithoutAllowlist_isRefused() throws Exception {
    CliProcess.Result r =
        CliProcess.run(
            30, "worker", "--config", envFile.toString(), "--exec", "^uptime$", "uptime");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--allow-user");
  }

  @Test
  void worker_valuesTheWorkerRefuses_exit2WithTheReason() throws Exception {
    String[][] bad = {
      {"--threads", "-1", "--reply", "^hostname$", "hi"},
      {"--ttl", "PT-5S", "--reply", "^hostname$", "hi"},
      {"--reply", "^(\\w+) \\1$", "a backreference RE2 cannot match in linear time"}
    };
    String[] reasons = {"handlerThreads", "ttl", "not supported"};
    for (int i = 0; i < bad.length; i++) {
      List<String> args = new ArrayList<>(List.of("worker", "--config", envFile.toString()));
      args.addAll(List.of(bad[i]));
      CliProcess.Result r = CliProcess.run(30, args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", bad[i]) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains(reasons[i]);
    }
  }

  @Test
  void send_withoutToken_saysWhatIsMissing() throws Exception {
    CliProcess.Result r =
        CliProcess.run(
            30, "send", "--api-url", "http://127.0.0.1:9/api/", "--channel", "C1", "hello");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("missing --token", "SLACK_BOT_TOKEN");
  }

  @Test
  void send_badToken_showsSlackErrorCode_andNoToken() throws Exception {
    String token = "xoxb-0000-1111-thisisnotarealtoken";
    CliProcess.Result r =
        CliProcess.run(30, "send", "--config", envFile.toString(), "--user-token", token, "hello");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("invalid_auth").doesNotContain(token);
  }

  @Test
  void send_thenStatus_showsTheMessageNotClaimed() throws Exception {
    CliProcess.Result sent =
        CliProcess.run(30, "send", "--config", envFile.toString(), "deploy web-7");
    assertThat(sent.exitCode()).as(sent.err()).isZero();
    assertThat(sent.out()).containsPattern("posted C\\w+ \\d+\\.\\d{6} deploy web-7");
    CliProcess.Result status = CliProcess.run(30, "status", "--config", envFile.toString());
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("not claimed", "deploy web-7");
  }
}
