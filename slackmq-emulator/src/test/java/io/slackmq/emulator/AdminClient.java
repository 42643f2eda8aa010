package io.slackmq.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The admin API over plain HTTP (java.net.http), as a script would call it. */
final class AdminClient {
  /** An answer: HTTP status and the parsed JSON body. */
  record Reply(int status, JsonNode json) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  AdminClient(String apiUrl) {
    this.base = apiUrl.replaceFirst("/api/$", "/_emulator/");
  }

  AdminClient(Emulator emulator) {
    this(emulator.apiUrl());
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), Json.MAPPER.readTree(r.body()));
  }
}
