package io.slackmq.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who and what a local Slack's workspace holds, by name: apps, people, channels and their tokens.
 * Read once at start from the emulator's admin API (names and ids) and {@code env()} (tokens); a
 * name it does not know fails with the names it does know.
 */
final class Directory {
  private final Map<String, String> env;
  private final Map<String, String> apps = new LinkedHashMap<>();
  private final Map<String, String> people = new LinkedHashMap<>();
  private final Map<String, String> channels = new LinkedHashMap<>();

  private Directory(Map<String, String> env, JsonNode workspace) {
    this.env = env;
    workspace.path("apps").forEach(a -> apps.put(a.path("name").asText(), a.path("id").asText()));
    for (JsonNode u : workspace.path("users")) {
      if (!u.path("is_bot").asBoolean()) {
        people.put(u.path("name").asText(), u.path("id").asText());
      }
    }
    workspace
        .path("channels")
        .forEach(c -> channels.put(c.path("name").asText(), c.path("id").asText()));
  }

  /** Reads the workspace of the emulator whose Web API is at {@code apiUrl}. */
  static Directory read(String apiUrl, Map<String, String> env) {
    URI uri = URI.create(apiUrl).resolve("/_emulator/workspace");
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Directory(env, new ObjectMapper().readTree(r.body()));
    } catch (IOException e) {
      throw new IllegalStateException("the local Slack at " + uri + " did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the local Slack's workspace", e);
    }
  }

  List<String> apps() {
    return List.copyOf(apps.keySet());
  }

  List<String> people() {
    return List.copyOf(people.keySet());
  }

  List<String> channels() {
    return List.copyOf(channels.keySet());
  }

  /** An app's env value such as {@code SLACK_BOT_TOKEN_<NAME>}, for a known app only. */
  String ofApp(String prefix, String app) {
    known("app", apps, app);
    return env.get(prefix + key(app));
  }

  String userToken(String person) {
    known("person", people, person);
    return env.get("SLACK_USER_TOKEN_" + key(person));
  }

  String userId(String person) {
    return known("person", people, person);
  }

  String channelId(String name) {
    String bare = name.startsWith("#") ? name.substring(1) : name;
    return known("channel", channels, bare);
  }

  String firstPerson() {
    if (people.isEmpty()) {
      throw new IllegalStateException("this workspace has no person (only bots): name one");
    }
    return people.keySet().iterator().next();
  }

  private static String known(String what, Map<String, String> byName, String name) {
    String id = byName.get(name);
    if (id == null) {
      String plural = what.equals("person") ? "people" : what + "s";
      throw new IllegalArgumentException(
          "unknown "
              + what
              + " '"
              + name
              + "': this local Slack has the "
              + plural
              + " "
              + byName.keySet());
    }
    return id;
  }

  /** The emulator's env name of a workspace name: upper case, anything but A-Z0-9 as _. */
  private static String key(String name) {
    return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }
}
