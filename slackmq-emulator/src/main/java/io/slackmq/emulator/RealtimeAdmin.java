package io.slackmq.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;

/**
 * The admin API of the real-time side, under {@code /_emulator/}: faults, Socket Mode disconnects
 * and drops, and Events API request URLs. JSON in, JSON out; a bad request gets HTTP 400 {@code
 * {"ok":false,"error":"invalid_arguments","detail":...}}.
 */
final class RealtimeAdmin {
  private RealtimeAdmin() {}

  static void routes(Javalin http, Faults faults, Realtime realtime) {
    http.get("/_emulator/faults", ctx -> json(ctx, faults.toJson()));
    http.post(
        "/_emulator/faults",
        guarded(
            ctx -> {
              faults.configure(body(ctx));
              json(ctx, faults.toJson());
            }));
    http.delete("/_emulator/faults", ctx -> json(ctx, faults.clear().toJson()));
    http.post(
        "/_emulator/faults/race-window",
        guarded(
            ctx -> {
              JsonNode body = body(ctx);
              if (body.has("delayMillis")) {
                faults.raceDelay(Duration.ofMillis(body.get("delayMillis").asLong()));
              }
              faults.raceWindow(Duration.ofMillis(body.path("millis").asLong(0)));
              json(ctx, faults.toJson());
            }));
    http.post(
        "/_emulator/socket-mode/disconnect",
        guarded(
            ctx -> {
              JsonNode body = body(ctx);
              Faults.DisconnectReason reason =
                  Faults.DisconnectReason.parse(body.path("reason").asText("refresh_requested"));
              int n = faults.disconnectNow(app(body), reason);
              json(ctx, Json.ok().put("connections", n));
            }));
    http.post(
        "/_emulator/socket-mode/drop",
        guarded(
            ctx -> {
              int n = faults.dropNow(app(body(ctx)));
              json(ctx, Json.ok().put("connections", n));
            }));
    http.get(
        "/_emulator/socket-mode",
        ctx -> {
          ObjectNode out = Json.ok();
          ObjectNode live = out.putObject("connections");
          realtime.sockets.liveConnections().forEach(live::put);
          json(ctx, out);
        });
    http.get(
        "/_emulator/events", ctx -> json(ctx, Json.ok().set("apps", realtime.delivery.toJson())));
    http.post(
        "/_emulator/events/request-url",
        guarded(
            ctx -> {
              JsonNode body = body(ctx);
              String app = app(body);
              if (app == null) {
                throw new IllegalArgumentException("app is required");
              }
              try {
                realtime.requestUrl(app, body.path("url").asText(null));
              } catch (IllegalStateException e) {
                ctx.status(400);
                json(
                    ctx,
                    Json.object()
                        .put("ok", false)
                        .put("error", "url_verification_failed")
                        .put("detail", e.getMessage()));
                return;
              }
              json(ctx, Json.ok());
            }));
  }

  static String app(JsonNode body) {
    JsonNode app = body.path("app");
    return app.isMissingNode() || app.isNull() || app.asText().equals("*") ? null : app.asText();
  }

  static JsonNode body(Context ctx) {
    String raw = RequestBody.read(ctx::body);
    if (raw.isBlank()) {
      return Json.object();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(raw);
      if (!node.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
  }

  static void json(Context ctx, JsonNode node) {
    ctx.contentType("application/json; charset=utf-8").result(node.toString());
  }

  /** Turns IllegalArgumentException into a 400 that says what was wrong. */
  static Handler guarded(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (IllegalArgumentException | io.javalin.http.HttpResponseException e) {
        ctx.status(e instanceof io.javalin.http.HttpResponseException h ? h.getStatus() : 400);
        json(
            ctx,
            Json.object()
                .put("ok", false)
                .put("error", "invalid_arguments")
                .put("detail", e.getMessage()));
      }
    };
  }
}
