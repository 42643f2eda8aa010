package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Mutation.StarAdded;
import io.slackmq.emulator.Mutation.StarRemoved;
import io.slackmq.emulator.Workspace.TokenKind;
import java.util.ArrayList;
import java.util.List;

/**
 * stars.add, stars.remove, stars.list: user tokens only (Slack lists no bot scope; bot and app
 * tokens get {@code not_allowed_token_type}). A star is exclusive per user only. Deprecated by
 * Slack since 2023 ("Save it for later"), still callable.
 */
final class StarsMethods {
  private StarsMethods() {}

  static void register(Methods methods) {
    methods.add("stars.add", Tier.TIER_2, StarsMethods::add);
    methods.add("stars.remove", Tier.TIER_2, StarsMethods::remove);
    methods.add("stars.list", Tier.TIER_3, StarsMethods::list);
  }

  private static ObjectNode add(ApiRequest r) {
    Workspace ws = r.workspace();
    MessageRef ref = ws.locked(() -> MessageRef.resolve(r, "stars:write", TokenKind.USER));
    addStar(ws, ref, r.principal().user().id);
    return Json.ok();
  }

  /**
   * The exclusive step of stars.add: {@code already_starred}, else the star is committed; check and
   * commit happen under one hold of the lock. The race-window fault makes it non-atomic ({@link
   * Workspace#commitExclusive}).
   */
  static void addStar(Workspace ws, MessageRef ref, String user) {
    ws.commitExclusive(
        () -> {
          if (ref.message(ws).isStarredBy(user)) {
            throw new SlackError("already_starred");
          }
          return new StarAdded(ref.channel(), ref.ts(), user);
        });
  }

  private static ObjectNode remove(ApiRequest r) {
    Workspace ws = r.workspace();
    ws.locked(
        () -> {
          MessageRef ref = MessageRef.resolve(r, "stars:write", TokenKind.USER);
          String me = r.principal().user().id;
          if (!ref.message(ws).isStarredBy(me)) {
            throw new SlackError("not_starred");
          }
          ws.commit(new StarRemoved(ref.channel(), ref.ts(), me));
        });
    return Json.ok();
  }

  /** The caller's starred messages (all channels of the team), one page, newest message first. */
  private static ObjectNode list(ApiRequest r) {
    r.requireKind(TokenKind.USER);
    r.requireScope("stars:read");
    Workspace ws = r.workspace();
    String me = r.principal().user().id;
    int limit = Cursors.limit(r, 100, 1000);
    String from = Cursors.decode(r, "star");
    int start = from == null ? 0 : parseOffset(from);
    return ws.locked(
        () -> {
          List<ObjectNode> all = new ArrayList<>();
          for (Channel ch : ws.channels()) {
            if (ch.team != r.principal().team()) {
              continue;
            }
            for (Message m : ch.messages().descendingMap().values()) {
              if (m.isStarredBy(me)) {
                // The emulator does not keep when a star was added: date_create is the message's
                // time.
                ObjectNode item =
                    Json.object()
                        .put("type", "message")
                        .put("channel", ch.id)
                        .put("date_create", m.ts / 1_000_000L);
                item.set(
                    "message",
                    Render.message(ch, m, me).put("permalink", PinsMethods.permalink(ch, m)));
                all.add(item);
              }
            }
          }
          ObjectNode ok = Json.ok();
          ArrayNode items = ok.putArray("items");
          int end = Math.min(all.size(), start + limit);
          for (int i = Math.min(start, end); i < end; i++) {
            items.add(all.get(i));
          }
          ok.putObject("paging")
              .put("count", limit)
              .put("total", all.size())
              .put("page", start / limit + 1)
              .put("pages", Math.max(1, (all.size() + limit - 1) / limit));
          ok.putObject("response_metadata")
              .put(
                  "next_cursor",
                  end < all.size() ? Cursors.encode("star", Integer.toString(end)) : "");
          return ok;
        });
  }

  private static int parseOffset(String value) {
    try {
      return Math.max(0, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw new SlackError("invalid_cursor");
    }
  }
}
