package io.slackmq.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.slackmq.emulator.Workspace.Principal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/<method>} as slack.com serves it: GET or POST, form-encoded or JSON, the token in
 * {@code Authorization: Bearer} or a {@code token} parameter; API errors are HTTP 200 with {@code
 * ok:false}, rate limits HTTP 429 with {@code Retry-After}.
 */
final class WebApi {
  /** Larger bodies are refused before they are read. Slack truncates text at 40,000 characters. */
  static final int MAX_BODY_BYTES = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(WebApi.class);

  /** Runs before a call is dispatched; decides whether to delay or fail it (a fault). */
  interface Interceptor {
    FaultDecision before(String method, Principal principal);
  }

  private final Workspace workspace;
  private final Methods methods;
  private final RateLimiter limiter;
  private final Stats stats;
  private final RequestLog requests;
  private volatile Interceptor interceptor = (m, p) -> FaultDecision.PROCEED;

  WebApi(
      Workspace workspace, Methods methods, RateLimiter limiter, Stats stats, RequestLog requests) {
    this.workspace = workspace;
    this.methods = methods;
    this.limiter = limiter;
    this.stats = stats;
    this.requests = requests;
  }

  /** What {@link #dispatch} learnt of a call, for the request log (the call may fail midway). */
  private static final class Call {
    Map<String, String> params = Map.of();
    Principal principal;

    String caller() {
      if (principal == null) {
        return null;
      }
      return principal.app() != null ? principal.app().name : principal.user().name;
    }
  }

  /**
   * Serves {@code /api/<method>}, and answers in Slack's JSON what Javalin would answer with its
   * own pages: a path that does not decode ({@code /api/%=}: 400, not Jetty's 500) and a path with
   * no method ({@code /api/}: 404 {@code unknown_method}, not an HTML page).
   */
  void routes(Javalin http) {
    http.exception(
        IllegalArgumentException.class,
        (e, ctx) -> ctx.status(400).contentType(JSON).result(error("invalid_request")));
    http.error(
        404,
        ctx -> {
          if (ctx.path().startsWith("/api/") && !JSON.equals(ctx.res().getContentType())) {
            ctx.contentType(JSON).result(error("unknown_method"));
          }
        });
    http.get("/api/{method}", this::handle);
    http.post("/api/{method}", this::handle);
  }

  private static final String JSON = "application/json; charset=utf-8";

  private static String error(String code) {
    return "{\"ok\":false,\"error\":\"" + code + "\"}";
  }

  void interceptor(Interceptor interceptor) {
    this.interceptor = interceptor;
  }

  void handle(Context ctx) {
    String name = ctx.pathParam("method");
    ctx.contentType("application/json; charset=utf-8");
    Call call = new Call();
    String error = null;
    try {
      ObjectNode body = dispatch(name, ctx, call);
      if (body != null) {
        error = body.path("ok").asBoolean(true) ? null : body.path("error").asText(null);
        ctx.result(Json.MAPPER.writeValueAsString(body));
      }
    } catch (SlackError e) {
      error = e.code();
      ObjectNode err = Json.object().put("ok", false).put("error", e.code());
      e.extra().forEach((k, v) -> err.putPOJO(k, v));
      ctx.result(err.toString());
    } catch (io.javalin.http.HttpResponseException e) {
      // Javalin refused the body (over the size limit, unreadable): its status, not a 500.
      ctx.status(e.getStatus());
      error = e.getStatus() == 413 ? "request_too_large" : "invalid_form_data";
      ctx.result("{\"ok\":false,\"error\":\"" + error + "\"}");
    } catch (RuntimeException | JsonProcessingException e) {
      // Never a stack trace to the client; the method name is safe to log, the params may not be.
      log.error("internal error in {}", name, e);
      error = "internal_error";
      ctx.result("{\"ok\":false,\"error\":\"internal_error\"}");
    }
    // Before the answer is sent: a client holding its answer finds its call in the log.
    requests.record(name, call.params, call.caller(), ctx.statusCode(), error);
  }

