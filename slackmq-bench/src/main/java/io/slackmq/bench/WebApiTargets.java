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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The servers {@link WebApiBench} puts under load, each a separate process: the emulator (in
 * memory, or with a data directory), and WireMock standalone with a static stub.
 */
final class WebApiTargets {
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

  private WebApiTargets() {}

  /** A server under load: how to build its next request; closing it stops the process. */
  interface Target extends AutoCloseable {
    String name();

    HttpRequest next();

    @Override
    void close(); // stops the server; keeps the thread's interrupt status
  }

  /**
   * The emulator, rate limits off, with {@code o.messages()} messages prepared; each request reacts
   * to the next message, and moves on to the next emoji once every message has this one.
   */
  static Target emulator(HttpClient client, WebApiBench.Options o, boolean durable)
      throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("slackmq-bench");
    Path envFile = work.resolve("slack.env");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                ServerProcess.java(),
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
      ServerProcess.waitFor(() -> Files.exists(envFile), server, work.resolve("emulator.log"));
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
          return Http.formPost(
              api + "reactions.add",
              token,
              "channel=" + channel + "&timestamp=" + ts[(int) (n % ts.length)] + "&name=" + emoji);
        }

        @Override
        public void close() {
          ServerProcess.stop(server);
          ServerProcess.deleteTree(work); // the env file holds tokens; the journal can be large
        }
      };
    } catch (IOException | RuntimeException | InterruptedException e) {
      ServerProcess.stop(server);
      ServerProcess.deleteTree(work);
      throw e;
    }
  }

  /** WireMock standalone on a free port, answering {@code reactions.add} with a constant. */
  static Target wiremock(HttpClient client, WebApiBench.Options o)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("wiremock", ".log");
    Process server =
        new ProcessBuilder(
                ServerProcess.java(),
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
      ServerProcess.waitFor(
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
          return Http.formPost(
              base + "/api/reactions.add",
              "xoxb-bench",
              "channel=C1&timestamp=1700000000."
                  + String.format(Locale.ROOT, "%06d", next.getAndIncrement() % 1_000_000)
                  + "&name=eyes");
        }

        @Override
        public void close() {
          ServerProcess.stop(server);
          ServerProcess.deleteTree(log);
        }
      };
    } catch (IOException | RuntimeException | InterruptedException e) {
      ServerProcess.stop(server);
      throw e;
    }
  }

  /** Posts {@code o.messages()} messages, {@code o.threads()} at a time; returns their ts. */
  private static String[] prepareMessages(
      HttpClient client, String api, String token, String channel, WebApiBench.Options o)
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
                            Http.formPost(
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
    } catch (ExecutionException e) {
      throw new IllegalStateException("preparing messages failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return ts;
  }
}
