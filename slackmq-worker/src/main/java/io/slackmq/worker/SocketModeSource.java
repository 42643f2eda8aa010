package io.slackmq.worker;

import com.google.gson.JsonElement;
import com.slack.api.Slack;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.response.AckResponse;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket Mode through the official SDK's {@link SocketModeClient} (Tyrus backend). Each envelope is
 * acked at once, before any work, so Slack does not retry it; the message then goes to admission,
 * which queues it for the handler pool. The SDK reconnects on every {@code disconnect} frame
 * (warning, refresh_requested, link_disabled, too_many_websockets), on a closed socket, and when
 * pings go unanswered.
 */
final class SocketModeSource implements EventSource {
  private static final Logger log = LoggerFactory.getLogger(SocketModeSource.class);

  private final Slack slack;
  private final String appToken;
  private final Consumer<Incoming> sink;
  private SocketModeClient client;
  private volatile boolean open;

  SocketModeSource(Slack slack, String appToken, Consumer<Incoming> sink) {
    this.slack = slack;
    this.appToken = appToken;
    this.sink = sink;
  }

  @Override
  public void start() throws IOException {
    SocketModeClient c = slack.socketMode(appToken, SocketModeClient.Backend.Tyrus);
    if (c == null) {
      throw new IOException("could not open a Socket Mode connection (see the SDK's log)");
    }
    c.setAutoReconnectEnabled(true);
    c.setAutoReconnectOnCloseEnabled(true);
    // Any frame (Slack's hello first) shows the socket is up; a close shows it is down until the
    // SDK's reconnect brings the next hello.
    c.addWebSocketMessageListener(message -> open = true);
    c.addWebSocketCloseListener((code, reason) -> open = false);
    c.addEventsApiEnvelopeListener(
        envelope -> {
          c.sendSocketModeResponse(
              AckResponse.builder().envelopeId(envelope.getEnvelopeId()).build());
          JsonElement payload = envelope.getPayload();
          if (payload != null && payload.isJsonObject()) {
            Incoming m = Incoming.fromEventPayload(payload.getAsJsonObject());
            if (m != null) {
              sink.accept(m);
            }
          }
        });
    c.connect();
    open = true;
    client = c;
    log.info("Socket Mode connected");
  }

  @Override
  public String problem() {
    return open ? null : "Socket Mode is disconnected (the SDK is reconnecting)";
  }

  @Override
  public void stop() {
    SocketModeClient c = client;
    client = null;
    if (c != null) {
      try {
        c.setAutoReconnectEnabled(false);
        c.setAutoReconnectOnCloseEnabled(false);
        c.close();
      } catch (IOException | RuntimeException e) {
        log.debug("closing Socket Mode: {}", e.toString());
      }
    }
  }
}
