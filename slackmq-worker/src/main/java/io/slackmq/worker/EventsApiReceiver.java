package io.slackmq.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.SlackSignature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Events API request URL (Javalin). Every request must carry a valid {@code v0}
 * signature of its raw body made with the app's signing secret, and a timestamp within five
 * minutes; otherwise it is answered 401 (with {@code x-slack-no-retry}) and logged as forged or
 * replayed. An exact copy of a request already accepted (same timestamp and signature) is a replay
 * too. {@code url_verification} is answered with the challenge. Events are acked at once and
 * handled asynchronously (admission only queues them), well within Slack's 3 s.
 */
final class EventsApiReceiver implements EventSource {
  private static final Logger log = LoggerFactory.getLogger(EventsApiReceiver.class);

  private final String host;
  private final int port;
  private final String path;
  private final SlackSignature.Generator signer;
  private final Consumer<Incoming> sink;
  private final LongSupplier nowMillis;
  private final BoundedSet signatures = new BoundedSet(50_000);
  private Javalin server;

  EventsApiReceiver(
      String host,
      int port,
      String path,
      String signingSecret,
      Consumer<Incoming> sink,
      LongSupplier nowMillis) {
    this.host = host;
    this.port = port;
    this.path = path;
    this.signer = new SlackSignature.Generator(signingSecret);
    this.sink = sink;
    this.nowMillis = nowMillis;
  }

  @Override
  public void start() {
    server =
        Javalin.create(
                c -> {
                  c.showJavalinBanner = false;
                  c.startupWatcherEnabled = false;
                })
            .post(path, this::receive)
            .start(host, port);
    log.info("Events API receiver listening on {}:{}{}", host, server.port(), path);
  }

  /** The bound port (useful with port 0). */
  int port() {
    return server.port();
  }

  private void receive(Context ctx) {
    String timestamp = ctx.header("X-Slack-Request-Timestamp");
    String signature = ctx.header("X-Slack-Signature");
    String body;
    try {
      body = ctx.body();
    } catch (Exception e) {
      // A body shorter than its Content-Length or a bad chunk: Jetty throws an IOException
      // (unchecked through Kotlin) that would otherwise be Javalin's empty 500.
      log.warn("rejected Events API request from {}: the body could not be read", ctx.ip());
      ctx.header("x-slack-no-retry", "1").status(400).result("unreadable body");
      return;
    }
    String reject = check(timestamp, signature, body);
    if (reject != null) {
      log.warn("rejected Events API request from {}: {}", ctx.ip(), reject);
      ctx.header("x-slack-no-retry", "1").status(401).result("invalid request");
      return;
    }
    JsonObject json;
    try {
      JsonElement e = JsonParser.parseString(body);
      json = e.isJsonObject() ? e.getAsJsonObject() : null;
    } catch (RuntimeException e) {
      json = null;
    }
    if (json == null) {
      log.warn("rejected Events API request: body is not a JSON object");
      ctx.status(400).result("body must be a JSON object");
      return;
    }
    if ("url_verification".equals(str(json, "type"))) {
      ctx.contentType("text/plain").result(String.valueOf(str(json, "challenge")));
      return;
    }
    ctx.status(200).result("");
    Incoming m = Incoming.fromEventPayload(json);
    if (m != null) {
      sink.accept(m);
    }
  }

  /** Why the request is refused, or null if it is authentic and fresh. */
  String check(String timestamp, String signature, String body) {
    if (timestamp == null || signature == null) {
      return "no X-Slack-Signature / X-Slack-Request-Timestamp (forged?)";
    }
    // Both checks by hand: the SDK's TimestampVerifier accepts any timestamp in the future and
    // its Verifier compares with String.equals; Slack asks for |now - ts| <= 5 min and a
    // constant-time comparison.
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return "X-Slack-Request-Timestamp is not a number (forged?)";
    }
    long now = nowMillis.getAsLong() / 1000;
    // Compared without subtracting: now - seconds overflows for a timestamp near -2^63, and
    // Math.abs of the overflow let such a request through.
    if (seconds < now - 5 * 60 || seconds > now + 5 * 60) {
      return "timestamp " + timestamp + " is more than 5 minutes from now (replayed?)";
    }
    byte[] expected = signer.generate(timestamp, body).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
      return "signature does not match the signing secret (forged?)";
    }
    if (!signatures.add(timestamp + signature)) {
      return "same timestamp and signature as an earlier request (replayed)";
    }
    return null;
  }

  private static String str(JsonObject o, String f) {
    JsonElement v = o.get(f);
    return v == null || !v.isJsonPrimitive() ? null : v.getAsString();
  }

  @Override
  public void stop() {
    Javalin s = server;
    server = null;
    if (s != null) {
      s.stop();
    }
  }
}
