package io.slackmq.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/** The JDK HTTP client as the benchmarks use it: Slack Web API calls as form posts. */
final class Http {
  private Http() {}

  /** The load generator's client: HTTP/1.1. */
  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /** A Web API call: {@code form} (URL-encoded) posted to {@code url} as {@code token}. */
  static HttpRequest formPost(String url, String token, String form) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
  }
}
