package io.slackmq.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the local Slack's request parsing (jqwik, seeded, a few seconds): random methods, tokens,
 * parameter names and hostile values, sent form-encoded, as JSON, multipart or in the query; and
 * random JSON to the admin API's fault and rate-limit endpoints (2,500 tries, seeded). Every answer
 * must be a 2xx/4xx JSON body without a stack trace or class name, and the workspace must still
 * answer afterwards. The inputs a probe found earlier are kept as {@link Example}s.
 */
class WebApiFuzzTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Emulator slack;
  private static Map<String, String> env;

  @BeforeContainer
  static void start() {
    slack = Emulator.builder().noRateLimits().start();
    env = slack.env();
  }

  @AfterContainer
  static void stop() {
    slack.close();
  }

  record Call(String method, String token, Map<String, String> params, String encoding) {}

  @Provide
  Arbitrary<Call> calls() {
    Arbitrary<String> methods =
        Arbitraries.of(
            "chat.postMessage",
            "chat.update",
            "chat.delete",
            "conversations.history",
            "conversations.replies",
            "conversations.info",
            "conversations.list",
            "pins.add",
            "pins.list",
            "reactions.add",
            "reactions.get",
            "stars.add",
            "users.info",
            "auth.test",
            "no.such.method",
            "%2e%2e",
            "");
    Arbitrary<String> tokens =
        Arbitraries.of(
            env.get("SLACK_BOT_TOKEN_SLACKMQ_A"),
            env.get("SLACK_USER_TOKEN_ALICE"),
            env.get("SLACK_APP_TOKEN_SLACKMQ_A"),
            "xoxb-nope",
            "");
    Arbitrary<String> names =
        Arbitraries.of(
            "channel",
            "ts",
            "timestamp",
            "text",
            "oldest",
            "latest",
            "limit",
            "cursor",
            "name",
            "thread_ts",
            "metadata",
            "inclusive",
            "include_all_metadata",
            "user",
            "users",
            "types",
            "token");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of(
                env.get("SLACK_CHANNEL"),
                "C0NOWHERE",
                "1e10000000",
                "9223372036854.775807",
                "-1",
                "0",
                "99999999999999999999999",
                "1700000000.000001",
                "%",
                "{\"event_type\":\"x\",\"event_payload\":{\"a\":{\"b\":1}}}",
                "bmV4dF90czpvbGRlcjotOTIyMzM3MjAzNjg1NDc3NTgwOA==",
                "true",
                "\u0000",
                "a".repeat(40_001)),
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.longs().map(n -> Long.toString(n)));
    Arbitrary<Map<String, String>> params = Arbitraries.maps(names, values).ofMaxSize(6);
    Arbitrary<String> encodings = Arbitraries.of("form", "json", "multipart", "query");
    return Combinators.combine(methods, tokens, params, encodings).as(Call::new);
  }

  @Property(tries = 2000, seed = "20261203")
  void webApi_neverAnswers5xx_norLeaksAStackTrace(@ForAll("calls") Call call) throws Exception {
    HttpResponse<String> r = HTTP.send(request(call), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s -> %s", call, r.body()).isBetween(200, 499);
    if (r.statusCode() == 414 || r.statusCode() == 431) {
      // Jetty refuses a URI or header over 8 KB before any handler, with its own short page.
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
      return;
    }
    assertClean(r.body(), call);
  }

  @Provide
  Arbitrary<String> adminBodies() {
    Arbitrary<String> keys =
        Arbitraries.of(
            "raceWindow",
            "seed",
            "methods",
            "sockets",
            "events",
            "consistency",
            "mode",
            "limits",
            "millis",
            "readLagMaxMillis",
            "lostPostRate");
    Arbitrary<String> leaves =
        Arbitraries.oneOf(
            Arbitraries.of(
                "9223372036854775807",
                "-9223372036854775808",
                "1e400",
                "\"gaussian\"",
                "null",
                "[]",
                "{}",
                "{\"millis\":9223372036854775807}",
                "{\"readLagMaxMillis\":-5}",
                "{\"*\":{\"http_500\":2}}"),
            Arbitraries.integers().map(n -> Integer.toString(n)),
            Arbitraries.strings().alpha().ofMaxLength(8).map(s -> "\"" + s + "\""));
    return Arbitraries.maps(keys, leaves)
        .ofMaxSize(4)
        .map(
            m -> {
              StringBuilder b = new StringBuilder("{");
              m.forEach(
                  (k, v) ->
                      b.append(b.length() > 1 ? "," : "")
                          .append('"')
                          .append(k)
                          .append("\":")
                          .append(v));
              return b.append('}').toString();
            });
  }

  @Property(tries = 500, seed = "20261203")
  void adminApi_neverAnswers5xx_andTheWorkspaceStillAnswers(
      @ForAll("adminBodies") String body, @ForAll("adminPaths") String path) throws Exception {
    HttpResponse<String> r = admin("POST", path, body);
    assertThat(r.statusCode()).as("%s %s -> %s", path, body, r.body()).isBetween(200, 499);
    assertClean(r.body(), path + " " + body);
    admin("DELETE", "faults", null); // no fault outlives its try (a 366-day latency would)
    HttpResponse<String> ws = admin("GET", "workspace", null);
    assertThat(ws.statusCode()).isEqualTo(200);
  }

  @Provide
  Arbitrary<String> adminPaths() {
    return Arbitraries.of("faults", "rate-limits", "faults/race-window", "teams", "channels");
  }

  @Example
  void corpus_inputsAProbeFound_stayHarmless() throws Exception {
    String channel = env.get("SLACK_CHANNEL");
    String bot = env.get("SLACK_BOT_TOKEN_SLACKMQ_A");
    for (Call c :
        List.of(
            new Call(
                "conversations.history",
                bot,
                Map.of("channel", channel, "oldest", "1e10000000"),
                "form"),
            new Call(
                "conversations.history",
                bot,
                Map.of("channel", channel, "oldest", "9223372036854.775807"),
                "query"),
            new Call("auth.test", bot, Map.of(), "multipart"),
            new Call(
                "chat.postMessage",
                bot,
                Map.of("channel", channel, "text", "a".repeat(40_001)),
                "json"))) {
      HttpResponse<String> r = HTTP.send(request(c), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c.toString()).isBetween(200, 499);
      assertClean(r.body(), c);
    }
    assertThat(
            admin("POST", "faults", "{\"raceWindow\":{\"millis\":9223372036854775807}}")
                .statusCode())
        .isEqualTo(400);
  }

  private static void assertClean(String body, Object input) throws Exception {
    JsonNode json = Json.MAPPER.readTree(body);
    assertThat(json.isObject()).as("%s -> %s", input, body).isTrue();
    assertThat(body)
        .as("%s", input)
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("io.slackmq")
        .doesNotContain("java.lang");
  }

  private static HttpRequest request(Call c) throws Exception {
    String query = form(c.params());
    String url = slack.apiUrl() + c.method();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(c.encoding().equals("query") ? url + "?" + query : url))
            .timeout(Duration.ofSeconds(20));
    if (!c.token().isEmpty()) {
      b.header("Authorization", "Bearer " + c.token());
    }
    switch (c.encoding()) {
      case "json" -> {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(c.params());
        b.header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(fields)));
      }
      case "multipart" -> {
        String boundary = "----fuzz";
        StringBuilder m = new StringBuilder();
        c.params()
            .forEach(
                (k, v) ->
                    m.append("--")
                        .append(boundary)
                        .append("\r\nContent-Disposition: form-data; name=\"")
                        .append(k)
                        .append("\"\r\n\r\n")
                        .append(v)
                        .append("\r\n"));
        m.append("--").append(boundary).append("--\r\n");
        b.header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofString(m.toString()));
      }
      case "form" ->
          b.header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(query));
      default -> b.GET();
    }
    return b.build();
  }

  private static String form(Map<String, String> params) {
    StringBuilder q = new StringBuilder();
    params.forEach(
        (k, v) ->
            q.append(q.length() > 0 ? "&" : "")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return q.toString();
  }

  private static HttpResponse<String> admin(String verb, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(slack.apiUrl().replace("/api/", "/_emulator/") + path))
            .timeout(Duration.ofSeconds(20));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        verb,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
