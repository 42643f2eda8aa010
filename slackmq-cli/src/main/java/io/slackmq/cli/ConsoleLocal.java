package io.slackmq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.core.ApiCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local Slack's admin API ({@code /_emulator/}), called by the console's server (never by the
 * page, which the admin API refuses by design): its statistics, Socket Mode connections and faults,
 * and the controls the console offers on it. Real Slack has no such API: {@link #probe} says
 * whether there is one.
 */
final class ConsoleLocal {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A fault the console toggles: the admin API path, and the bodies that switch it on and off. */
  private record Fault(String path, String on, String off) {}

  /** The faults the console toggles, by name. */
  private static final Map<String, Fault> FAULTS =
      Map.of(
          "race",
          new Fault("faults/race-window", "{\"millis\":600000}", "{\"millis\":0}"),
          "errors",
          new Fault(
              "faults",
              "{\"methods\":{\"*\":{\"internal_error\":0.2}}}",
              "{\"methods\":{\"*\":{\"internal_error\":0}}}"),
          "latency",
          new Fault(
              "faults",
              "{\"methods\":{\"*\":{\"latencyMillis\":150,\"jitterMillis\":100}}}",
              "{\"methods\":{\"*\":{\"latencyMillis\":0,\"jitterMillis\":0}}}"),
          "readLag",
          new Fault(
              "faults",
              "{\"consistency\":{\"readLagMaxMillis\":1500}}",
              "{\"consistency\":{\"readLagMaxMillis\":0}}"));

  /**
   * One look at the local Slack.
   *
   * @param calls calls and 429s per caller (app or user id) and method, since it started
   * @param sockets live Socket Mode connections per app name
   * @param faults which of {@link #FAULTS} are on
   */
  record Sample(
      Map<String, ApiCalls> calls, Map<String, Integer> sockets, Map<String, Boolean> faults) {}

  private final String base;
  private final String adminToken;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Names of apps and people by id, and bot ids to app names (the workspace's directory). */
  private final Map<String, String> names = new TreeMap<>();

  private java.util.List<String> apps = java.util.List.of();

  final boolean rateLimited;
  final double timeScale;

  private ConsoleLocal(String base, String adminToken, JsonNode rateLimits) {
    this.base = base;
    this.adminToken = adminToken;
    this.rateLimited = !"off".equals(rateLimits.path("mode").asText());
    this.timeScale = rateLimits.path("time_scale").asDouble(1);
  }

  /**
   * The local Slack behind {@code apiUrl}, or null when it is real Slack (or anything without the
   * admin API). {@code adminToken}: the local Slack's, when it is bound beyond loopback.
   */
  static ConsoleLocal probe(String apiUrl, String adminToken) {
    if (apiUrl.startsWith(SlackOptions.SLACK_API) || !apiUrl.endsWith("/api/")) {
      return null; // real Slack: never probe it for an admin API
    }
    String base = apiUrl.substring(0, apiUrl.length() - "api/".length()) + "_emulator/";
    ConsoleLocal probe = new ConsoleLocal(base, adminToken, JSON.createObjectNode());
    try {
      JsonNode limits = probe.get("rate-limits");
      if (!limits.has("mode")) {
        return null;
      }
      ConsoleLocal local = new ConsoleLocal(base, adminToken, limits);
      local.refreshNames();
      return local;
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads the statistics, connections and faults; throws when the local Slack does not answer. */
  Sample sample() throws IOException {
    Map<String, ApiCalls> calls = new TreeMap<>();
    get("stats")
        .path("stats")
        .properties()
        .forEach(
            caller -> {
              Map<String, Long> c = new TreeMap<>();
              Map<String, Long> l = new TreeMap<>();
              caller
                  .getValue()
                  .properties()
                  .forEach(
                      m -> {
                        c.put(m.getKey(), m.getValue().path("calls").asLong());
                        l.put(m.getKey(), m.getValue().path("ratelimited").asLong());
                      });
              calls.put(caller.getKey(), new ApiCalls(c, l));
            });
    Map<String, Integer> sockets = new TreeMap<>();
    get("socket-mode")
        .path("connections")
        .properties()
        .forEach(e -> sockets.put(name(e.getKey()), e.getValue().asInt()));
    JsonNode f = get("faults");
    Map<String, Boolean> faults = new LinkedHashMap<>();
    faults.put("race", f.path("raceWindow").path("millis").asLong() > 0);
    faults.put("errors", f.path("methods").path("*").path("internal_error").asDouble() > 0);
    faults.put("latency", f.path("methods").path("*").path("latencyMillis").asLong() > 0);
    faults.put("readLag", f.path("consistency").path("readLagMaxMillis").asLong() > 0);
    return new Sample(calls, sockets, faults);
  }

  /** The name of an app, person or bot id; the id itself when unknown. */
  synchronized String name(String id) {
    return id == null ? null : names.getOrDefault(id, id);
  }

  /** The apps' names (for the socket controls). */
  synchronized java.util.List<String> apps() {
    return apps;
  }

  /** Re-reads the workspace's directory (no secrets: the admin API leaves them out). */
  void refreshNames() throws IOException {
    JsonNode ws = get("workspace");
    Map<String, String> n = new TreeMap<>();
    java.util.List<String> a = new java.util.ArrayList<>();
    for (JsonNode app : ws.path("apps")) {
      a.add(app.path("name").asText());
      n.put(app.path("id").asText(), app.path("name").asText());
      n.put(app.path("bot_id").asText(), app.path("name").asText());
      n.put(app.path("bot_user_id").asText(), app.path("name").asText());
    }
    for (JsonNode user : ws.path("users")) {
      n.putIfAbsent(user.path("id").asText(), user.path("name").asText());
    }
    synchronized (this) {
      names.clear();
      names.putAll(n);
      apps = a.stream().sorted().toList();
    }
  }

  /** Switches one of {@link #FAULTS} on or off. */
  void fault(String name, boolean on) throws IOException {
    Fault f = FAULTS.get(name);
    if (f == null) {
      throw new IllegalArgumentException("no fault named " + name + "; known: " + FAULTS.keySet());
    }
    post(f.path(), on ? f.on() : f.off());
  }

  /** Drops ({@code drop}: no close frame) or disconnects ({@code disconnect}) an app's sockets. */
  int socket(String app, String action) throws IOException {
    if (!apps().contains(app)) {
      throw new IllegalArgumentException("no app named " + app + "; apps: " + apps());
    }
    ObjectNode body = JSON.createObjectNode().put("app", app);
    String path;
    if (action.equals("drop")) {
      path = "socket-mode/drop";
    } else if (action.equals("disconnect")) {
      path = "socket-mode/disconnect";
      body.put("reason", "refresh_requested");
    } else {
      throw new IllegalArgumentException("action must be drop or disconnect, was " + action);
    }
    return post(path, body.toString()).path("connections").asInt();
  }

  private JsonNode get(String path) throws IOException {
    return send(request(path).GET().build());
  }

  private JsonNode post(String path, String json) throws IOException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(3));
    if (adminToken != null) {
      b.header("Authorization", "Bearer " + adminToken);
    }
    return b;
  }

  private JsonNode send(HttpRequest request) throws IOException {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200) {
        throw new IOException(
            "the local Slack's admin API answered "
                + r.statusCode()
                + " "
                + body.path("error").asText()
                + ": "
                + body.path("message").asText(body.path("detail").asText()));
      }
      return body;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
