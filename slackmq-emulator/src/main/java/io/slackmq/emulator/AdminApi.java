package io.slackmq.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.slackmq.emulator.Mutation.AppCreated;
import io.slackmq.emulator.Mutation.ContentReset;
import io.slackmq.emulator.Mutation.UserCreated;
import io.slackmq.emulator.Provisioner.NameTaken;
import io.slackmq.emulator.Provisioner.NotFound;
import io.slackmq.emulator.WorkspaceSpec.AppSpec;
import io.slackmq.emulator.WorkspaceSpec.ChannelSpec;
import io.slackmq.emulator.WorkspaceSpec.UserSpec;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's own API under {@code /_emulator/} (a prefix Slack's {@code /api/} can never clash
 * with): look at and grow the workspace, reset content, read call statistics, change rate limits.
 * Request bodies are JSON in the config file's format; every answer is JSON with {@code ok}; bad
 * input gets a 4xx with {@code error} and a {@code message} that says what to fix. Tokens appear
 * only where asked for ({@code ?secrets=true}) or in the answer that created them.
 */
final class AdminApi {
  static final String PREFIX = "/_emulator/";
  private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

  private interface Handler {
    ObjectNode handle(Context ctx);
  }

  /** Bad input; becomes HTTP 400 with the given error code. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String code;

    BadRequest(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private final Workspace workspace;
  private final Provisioner provisioner;
  private final RateLimiter limiter;
  private final Stats stats;

  AdminApi(Workspace workspace, Provisioner provisioner, RateLimiter limiter, Stats stats) {
    this.workspace = workspace;
    this.provisioner = provisioner;
    this.limiter = limiter;
    this.stats = stats;
  }

  void routes(Javalin http) {
    http.get(PREFIX + "workspace", json(this::workspace));
    http.post(PREFIX + "teams", json(this::createTeam));
    http.post(PREFIX + "apps", json(this::createApp));
    http.post(PREFIX + "users", json(this::createUser));
    http.post(PREFIX + "channels", json(this::createChannel));
    http.post(PREFIX + "channels/{id}/members", json(this::addMembers));
    http.post(PREFIX + "reset", json(this::reset));
    http.get(PREFIX + "stats", json(ctx -> Json.ok().set("stats", stats.toJson())));
    http.get(PREFIX + "rate-limits", json(ctx -> rateLimits()));
    http.post(PREFIX + "rate-limits", json(this::setRateLimits));
    Handler unknown =
        ctx -> {
          ctx.status(404);
          throw new BadRequest(
              "unknown_endpoint",
              ctx.method()
                  + " "
                  + ctx.path()
                  + " is not part of the admin API (see docs/EMULATOR.md, \"Admin API\")");
        };
    http.get(PREFIX + "*", json(unknown));
    http.post(PREFIX + "*", json(unknown));
  }

  private ObjectNode workspace(Context ctx) {
    boolean secrets = "true".equals(ctx.queryParam("secrets"));
    return workspace.locked(
        () -> {
          ObjectNode out = Json.ok();
          ArrayNode teams = out.putArray("teams");
          workspace.teams().forEach(t -> teams.add(team(t)));
          ArrayNode apps = out.putArray("apps");
          workspace.apps().forEach(a -> apps.add(app(a, secrets)));
          ArrayNode users = out.putArray("users");
          for (User u : workspace.users()) {
            ObjectNode user =
                users
                    .addObject()
                    .put("id", u.id)
                    .put("team_id", u.team.id)
                    .put("name", u.name)
                    .put("is_bot", u.isBot);
            if (u.isBot) {
              user.put("bot_id", u.botId).put("app_id", u.appId);
            } else if (secrets) {
              workspace.principalsOf(u).forEach(token -> user.put("token", token));
            }
          }
          ArrayNode channels = out.putArray("channels");
          workspace.channels().forEach(c -> channels.add(channel(c)));
          return out;
        });
  }

  private ObjectNode createTeam(Context ctx) {
    ObjectNode body = body(ctx);
    String name = text(body, "name", true);
    String domain = text(body, "domain", false);
    WorkspaceSpec.TeamSpec spec = new WorkspaceSpec.TeamSpec(name, domain, null, null, null);
    String id = provisioner.createTeam(spec.name(), spec.domain());
    ctx.status(201);
    return Json.ok().set("team", workspace.locked(() -> team(workspace.team(id))));
  }

  private ObjectNode createApp(Context ctx) {
    ObjectNode body = body(ctx);
    Team team = team(body);
    AppCreated created =
        provisioner.createApp(team.id, WorkspaceSpec.fromJson(body, AppSpec.class));
    ctx.status(201);
    return Json.ok().set("app", workspace.locked(() -> app(workspace.app(created.id()), true)));
  }

  private ObjectNode createUser(Context ctx) {
    ObjectNode body = body(ctx);
    Team team = team(body);
    UserCreated created =
        provisioner.createUser(team.id, WorkspaceSpec.fromJson(body, UserSpec.class));
    ctx.status(201);
    ObjectNode user =
        Json.object()
            .put("id", created.id())
            .put("team_id", team.id)
            .put("name", created.name())
            .put("token", created.token());
    user.set("scopes", Json.MAPPER.valueToTree(created.scopes()));
    return Json.ok().set("user", user);
  }

  private ObjectNode createChannel(Context ctx) {
    ObjectNode body = body(ctx);
    Team team = team(body);
    String id = provisioner.createChannel(team.id, WorkspaceSpec.fromJson(body, ChannelSpec.class));
    ctx.status(201);
    return Json.ok().set("channel", workspace.locked(() -> channel(workspace.channel(id))));
  }

  private ObjectNode addMembers(Context ctx) {
    ObjectNode body = body(ctx);
    JsonNode users = body.has("users") ? body.get("users") : body.get("user");
    if (users == null || !(users.isArray() || users.isTextual()) || body.size() != 1) {
      throw new BadRequest(
          "invalid_request",
          "expected {\"user\": \"<name or id>\"} or {\"users\": [\"<name or id>\", ...]}");
    }
    String channelId = ctx.pathParam("id");
    for (JsonNode u : users.isArray() ? users : Json.array().add(users)) {
      if (!u.isTextual()) {
        throw new BadRequest(
            "invalid_request", "members are names or user ids (strings), got " + u);
      }
      provisioner.join(channelId, u.asText());
    }
    return Json.ok().set("channel", workspace.locked(() -> channel(workspace.channel(channelId))));
  }

  private ObjectNode reset(Context ctx) {
    workspace.commit(new ContentReset());
    boolean resetStats = "true".equals(ctx.queryParam("stats"));
    if (resetStats) {
      stats.reset();
    }
    return Json.ok().put("stats_reset", resetStats);
  }

  private ObjectNode rateLimits() {
    ObjectNode out =
        Json.ok()
            .put("mode", limiter.mode().name().toLowerCase(Locale.ROOT))
            .put("time_scale", limiter.timeScale());
    ObjectNode limits = out.putObject("limits");
    new java.util.TreeMap<>(limiter.custom()).forEach(limits::put);
    return out;
  }

  private ObjectNode setRateLimits(Context ctx) {
    ObjectNode body = body(ctx);
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("mode") && !field.equals("limits")) {
        throw new BadRequest(
            "invalid_request", "unknown field '" + field + "' (known: mode, limits)");
      }
    }
    String modeText = text(body, "mode", true);
    RateLimiter.Mode mode;
    try {
      mode = RateLimiter.Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest(
          "invalid_request", "mode must be off, slack or custom, was '" + modeText + "'");
    }
    Map<String, Integer> limits = null;
    JsonNode given = body.get("limits");
    if (given != null) {
      if (!given.isObject()) {
        throw new BadRequest(
            "invalid_request", "limits must be an object {\"<method>\": <calls per minute>}");
      }
      limits = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = given.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().canConvertToInt()
            || !e.getValue().isIntegralNumber()
            || e.getValue().asInt() < 0) {
          throw new BadRequest(
              "invalid_request",
              "limit of "
                  + e.getKey()
                  + " must be a whole number of calls per minute >= 0 (0: unlimited), was "
                  + e.getValue());
        }
        limits.put(e.getKey(), e.getValue().asInt());
      }
    }
    limiter.configure(mode, limits);
    return rateLimits();
  }

  private Team team(ObjectNode body) {
    String team = text(body, "team", false);
    body.remove("team");
    return provisioner.team(team);
  }

  private static ObjectNode team(Team t) {
    return Json.object().put("id", t.id).put("name", t.name).put("domain", t.domain);
  }

  private static ObjectNode app(App a, boolean secrets) {
    ObjectNode app =
        Json.object()
            .put("id", a.id)
            .put("team_id", a.team.id)
            .put("name", a.name)
            .put("bot_user_id", a.botUser.id)
            .put("bot_id", a.botId)
            .put("request_url", a.requestUrl())
            .put("non_marketplace_2025", a.nonMarketplace2025());
    app.set("scopes", Json.MAPPER.valueToTree(a.botScopes()));
    app.set("events", Json.MAPPER.valueToTree(a.events()));
    if (secrets) {
      app.put("bot_token", a.botToken)
          .put("app_token", a.appToken)
          .put("signing_secret", a.signingSecret);
    }
    return app;
  }

  private static ObjectNode channel(Channel c) {
    ObjectNode ch =
        Json.object()
            .put("id", c.id)
            .put("team_id", c.team.id)
            .put("name", c.name)
            .put("is_private", c.isPrivate)
            .put("creator", c.creator);
    ArrayNode members = ch.putArray("members");
    c.members().forEach(members::add);
    return ch;
  }

  private static ObjectNode body(Context ctx) {
    String raw = RequestBody.read(ctx::body);
    if (raw.isBlank()) {
      throw new BadRequest("invalid_json", "a JSON object body is required");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new BadRequest("invalid_json", "the body is not JSON: " + WorkspaceSpec.problem(e));
    }
    if (node == null || !node.isObject()) {
      throw new BadRequest("invalid_json", "the body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private static String text(ObjectNode body, String field, boolean required) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new BadRequest("invalid_request", "field '" + field + "' is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new BadRequest("invalid_request", "field '" + field + "' must be a string, was " + v);
    }
    return v.asText();
  }

  /** Runs a handler and turns every failure into a JSON answer: never a stack trace. */
  private static io.javalin.http.Handler json(Handler handler) {
    return ctx -> {
      ctx.contentType("application/json; charset=utf-8");
      ObjectNode out;
      try {
        out = handler.handle(ctx);
      } catch (BadRequest e) {
        out = error(ctx, ctx.status().getCode() == 404 ? 404 : 400, e.code, e.getMessage());
      } catch (NotFound e) {
        out = error(ctx, 404, "not_found", e.getMessage());
      } catch (NameTaken e) {
        out = error(ctx, 409, "name_taken", e.getMessage());
      } catch (IllegalArgumentException | ArithmeticException e) {
        out = error(ctx, 400, "invalid_request", e.getMessage());
      } catch (io.javalin.http.HttpResponseException e) {
        // Javalin's own refusals, e.g. a body over the size limit: their status, not a 500.
        int status = e.getStatus();
        out = error(ctx, status, status == 413 ? "request_too_large" : "invalid_request", "");
      } catch (RuntimeException e) {
        log.error("admin API {} {} failed", ctx.method(), ctx.path(), e);
        out = error(ctx, 500, "internal_error", "the emulator failed; its log has the details");
      }
      ctx.result(out.toString());
    };
  }

  private static ObjectNode error(Context ctx, int status, String code, String message) {
    ctx.status(status);
    return Json.object().put("ok", false).put("error", code).put("message", message);
  }
}
