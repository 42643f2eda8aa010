package io.slackmq.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain JDK WebSocket that records what the emulator sends, for frame-level assertions. */
final class RawSocket implements AutoCloseable {
  final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  final CompletableFuture<Void> pong = new CompletableFuture<>();
  private final WebSocket ws;

  /** When set, envelopes are acked as they arrive (before the test reads them). */
  volatile boolean autoAck;

  private RawSocket(String url) {
    this.ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(URI.create(url), new Listener())
            .join();
  }

  /** Opens a Socket Mode connection for the app token through apps.connections.open. */
  static RawSocket open(Emulator emulator, String appToken) throws Exception {
    var r = SdkClients.methods(emulator, appToken).appsConnectionsOpen(q -> q);
    if (!r.isOk()) {
      throw new IllegalStateException("apps.connections.open: " + r.getError());
    }
    return new RawSocket(r.getUrl());
  }

  static RawSocket connect(String url) {
    return new RawSocket(url);
  }

  /** The next frame, or null after the timeout. */
  JsonNode next(Duration timeout) throws InterruptedException {
    return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next frame of the given type (skipping others), or null after the timeout. */
  JsonNode next(String type, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == null || type.equals(f.path("type").asText())) {
        return f;
      }
    }
  }

  void ack(JsonNode envelope) {
    send("{\"envelope_id\":\"" + envelope.get("envelope_id").asText() + "\"}");
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  void ping() {
    ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).join();
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    ws.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode frame = Json.MAPPER.readTree(partial.toString());
          if (autoAck && frame.has("envelope_id")) {
            webSocket.sendText(
                "{\"envelope_id\":\"" + frame.get("envelope_id").asText() + "\"}", true);
          }
          frames.add(frame);
        } catch (Exception e) {
          frames.add(Json.object().put("unparseable", partial.toString()));
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      pong.complete(null);
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
