package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Mutation.PinAdded;
import io.slackmq.emulator.Mutation.PinRemoved;
import io.slackmq.emulator.Workspace.TokenKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * pins.add, pins.remove, pins.list. A pin is exclusive per message: anyone's pin makes the next
 * pins.add {@code already_pinned}, and that check is atomic with the commit ({@link #addPin}).
 */
final class PinsMethods {
  /** Join and leave notices are "channel join messages", which Slack will not pin. */
  private static final Set<String> NOT_PINNABLE =
      Set.of("channel_join", "channel_leave", "group_join", "group_leave");

  private PinsMethods() {}

  static void register(Methods methods) {
    methods.add("pins.add", Tier.TIER_2, PinsMethods::add);
    methods.add("pins.remove", Tier.TIER_2, PinsMethods::remove);
    methods.add("pins.list", Tier.TIER_2, PinsMethods::list);
  }

  private static ObjectNode add(ApiRequest r) {
    Workspace ws = r.workspace();
    MessageRef ref =
        ws.locked(
            () -> {
              MessageRef resolved =
                  MessageRef.resolve(r, "pins:write", TokenKind.BOT, TokenKind.USER);
              r.requireMember(resolved.channel(ws));
              Message m = resolved.message(ws);
              if (m.subtype != null && NOT_PINNABLE.contains(m.subtype)) {
                throw new SlackError("not_pinnable");
              }
              return resolved;
            });
    addPin(ws, ref, r.principal().user().id);
    return Json.ok();
  }

  /**
   * The exclusive step of pins.add: {@code already_pinned} or {@code too_many_pins}, else the pin
   * is committed; check and commit happen under one hold of the lock, so of any number of
   * concurrent callers exactly one wins, unless the race-window fault is open ({@link
   * Workspace#commitExclusive}).
   */
  static void addPin(Workspace ws, MessageRef ref, String user) {
    ws.commitExclusive(
        () -> {
          Message m = ref.message(ws);
          if (m.pin() != null) {
            throw new SlackError("already_pinned");
          }
          if (ref.channel(ws).pinCount() >= ws.limits().pinsPerChannel()) {
            throw new SlackError("too_many_pins");
          }
          return new PinAdded(ref.channel(), ref.ts(), user, ws.nowSeconds());
        });
  }

  /** Anyone who may pin may unpin: Slack does not check who owns a pin. */
  private static ObjectNode remove(ApiRequest r) {
    Workspace ws = r.workspace();
    ws.locked(
        () -> {
          MessageRef ref = MessageRef.resolve(r, "pins:write", TokenKind.BOT, TokenKind.USER);
          if (ref.message(ws).pin() == null) {
            throw new SlackError(ws.limits().notPinnedError());
          }
          ws.commit(new PinRemoved(ref.channel(), ref.ts(), r.principal().user().id));
        });
    return Json.ok();
  }

  /** Every pin of a channel, newest pin first; no pagination (Slack has none). */
  private static ObjectNode list(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    r.requireScope("pins:read");
    Workspace ws = r.workspace();
    return ws.locked(
        () -> {
          Channel ch = r.channel();
          List<Message> pinned = new ArrayList<>();
          String reader = r.principal().user().id;
          for (Message m : ch.messages().values()) {
            if (m.pin() != null && ws.visibleTo(reader, ch, m)) {
              pinned.add(m);
            }
          }
          pinned.sort(
              Comparator.comparingLong((Message m) -> m.pin().created())
                  .thenComparingLong(m -> m.ts)
                  .reversed());
          ObjectNode ok = Json.ok();
          ArrayNode items = ok.putArray("items");
          String me = r.principal().user().id;
          for (Message m : pinned) {
            items
                .addObject()
                .put("type", "message")
                .put("channel", ch.id)
                .put("created", m.pin().created())
                .put("created_by", m.pin().user())
                .set("message", Render.message(ch, m, me).put("permalink", permalink(ch, m)));
          }
          return ok;
        });
  }

  static String permalink(Channel ch, Message m) {
    return "https://"
        + ch.team.domain
        + ".slack.com/archives/"
        + ch.id
        + "/p"
        + Ts.format(m.ts).replace(".", "");
  }
}
