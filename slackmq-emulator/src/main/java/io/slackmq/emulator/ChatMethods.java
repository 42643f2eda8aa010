package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Methods.Method;
import io.slackmq.emulator.Mutation.MessageDeleted;
import io.slackmq.emulator.Mutation.MessagePosted;
import io.slackmq.emulator.Mutation.MessageUpdated;
import io.slackmq.emulator.Workspace.Principal;
import io.slackmq.emulator.Workspace.TokenKind;
import java.util.regex.Pattern;

/** chat.postMessage, chat.update, chat.delete, chat.getPermalink. */
final class ChatMethods {
  /** Slack refuses longer texts ({@code msg_too_long}); it advises keeping to 4,000. */
  static final int MAX_TEXT = 40_000;

  private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");

  private ChatMethods() {}

  static void register(Methods methods) {
    // Slack limits posting per channel ("1 message per second to a specific channel").
    methods.put(
        new Method("chat.postMessage", Tier.SPECIAL_POST, true, true, ChatMethods::postMessage));
    methods.add("chat.update", Tier.TIER_3, ChatMethods::update);
    methods.add("chat.delete", Tier.TIER_3, ChatMethods::delete);
    methods.add("chat.getPermalink", Tier.SPECIAL_AUTH, ChatMethods::getPermalink);
  }

  /**
   * {@code {ok, channel, permalink}}; a reply's link names its thread ({@code
   * ?thread_ts=...&cid=...}), as Slack's does. No scope needed; {@code channel_not_found} (also for
   * a private channel the caller is not in), {@code message_not_found} (also for a missing or
   * malformed {@code message_ts}).
   */
  private static ObjectNode getPermalink(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    Workspace ws = r.workspace();
    return ws.locked(
        () -> {
          Channel ch = r.channel();
          String raw = r.require("message_ts", "message_not_found");
          Message m;
          try {
            m = ch.message(Ts.parse(raw));
          } catch (SlackError e) {
            m = null;
          }
          if (m == null) {
            throw new SlackError("message_not_found");
          }
          String link = PinsMethods.permalink(ch, m);
          if (m.isReply()) {
            link += "?thread_ts=" + Ts.format(m.threadTs) + "&cid=" + ch.id;
          }
          return Json.ok().put("channel", ch.id).put("permalink", link);
        });
  }

  private static ObjectNode postMessage(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    r.requireScope("chat:write");
    String text = text(r);
    MessageMetadata.Arg meta = MessageMetadata.parse(r);
    Workspace ws = r.workspace();
    return ws.locked(
        () -> {
          Channel ch = channelByIdOrName(r);
          r.requireMember(ch);
          Long threadTs = threadTs(r, ch);
          boolean broadcast = threadTs != null && r.flag("reply_broadcast");
          Principal p = r.principal();
          boolean bot = p.kind() == TokenKind.BOT;
          long ts = ws.nextTs(ch);
          Consistency.Fate fate = ws.postFate(ch);
          MessagePosted post =
              new MessagePosted(
                  ch.id,
                  ts,
                  p.user().id,
                  bot ? p.app().botId : null,
                  bot ? p.app().id : null,
                  text,
                  threadTs,
                  broadcast,
                  broadcast ? "thread_broadcast" : null);
          ObjectNode ok = Json.ok().put("channel", ch.id).put("ts", Ts.format(ts));
          if (fate == Consistency.Fate.LOST) {
            // Answered ok as Slack does past a burst, stored nowhere: the answer shows the
            // message as it would have been.
            return ok.set("message", Render.unstored(post, p));
          }
          store(ws, post, meta);
          if (fate == Consistency.Fate.DUPLICATED) {
            store(ws, post.withTs(ws.nextTs(ch)), meta); // a second copy, as a retry makes
          }
          return ok.set("message", Render.message(ch, ch.message(ts), p.user().id, true));
        });
  }

  private static void store(Workspace ws, MessagePosted post, MessageMetadata.Arg meta) {
    ws.commit(post);
    if (meta.json() != null) {
      ws.commit(new Mutation.MetadataSet(post.channel(), post.ts(), meta.json()));
    }
  }

  private static ObjectNode update(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    r.requireScope("chat:write");
    r.require("ts", "message_not_found");
    String text = text(r);
    MessageMetadata.Arg meta = MessageMetadata.parse(r);
    Workspace ws = r.workspace();
    return ws.locked(
        () -> {
          Channel ch = r.channel();
          Message m = r.message(ch, "ts");
          String me = r.principal().user().id;
          if (!me.equals(m.user) || m.subtype != null && !m.subtype.equals("thread_broadcast")) {
            throw new SlackError("cant_update_message");
          }
          ws.commit(new MessageUpdated(ch.id, m.ts, text, me, ws.nextTs(ch)));
          if (meta.present()) { // absent keeps the metadata; an empty object removes it
            ws.commit(new Mutation.MetadataSet(ch.id, m.ts, meta.json()));
          }
          return Json.ok()
              .put("channel", ch.id)
              .put("ts", Ts.format(m.ts))
              .put("text", text)
              .set("message", Render.message(ch, m, me, true));
        });
  }

  private static ObjectNode delete(ApiRequest r) {
    r.requireKind(TokenKind.BOT, TokenKind.USER);
    r.requireScope("chat:write");
    r.require("ts", "message_not_found");
    Workspace ws = r.workspace();
    return ws.locked(
        () -> {
          Channel ch = r.channel();
          Message m = r.message(ch, "ts");
          // Bots may delete only their own posts; so may humans here (no admins in the emulator).
          if (!r.principal().user().id.equals(m.user)) {
            throw new SlackError("cant_delete_message");
          }
          ws.commit(new MessageDeleted(ch.id, m.ts, ws.nextTs(ch)));
          return Json.ok().put("channel", ch.id).put("ts", Ts.format(m.ts));
        });
  }

  /** {@code text}, or "" when blocks or attachments carry the content; else {@code no_text}. */
  private static String text(ApiRequest r) {
    String text = r.param("text");
    if (text == null) {
      if (r.param("blocks") == null && r.param("attachments") == null) {
        throw new SlackError("no_text");
      }
      return "";
    }
    if (text.length() > MAX_TEXT) {
      throw new SlackError("msg_too_long");
    }
    return text;
  }

  /** Slack accepts a channel id, or a name with or without {@code #}. */
  private static Channel channelByIdOrName(ApiRequest r) {
    String raw = r.require("channel", "channel_not_found");
    if (CHANNEL_ID.matcher(raw).matches() && r.workspace().channel(raw) != null) {
      return r.channel();
    }
    String name = raw.startsWith("#") ? raw.substring(1) : raw;
    for (Channel ch : r.workspace().channels()) {
      if (ch.team == r.principal().team()
          && ch.name.equals(name)
          && (!ch.isPrivate || ch.isMember(r.principal().user().id))) {
        return ch;
      }
    }
    throw new SlackError("channel_not_found");
  }

  /**
   * The thread a reply goes to: {@code invalid_thread_ts} when malformed, {@code thread_not_found}
   * when no such message (or one that cannot be threaded). A reply's ts means its thread.
   */
  private static Long threadTs(ApiRequest r, Channel ch) {
    String raw = r.param("thread_ts");
    if (raw == null) {
      return null;
    }
    long ts;
    try {
      ts = Ts.parse(raw);
    } catch (SlackError e) {
      throw new SlackError("invalid_thread_ts");
    }
    Message parent = ch.message(ts);
    if (parent == null || !ConversationsMethods.threadable(parent)) {
      throw new SlackError("thread_not_found");
    }
    return parent.isReply() ? parent.threadTs : parent.ts;
  }
}