  private ObjectNode dispatch(String name, Context ctx, Call call) {
    Methods.Method method = methods.get(name);
    if (method == null) {
      ctx.status(404);
      throw new SlackError("unknown_method");
    }
    Map<String, String> params = params(ctx);
    call.params = params;
    String token = token(ctx, params);
    Principal principal = workspace.principal(token);
    call.principal = principal;
    if (method.authRequired()) {
      if (token == null) {
        throw new SlackError("not_authed");
      }
      if (principal == null) {
        throw new SlackError("invalid_auth");
      }
    }
    apply(interceptor.before(name, principal), ctx);
    if (principal != null) {
      String caller = principal.app() != null ? principal.app().id : principal.user().id;
      stats.call(caller, name);
      boolean tier1Profile =
          principal.app() != null
              && principal.app().nonMarketplace2025()
              && (name.equals("conversations.history") || name.equals("conversations.replies"));
      String key =
          principal.team().id
              + "|"
              + caller
              + "|"
              + name
              + (method.perChannel() ? "|" + params.getOrDefault("channel", "") : "");
      long retryAfter = limiter.acquire(key, name, method.tier(), tier1Profile);
      if (retryAfter > 0) {
        stats.rateLimited(caller, name);
        ctx.status(429);
        ctx.header("Retry-After", Long.toString(retryAfter));
        throw new SlackError("ratelimited");
      }
    }
    return method.handler().handle(new ApiRequest(name, params, principal, workspace));
  }

  /** Applies a fault decision: waits out its delays, then fails the call or lets it run. */
  private static void apply(FaultDecision decision, Context ctx) {
    FaultDecision d = decision;
    while (d instanceof FaultDecision.Delay delay) {
      RaceGate.pause(delay.millis());
      d = delay.then();
    }
    if (d instanceof FaultDecision.Fail fail) {
      if (fail.status() != 200) {
        ctx.status(fail.status());
      }
      throw new SlackError(fail.error());
    }
  }

  private static String token(Context ctx, Map<String, String> params) {
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String t = auth.substring(7).trim();
      return t.isEmpty() ? null : t;
    }
    String t = params.get("token");
    return t == null || t.isEmpty() ? null : t;
  }

  /** Query, form and JSON parameters merged; the first value of a repeated parameter wins. */
  private static Map<String, String> params(Context ctx) {
    long length = ctx.contentLength();
    if (length > MAX_BODY_BYTES) {
      ctx.status(413);
      throw new SlackError("request_too_large");
    }
    Map<String, String> params = new HashMap<>();
    ctx.queryParamMap().forEach((k, v) -> putFirst(params, k, v));
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    if (ctx.method().name().equals("POST") && type.startsWith("multipart/")) {
      // Parsed by Javalin from the request stream: reading the body first would consume it.
      RequestBody.read(ctx::formParamMap).forEach((k, v) -> putFirst(params, k, v));
    } else if (ctx.method().name().equals("POST")) {
      byte[] raw = RequestBody.read(ctx::bodyAsBytes);
      if (raw.length > MAX_BODY_BYTES) {
        ctx.status(413);
        throw new SlackError("request_too_large");
      }
      if (type.startsWith("application/json")) {
        jsonParams(new String(raw, StandardCharsets.UTF_8), params);
      } else if (type.startsWith("application/x-www-form-urlencoded")) {
        ctx.formParamMap().forEach((k, v) -> putFirst(params, k, v));
      } else if (raw.length > 0) {
        throw new SlackError("invalid_post_type");
      }
    }
    return params;
  }

  private static void putFirst(Map<String, String> params, String key, List<String> values) {
    if (!values.isEmpty()) {
      params.putIfAbsent(key, values.get(0));
    }
  }

  private static void jsonParams(String body, Map<String, String> params) {
    if (body.isBlank()) {
      return;
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new SlackError("invalid_json");
    }
    if (node == null || !node.isObject()) {
      throw new SlackError("json_not_object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      // Structured values (blocks, attachments) stay JSON text, as in a form post.
      params.putIfAbsent(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
    }
  }
}
