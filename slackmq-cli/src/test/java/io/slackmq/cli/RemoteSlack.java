package io.slackmq.cli;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A local Slack that looks like a real workspace: its Web API ({@code /api/}) passed through
 * unchanged, its admin API ({@code /_emulator/}) absent, as on slack.com. For the console's tests
 * of what it does on a real workspace (read only, within its budget of Slack's rate limits).
 */
final class RemoteSlack implements AutoCloseable {
  private final String target;
  private final HttpClient client = HttpClient.newHttpClient();
  private final Javalin http;

  RemoteSlack(String apiUrl) {
    this.target = apiUrl;
    this.http =
        Javalin.create(
                c -> {
                  c.showJavalinBanner = false;
                  c.startupWatcherEnabled = false;
                })
            .post("/api/{method}", this::forward)
            .get("/api/{method}", this::forward)
            .start("127.0.0.1", 0);
  }

  /** The Web API prefix to point clients at. */
  String apiUrl() {
    return "http://127.0.0.1:" + http.port() + "/api/";
  }

  private void forward(Context ctx) throws Exception {
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(target + ctx.pathParam("method") + query))
            .timeout(Duration.ofSeconds(30))
            .method(ctx.method().name(), HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
    for (String h : new String[] {"Content-Type", "Authorization"}) {
      if (ctx.header(h) != null) {
        r.header(h, ctx.header(h));
      }
    }
    HttpResponse<byte[]> answer = client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    ctx.status(answer.statusCode());
    for (String h : new String[] {"Content-Type", "Retry-After"}) {
      answer.headers().firstValue(h).ifPresent(v -> ctx.header(h, v));
    }
    ctx.result(answer.body());
  }

  @Override
  public void close() {
    http.stop();
  }
}
