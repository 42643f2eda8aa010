package io.slackmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slackmq.emulator.Emulator;
import io.slackmq.junit.LocalSlack;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the console never does: show a token or a secret (checked on the raw bytes of everything it
 * serves, the live feed included), answer without its password, answer a request addressed to
 * another host or a control posted by another site, or drive a real workspace.
 */
@Timeout(60)
class ConsoleSafetyTest {
  static final String PASSWORD = "correct horse battery";
  static LocalSlack slack;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    slack = LocalSlack.start(Emulator.builder().noRateLimits());
    slack.post("deploy web-1");
  }

  @AfterAll
  static void stop() {
    slack.close();
  }

  static ConsoleSettings settings(String apiUrl, String password, boolean readOnly) {
    return new ConsoleSettings(
        apiUrl,
        slack.botToken("slackmq-a"),
        slack.userToken("alice"),
        slack.channel(),
        "127.0.0.1",
        0,
        password,
        1.0,
        50,
        readOnly,
        null);
  }

  @Test
  void nothingServed_holdsATokenOrASecret() throws Exception {
    List<String> secrets =
        slack.env().entrySet().stream()
            .filter(e -> e.getKey().contains("TOKEN") || e.getKey().contains("SECRET"))
            .map(Map.Entry::getValue)
            .toList();
    assertThat(secrets).hasSizeGreaterThan(5);
    try (Console console = Console.start(settings(slack.apiUrl(), null, false))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> console.view() != null);
      List<byte[]> served = new ArrayList<>();
      for (String path : List.of("", "console.js", "console.css", "api/state")) {
        HttpResponse<byte[]> r = get(console.url() + path, null);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        served.add(r.body());
      }
      served.add(events(console.url(), 3).getBytes(StandardCharsets.UTF_8));
      served.add(console.toString().getBytes(StandardCharsets.UTF_8));
      served.add(console.describe().getBytes(StandardCharsets.UTF_8));
      served.add(
          settings(slack.apiUrl(), PASSWORD, false).toString().getBytes(StandardCharsets.UTF_8));
      for (byte[] body : served) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (String secret : secrets) {
          assertThat(text).doesNotContain(secret);
        }
        assertThat(text).doesNotContain(PASSWORD);
      }
      assertThat(new String(served.get(4), StandardCharsets.UTF_8))
          .contains("event: snapshot", "deploy web-1", "event: update");
    }
  }

  @Test
  void withAPassword_everyRequestNeedsIt() throws Exception {
    try (Console console = Console.start(settings(slack.apiUrl(), PASSWORD, false))) {
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(("any:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      String wrong =
          "Basic "
              + Base64.getEncoder().encodeToString("any:guess".getBytes(StandardCharsets.UTF_8));
      for (String path : List.of("", "console.js", "api/state", "api/events")) {
        HttpResponse<byte[]> none = get(console.url() + path, null);
        assertThat(none.statusCode()).as(path).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
            .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(get(console.url() + path, wrong).statusCode()).as(path).isEqualTo(401);
      }
      assertThat(get(console.url(), basic).statusCode()).isEqualTo(200);
      assertThat(get(console.url() + "api/state", "Bearer " + PASSWORD).statusCode())
          .isEqualTo(200);
      assertThat(post(console.url() + "api/post", "{\"text\":\"x\"}", null).statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void aRequestForAnotherHost_isRefused() throws Exception {
    try (Console console = Console.start(settings(slack.apiUrl(), null, false))) {
      int port = URI.create(console.url()).getPort();
      // A DNS name rebound to 127.0.0.1: a page of that site must not read the console.
      assertThat(rawGet(port, "evil.example:" + port)).startsWith("HTTP/1.1 403");
      assertThat(rawGet(port, "127.0.0.1:" + (port + 1))).startsWith("HTTP/1.1 403");
      assertThat(rawGet(port, "localhost:" + port)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void controls_takeJsonFromTheirOwnPageOnly() throws Exception {
    try (Console console = Console.start(settings(slack.apiUrl(), null, false))) {
      String url = console.url() + "api/post";
      HttpResponse<byte[]> form =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"forged\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(form.statusCode()).isEqualTo(415);
      assertThat(post(url, "{\"text\":\"forged\"}", "http://evil.example").statusCode())
          .isEqualTo(403);
      String own = "http://" + URI.create(console.url()).getAuthority();
      HttpResponse<byte[]> ok = post(url, "{\"text\":\"from the page\"}", own);
      assertThat(ok.statusCode()).as(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      assertThat(slack.history())
          .extracting(m -> m.getText())
          .contains("from the page")
          .doesNotContain("forged");
      assertThat(post(url, "{\"text\":\"\"}", own).statusCode()).isEqualTo(400);
      assertThat(
              post(console.url() + "api/react", "{\"ts\":\"1.1\",\"name\":\"Not An Emoji\"}", own)
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              post(console.url() + "api/fault", "{\"name\":\"meteor\",\"on\":true}", own)
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              post(console.url() + "api/socket", "{\"app\":\"nobody\",\"action\":\"drop\"}", own)
                  .statusCode())
          .isEqualTo(400);
    }
  }

  @Test
  void onARealWorkspace_itOnlyReads() throws Exception {
    assertThat(ConsoleLocal.probe("https://slack.com/api/", null)).isNull();
    try (RemoteSlack remote = new RemoteSlack(slack.apiUrl());
        Console console = Console.start(settings(remote.apiUrl(), null, false))) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> console.view() != null && !console.view().messages().isEmpty());
      assertThat(console.view().local()).isFalse();
      assertThat(console.view().controls()).isFalse();
      assertThat(console.view().messages())
          .extracting(ConsoleView.MessageView::text)
          .contains("deploy web-1");
      assertThat(console.describe()).startsWith("real Slack (read-only)");
      String own = "http://" + URI.create(console.url()).getAuthority();
      for (String path : List.of("post", "react", "socket", "fault")) {
        HttpResponse<byte[]> r = post(console.url() + "api/" + path, "{\"text\":\"x\"}", own);
        assertThat(r.statusCode()).as(path).isEqualTo(403);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("read_only");
      }
    }
  }

  @Test
  void aPageThatStopsReading_isDisconnected_notBuffered() throws Exception {
    ConsoleClients clients = new ConsoleClients();
    ConsoleView empty =
        new ConsoleView(
            "snapshot",
            "C1",
            true,
            false,
            null,
            1,
            250,
            0,
            List.of(),
            List.of(),
            Map.of(),
            List.of(),
            Map.of(),
            List.of(),
            Map.of(),
            List.of(),
            1000,
            List.of(),
            List.of(),
            null);
    ConsoleView big = big(empty);
    var server =
        io.javalin.Javalin.create(c -> c.showJavalinBanner = false)
            .sse(
                "/e",
                sse -> {
                  sse.keepAlive();
                  clients.add(sse);
                })
            .start("127.0.0.1", 0);
    try (Socket tab = new Socket("127.0.0.1", server.port())) {
      tab.setReceiveBufferSize(4096);
      OutputStream out = tab.getOutputStream();
      out.write(
          "GET /e HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> clients.size() == 1);
      // The tab reads nothing: its socket buffers fill, then its queue, then it is dropped.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                clients.publish(big);
                clients.publish(empty);
                return clients.size() == 0;
              });
      assertThat(tab.isClosed()).isFalse(); // dropped by the console, not gone by itself
    } finally {
      server.stop();
    }
  }

  /** A view of 200 messages with long threads (about 150 kB of JSON). */
  private static ConsoleView big(ConsoleView v) {
    List<ConsoleView.MessageView> messages = new ArrayList<>();
    List<ConsoleView.Entry> timeline = new ArrayList<>();
    for (int j = 0; j < 40; j++) {
      timeline.add(
          new ConsoleView.Entry("renew", "w-" + j, "slackmq-a", "1800000000.000100", null));
    }
    for (int i = 0; i < 200; i++) {
      messages.add(
          new ConsoleView.MessageView(
              (1800000000 + i) + ".000100",
              "x".repeat(200),
              "alice",
              "held",
              "w-1",
              null,
              null,
              1,
              null,
              true,
              List.of(),
              40,
              true,
              timeline,
              0,
              null));
    }
    return ConsoleClients.withMessages(v, "snapshot", messages, List.of());
  }

  private static String events(String url, int count) throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "api/events"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    StringBuilder raw = new StringBuilder();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      int seen = 0;
      for (String line; seen < count && (line = in.readLine()) != null; ) {
        raw.append(line).append('\n');
        seen += line.startsWith("event:") ? 1 : 0;
      }
    }
    return raw.toString();
  }

  private static HttpResponse<byte[]> get(String url, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (url.endsWith("api/events")) {
      b.header("Accept", "text/event-stream");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> post(String url, String json, String origin)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (origin != null) {
      b.header("Origin", origin);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A GET with a Host header of our choosing (HttpClient does not let one set it). */
  private static String rawGet(int port, String host) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream()
          .write(
              ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }
}
