package io.slackmq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slackmq.emulator.Emulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark of Socket Mode delivery (not a test): an emulator, one app with N WebSocket
 * connections that ack every envelope at once, then
 *
 * <ol>
 *   <li>throughput: M messages committed as fast as possible; events delivered and acked per
 *       second, from the first commit to the last ack;
 *   <li>latency: messages posted one after another with {@code chat.postMessage} over HTTP; the
 *       time from sending the request to the event arriving at a client (p50, p99).
 * </ol>
 *
 * <p>The clients are the JDK's WebSocket and HTTP clients, so the figures are the emulator's, not a
 * client library's. Run: {@code java -cp <emulator classpath> io.slackmq.bench.SocketModeBench
 * [events] [connections]}; {@code slackmq bench} calls {@link #run(int, int)}.
 */
public final class SocketModeBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What one run measured.
   *
   * @param eventsPerSecond events delivered and acked per second (throughput phase)
   * @param p50Millis median chat.postMessage-to-client latency (latency phase)
   * @param p99Millis 99th percentile of the same
   * @param usedConnections how many of the connections received at least one event
   */
  public record Result(
      int events,
      int connections,
      double eventsPerSecond,
      double p50Millis,
      double p99Millis,
      int usedConnections) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%d events over %d connections (%d used): %.0f events/s delivered and acked; "
              + "chat.postMessage -> event latency p50 %.2f ms, p99 %.2f ms",
          events,
          connections,
          usedConnections,
          eventsPerSecond,
          p50Millis,
          p99Millis);
    }
  }

  private SocketModeBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    System.out.println(run(events, connections));
  }

  /**
   * Runs both phases on a fresh emulator on a free port; blocks until done.
   *
   * @param events messages for the throughput phase (the latency phase uses min(events, 2000))
   * @param connections 1..10 Socket Mode connections of one app
   * @throws IllegalArgumentException for connections outside 1..10 or events below 1
   * @throws Exception when the emulator or the loopback connections fail
   */
  public static Result run(int events, int connections) throws Exception {
    // Slack allows 10 Socket Mode connections per app.
    if (connections < 1 || connections > 10 || events < 1) {
      throw new IllegalArgumentException(
          "need events >= 1 and connections 1..10, got " + events + " and " + connections);
    }
    try (Emulator slack = Emulator.builder().noRateLimits().start()) {
      HttpClient http = HttpClient.newHttpClient();
      Map<String, String> env = slack.env();
      Map<String, Long> sentAt = new ConcurrentHashMap<>();
      List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicLong received = new AtomicLong();
      long[] perConnection = new long[connections];
      List<WebSocket> sockets = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        String url =
            JSON.readTree(
                    http.send(
                            HttpRequest.newBuilder(
                                    URI.create(slack.apiUrl() + "apps.connections.open"))
                                .header("Authorization", "Bearer " + env.get("SLACK_APP_TOKEN"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body())
                .path("url")
                .asText();
        int index = i;
        sockets.add(
            http.newWebSocketBuilder()
                .buildAsync(
                    URI.create(url),
                    new AckingListener(
                        text -> {
                          Long sent = sentAt.remove(text);
                          if (sent != null) {
                            latencies.add((System.nanoTime() - sent) / 1e6);
                          }
                          synchronized (perConnection) {
                            perConnection[index]++;
                          }
                          received.incrementAndGet();
                        }))
                .join());
      }

      // Throughput: commit straight into the workspace, so the Web API is not the bottleneck.
      String channel = env.get("SLACK_CHANNEL");
      String alice = env.get("SLACK_USER_ID_ALICE");
      String appId = env.get("SLACK_APP_ID_SLACKMQ_A");
      long start = System.nanoTime();
      for (int i = 0; i < events; i++) {
        slack.inject(channel, alice, "t" + i);
      }
      while (slack.eventsAcked(appId) < events) {
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
          throw new IllegalStateException("events not acked within 5 minutes");
        }
        Thread.sleep(5); // a benchmark's polling loop, not a test's wait
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      int used = 0;
      synchronized (perConnection) {
        for (long n : perConnection) {
          used += n > 0 ? 1 : 0;
        }
      }

      // Latency: one chat.postMessage at a time, timed until the event reaches a client.
      int samples = Math.min(events, 2000);
      String token = env.get("SLACK_USER_TOKEN_ALICE");
      for (int i = 0; i < samples; i++) {
        String text = "l" + i;
        sentAt.put(text, System.nanoTime());
        String form =
            "channel=" + channel + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
        http.send(
            Http.formPost(slack.apiUrl() + "chat.postMessage", token, form),
            HttpResponse.BodyHandlers.discarding());
        while (sentAt.containsKey(text)) {
          Thread.onSpinWait();
        }
      }
      sockets.forEach(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
      double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Result(
          events,
          connections,
          events / seconds,
          Percentiles.of(sorted, 0.50),
          Percentiles.of(sorted, 0.99),
          used);
    }
  }

  /** Acks every envelope at once and reports the event's text. */
  private static final class AckingListener implements WebSocket.Listener {
    private final java.util.function.Consumer<String> onEvent;
    private final StringBuilder partial = new StringBuilder();

    AckingListener(java.util.function.Consumer<String> onEvent) {
      this.onEvent = onEvent;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode frame = JSON.readTree(partial.toString());
          JsonNode id = frame.get("envelope_id");
          if (id != null) {
            socket.sendText("{\"envelope_id\":\"" + id.asText() + "\"}", true).join();
            onEvent.accept(frame.at("/payload/event/text").asText());
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }
  }
}
