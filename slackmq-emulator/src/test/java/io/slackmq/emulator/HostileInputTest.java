package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inputs from a hostile probe of the local Slack, kept as regressions: never a 500, never harm. */
class HostileInputTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Emulator slack;
  private static String botToken;

  @BeforeAll
  static void start() {
    slack = Emulator.builder().noRateLimits().start();
    Map<String, String> env = slack.env();
    botToken = env.get("SLACK_BOT_TOKEN_SLACKMQ_A");
  }

  @AfterAll
  static void stop() {
    slack.close();
  }

  private static HttpResponse<String> send(HttpRequest r) throws Exception {
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void multipartFormData_isReadLikeAForm() throws Exception {
    String boundary = "----slackmq";
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n"
            + botToken
            + "\r\n--"
            + boundary
            + "--\r\n";
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(slack.apiUrl() + "auth.test"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode json = Json.MAPPER.readTree(r.body());
    assertThat(json.path("ok").asBoolean()).as(r.body()).isTrue();
    assertThat(json.path("user").asText()).isNotEmpty();
  }

  @Test
  void adminApi_outOfRangeNumbers_are400_andHugeBodies413() throws Exception {
    String faults = slack.apiUrl().replace("/api/", "/_emulator/faults");
    HttpResponse<String> overflow =
        send(
            HttpRequest.newBuilder(URI.create(faults))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"raceWindow\":{\"millis\":9223372036854775807}}"))
                .build());
    assertThat(overflow.statusCode()).as(overflow.body()).isEqualTo(400);
    assertThat(slack.faults().raceWindowOpen()).isFalse();
    byte[] huge = new byte[3 << 20];
    java.util.Arrays.fill(huge, (byte) ' ');
    huge[0] = '{';
    huge[huge.length - 1] = '}';
    HttpResponse<String> tooLarge =
        send(
            HttpRequest.newBuilder(URI.create(faults))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge))
                .build());
    assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
    assertThat(tooLarge.body()).doesNotContain("Exception").doesNotContain("at io.");
    assertThat(new String(huge, 0, 1, StandardCharsets.UTF_8)).isEqualTo("{");
  }

  @Test
  void aPathThatDoesNotDecode_isAnUnknownMethod_notA500() throws Exception {
    java.net.URL api = new java.net.URL(slack.apiUrl());
    try (java.net.Socket socket = new java.net.Socket(api.getHost(), api.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET /api/%=?x HTTP/1.1\r\nHost: " + api.getHost() + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 4").doesNotContain("Exception");
    }
  }

  private static String raw(int port, String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Sends {@code request} and half-closes, as a client that dies mid-body does. */
  private static String rawThenEof(int port, String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void bodiesShorterThanTheirLengthOrWithBadChunks_are400_andWriteNothing() throws Exception {
    int port = slack.port();
    String channel = slack.env().get("SLACK_CHANNEL");
    String post = "token=" + botToken + "&channel=" + channel + "&text=truncated";
    String head = "POST /api/chat.postMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    String form = "Content-Type: application/x-www-form-urlencoded\r\n";
    String json = "Content-Type: application/json\r\n";
    String chunked = "Transfer-Encoding: chunked\r\n\r\n";
    java.util.List<String> broken =
        java.util.List.of(
            head + form + "Content-Length: 500\r\n\r\n" + post,
            head + form + chunked + "ZZZ\r\n" + post + "\r\n0\r\n\r\n",
            head + form + chunked + "ffff\r\n" + post,
            "POST /_emulator/faults HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + json
                + "Content-Length: 100\r\n\r\n{\"x\":1}",
            "POST /_emulator/channels HTTP/1.1\r\nHost: 127.0.0.1\r\n" + json + chunked + "Q\r\n");
    for (String request : broken) {
      String answer = rawThenEof(port, request);
      assertThat(answer)
          .as(request)
          .startsWith("HTTP/1.1 400")
          .contains("\"ok\":false")
          .doesNotContain("Exception");
    }
    // nothing was half-applied, and the workspace still answers
    assertThat(
            slack
                .workspace()
                .locked(
                    () ->
                        java.util.List.copyOf(
                            slack.workspace().channel(channel).messages().values())))
        .noneMatch(m -> m.text().contains("truncated"));
    String whole = head + form + "Content-Length: " + post.length() + "\r\n\r\n" + post;
    assertThat(rawThenEof(port, whole)).startsWith("HTTP/1.1 200").contains("\"ok\":true");
  }

  @Test
  void adminApi_refusesWhatABrowserPageElsewhereCouldSend() throws Exception {
    int port = slack.port();
    // DNS rebinding: a foreign name that resolves to 127.0.0.1 must not read the secrets.
    String rebound =
        raw(
            port,
            "GET /_emulator/workspace?secrets=true HTTP/1.1\r\nHost: evil.example:"
                + port
                + "\r\nConnection: close\r\n\r\n");
    assertThat(rebound).startsWith("HTTP/1.1 403").contains("bad_host").doesNotContain("xoxb-");
    // A cross-origin text/plain POST (no preflight) must not reset the workspace.
    String before = slack.env().get("SLACK_BOT_TOKEN_SLACKMQ_A");
    String reset =
        raw(
            port,
            "POST /_emulator/reset HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close"
                + "\r\n\r\n{}");
    assertThat(reset).startsWith("HTTP/1.1 415").contains("json_required");
    assertThat(slack.env().get("SLACK_BOT_TOKEN_SLACKMQ_A")).isEqualTo(before);
    // The address it serves, by name or number, still works.
    String ok =
        raw(
            port,
            "GET /_emulator/stats HTTP/1.1\r\nHost: localhost:"
                + port
                + "\r\nConnection: close\r\n\r\n");
    assertThat(ok).startsWith("HTTP/1.1 200");
  }

  @Test
  void boundBeyondLoopback_theAdminApiNeedsTheTokenPrintedAtStart() throws Exception {
    try (Emulator open = Emulator.builder().host("0.0.0.0").noRateLimits().start()) {
      String token = open.adminToken();
      assertThat(token).isNotBlank();
      assertThat(open.describe()).contains("WARNING").contains(token);
      URI stats = URI.create("http://127.0.0.1:" + open.port() + "/_emulator/stats");
      assertThat(send(HttpRequest.newBuilder(stats).GET().build()).statusCode()).isEqualTo(401);
      assertThat(
              send(HttpRequest.newBuilder(stats).header("Authorization", "Bearer " + token).build())
                  .statusCode())
          .isEqualTo(200);
    }
    assertThat(slack.adminToken()).as("loopback: no token needed").isNull();
  }
}
