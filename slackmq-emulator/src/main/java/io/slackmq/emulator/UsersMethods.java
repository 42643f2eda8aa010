package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Workspace.TokenKind;
import java.util.ArrayList;
import java.util.List;

/** users.info, users.list and bots.info (Bolt calls bots.info for events that carry a bot_id). */
final class UsersMethods {
  private UsersMethods() {}

  static void register(Methods methods) {
    methods.add("users.info", Tier.TIER_4, UsersMethods::info);
    methods.add("users.list", Tier.TIER_2, UsersMethods::list);
    methods.add("bots.info", Tier.TIER_3, UsersMethods::botsInfo);
  }

  private static ObjectNode info(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    r.requireScope("users:read");
    String id = r.require("user", "user_not_found");
    return r.workspace()
        .locked(
            () -> {
              User user = r.workspace().user(id);
              if (user == null || user.team != r.principal().team()) {
                throw new SlackError("user_not_found");
              }
              return Json.ok().set("user", user(user));
            });
  }

  private static ObjectNode list(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    r.requireScope("users:read");
    int limit = Cursors.limit(r, 1000, 1000);
    String from = Cursors.decode(r, "user");
    return r.workspace()
        .locked(
            () -> {
              List<User> team = new ArrayList<>();
              for (User u : r.workspace().users()) {
                if (u.team == r.principal().team()) {
                  team.add(u);
                }
              }
              int start = from == null ? 0 : indexOf(team, from);
              int end = Math.min(team.size(), start + limit);
              ObjectNode ok = Json.ok();
              ArrayNode members = ok.putArray("members");
              team.subList(start, end).forEach(u -> members.add(user(u)));
              ok.put("cache_ts", r.workspace().nowSeconds());
              ok.putObject("response_metadata")
                  .put(
                      "next_cursor",
                      end < team.size() ? Cursors.encode("user", team.get(end).id) : "");
              return ok;
            });
  }

  private static int indexOf(List<User> users, String id) {
    for (int i = 0; i < users.size(); i++) {
      if (users.get(i).id.equals(id)) {
        return i;
      }
    }
    throw new SlackError("invalid_cursor");
  }

  private static ObjectNode botsInfo(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    r.requireScope("users:read");
    String id = r.require("bot", "bot_not_found");
    return r.workspace()
        .locked(
            () -> {
              for (App app : r.principal().team().apps()) {
                if (app.botId.equals(id)) {
                  ObjectNode ok = Json.ok();
                  ok.putObject("bot")
                      .put("id", app.botId)
                      .put("deleted", false)
                      .put("name", app.name)
                      .put("updated", 0)
                      .put("app_id", app.id)
                      .put("user_id", app.botUser.id)
                      .putObject("icons");
                  return ok;
                }
              }
              throw new SlackError("bot_not_found");
            });
  }

  private static ObjectNode user(User u) {
    ObjectNode json =
        Json.object()
            .put("id", u.id)
            .put("team_id", u.team.id)
            .put("name", u.name)
            .put("deleted", false)
            .put("real_name", u.realName)
            .put("tz", "Etc/UTC")
            .put("tz_label", "Coordinated Universal Time")
            .put("tz_offset", 0)
            .put("is_admin", false)
            .put("is_owner", false)
            .put("is_bot", u.isBot)
            .put("is_app_user", false)
            .put("updated", 0);
    ObjectNode profile =
        json.putObject("profile")
            .put("real_name", u.realName)
            .put("display_name", u.isBot ? "" : u.name)
            .put("team", u.team.id);
    if (u.isBot) {
      profile.put("bot_id", u.botId).put("api_app_id", u.appId);
    }
    return json;
  }
}
