package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console as a user starts it from the jar: beside a local Slack, and on its own. */
class ConsoleIT {
  static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void console_servesThePageFromTheJar_forARunningLocalSlack() throws Exception {
    Path envFile = Files.createTempDirectory("slackmq-console-it").resolve("slack.env");
    Process emulator = CliProcess.emulator(envFile);
    Process console =
        CliProcess.builder("console", "--config", envFile.toString(), "--port", "0")
            .redirectErrorStream(true)
            .start();
    try {
      String url = url(CliProcess.lines(console));
      assertThat(get(url)).contains("<title>SlackMQ console</title>");
      assertThat(get(url + "console.js")).contains("new EventSource('/api/events')");
      assertThat(get(url + "console.css")).contains(".timeline");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(url + "api/state").contains("\"local\":true,\"controls\":true"));
    } finally {
      console.destroy();
      assertThat(console.waitFor(30, TimeUnit.SECONDS)).isTrue();
      emulator.destroy();
    }
  }

  @Test
  void emulatorConsole_startsBesideIt() throws Exception {
    Process emulator =
        CliProcess.builder("emulator", "--port", "0", "--time-scale", "60", "--console=0")
            .redirectErrorStream(true)
            .start();
    try {
      String url = url(CliProcess.lines(emulator));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(url + "api/state").contains("\"timeScale\":60.0"));
    } finally {
      emulator.destroy();
      assertThat(emulator.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void demoConsole_printsItsUrl_andTheDemoStillCompletesExactlyOnce() throws Exception {
    CliProcess.Result r =
        CliProcess.run(180, "demo", "--console=0", "--messages", "6", "--workers", "2");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .containsPattern("Console: http://127\\.0\\.0\\.1:\\d+/ ")
        .contains("OK: every message was completed exactly once.");
  }

  /** The console's URL, from the line it prints at start. */
  private static String url(BlockingQueue<String> lines) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith("Console: http://")) {
        return line.substring("Console: ".length(), line.indexOf(' ', "Console: ".length()));
      }
    }
    throw new AssertionError("no `Console: URL` line within 60 s");
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }
}
