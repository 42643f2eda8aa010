package io.slackmq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.slackmq.core.SlackMQException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The console's HTTP side: the page and its two assets (served from the jar: no CDN), the state as
 * JSON ({@code GET /api/state}), the live feed ({@code GET /api/events}, server-sent events), and
 * the controls of the local Slack ({@code POST /api/post|react|socket|fault}, 403 on a real
 * workspace or with --read-only).
 *
 * <p>Before every request: the {@code Host} header must name this console (a rebinding DNS name is
 * refused), with a password every request must carry it (Basic auth, any user name, or {@code
 * Authorization: Bearer}), and a POST must be JSON from this page's own origin (a cross-site page
 * cannot send JSON without a CORS preflight, which nothing here answers). Every answer forbids
 * framing and loading anything from elsewhere (Content-Security-Policy).
 */
final class ConsoleServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  private static final Set<String> EVERY_INTERFACE = Set.of("0.0.0.0", "::", "[::]");

  /** The page's files, by path: resource name and content type. */
  private static final Map<String, String[]> ASSETS =
      Map.of(
          "/", new String[] {"index.html", "text/html; charset=utf-8"},
          "/console.js", new String[] {"console.js", "text/javascript; charset=utf-8"},
          "/console.css", new String[] {"console.css", "text/css; charset=utf-8"});

  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'"
          + " data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** What the controls do; each may throw IllegalArgumentException (400) or Slack's error (502). */
  interface Controls {
    String post(String text);

    void react(String ts, String name);

    int socket(String app, String action) throws IOException;

    void fault(String name, boolean on) throws IOException;
  }

  private ConsoleServer() {}

  /**
   * Serves on {@code host:port}; {@code password} null: none asked; {@code controls} null: read
   * only.
   */
  static Javalin start(
      String host, int port, String password, ConsoleClients clients, Controls controls) {
    Javalin http =
        Javalin.create(
            c -> {
              c.showJavalinBanner = false;
              c.startupWatcherEnabled = false;
            });
    String bound = host.toLowerCase(Locale.ROOT);
    http.before(ctx -> guard(ctx, bound, password));
    ASSETS.forEach((path, asset) -> http.get(path, ctx -> asset(ctx, asset[0], asset[1])));
    http.get(
        "/api/state",
        ctx -> {
          ConsoleView v = clients.last();
          ctx.contentType("application/json").result(v == null ? "{}" : ConsoleClients.json(v));
        });
    http.sse(
        "/api/events",
        sse -> {
          sse.keepAlive();
          clients.add(sse);
        });
    http.post(
        "/api/post",
        ctx -> control(ctx, controls, b -> Map.of("ts", controls.post(text(b, "text")))));
    http.post(
        "/api/react",
        ctx ->
            control(
                ctx,
                controls,
                b -> {
                  controls.react(text(b, "ts"), text(b, "name"));
                  return Map.of();
                }));
    http.post(
        "/api/socket",
        ctx ->
            control(
                ctx,
                controls,
                b -> Map.of("connections", controls.socket(text(b, "app"), text(b, "action")))));
    http.post(
        "/api/fault",
        ctx ->
            control(
                ctx,
                controls,
                b -> {
                  controls.fault(text(b, "name"), b.path("on").asBoolean(false));
                  return Map.of();
                }));
    return http.start(host, port);
  }

  /** A control's body, parsed. */
  private interface Action {
    Map<String, Object> run(JsonNode body) throws IOException;
  }

  private static void control(Context ctx, Controls controls, Action action) throws IOException {
    if (controls == null) {
      answer(
          ctx,
          403,
          "read_only",
          "this console only reads: it drives nothing on a real workspace (or with --read-only)");
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body());
    } catch (IOException e) {
      answer(ctx, 400, "invalid_json", "the body must be a JSON object");
      return;
    }
    try {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      out.put("ok", true);
      out.putAll(action.run(body == null ? JSON.createObjectNode() : body));
      ctx.contentType("application/json").result(ConsoleClients.json(out));
    } catch (IllegalArgumentException e) {
      answer(ctx, 400, "invalid_arguments", e.getMessage());
    } catch (SlackMQException e) {
      answer(ctx, 502, e.error(), e.getMessage());
    } catch (IOException e) {
      answer(ctx, 502, "local_slack_unavailable", e.getMessage());
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(field + " is required (a string)");
    }
    return v.asText();
  }

  private static void answer(Context ctx, int status, String error, String message) {
    ctx.status(status)
        .contentType("application/json")
        .result(ConsoleClients.json(Map.of("ok", false, "error", error, "message", message)));
  }

  private static void asset(Context ctx, String name, String type) {
    try (InputStream in = ConsoleServer.class.getResourceAsStream("/console/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks console/" + name);
      }
      ctx.contentType(type).result(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void guard(Context ctx, String bound, String password) {
    ctx.header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cache-Control", "no-store");
    String host = ctx.header("Host");
    if (!allowedHost(host, ctx.req().getLocalPort(), bound, password != null)) {
      answer(ctx, 403, "bad_host", "this console answers only requests addressed to it");
      ctx.skipRemainingHandlers();
      return;
    }
    if (password != null && !authorized(ctx.header("Authorization"), password)) {
      ctx.header("WWW-Authenticate", "Basic realm=\"slackmq console\", charset=\"UTF-8\"");
      answer(ctx, 401, "not_authed", "this console needs its password");
      ctx.skipRemainingHandlers();
      return;
    }
    if (ctx.method() == HandlerType.POST) {
      String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
      String origin = ctx.header("Origin");
      if (!type.startsWith("application/json")) {
        answer(ctx, 415, "json_required", "the console's controls take a JSON body");
        ctx.skipRemainingHandlers();
      } else if (origin != null && !origin.equals("http://" + host)) {
        answer(ctx, 403, "bad_origin", "the console's controls answer only its own page");
        ctx.skipRemainingHandlers();
      }
    }
  }

  private static boolean allowedHost(String header, int port, String bound, boolean password) {
    if (header == null) {
      return false;
    }
    String h = header.trim().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    String name = h;
    String givenPort = "80";
    if (colon > 0 && !h.endsWith("]")) {
      name = h.substring(0, colon);
      givenPort = h.substring(colon + 1);
    }
    if (!givenPort.equals(Integer.toString(port))) {
      return false;
    }
    // Bound to every interface, the host may be any of this machine's names: the password
    // (required there) is what keeps others out.
    return LOOPBACK.contains(name)
        || name.equals(bound)
        || (EVERY_INTERFACE.contains(bound) && password);
  }

  private static boolean authorized(String header, String password) {
    if (header == null) {
      return false;
    }
    String given = null;
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).trim();
    } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        given = decoded.substring(decoded.indexOf(':') + 1);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return given != null
        && MessageDigest.isEqual(
            password.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
