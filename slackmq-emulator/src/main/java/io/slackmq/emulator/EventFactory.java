package io.slackmq.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slackmq.emulator.Mutation.MessageDeleted;
import io.slackmq.emulator.Mutation.MessagePosted;
import io.slackmq.emulator.Mutation.MessageUpdated;
import io.slackmq.emulator.Mutation.PinAdded;
import io.slackmq.emulator.Mutation.PinRemoved;
import io.slackmq.emulator.Mutation.ReactionAdded;
import io.slackmq.emulator.Mutation.ReactionRemoved;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns a committed {@link Mutation} into Events API payloads (the outer {@code event_callback}
 * JSON), one per app that should receive it: the app's bot user is a member of the channel, the app
 * subscribes to the event ({@code message.channels}, {@code message.groups}, {@code app_mention},
 * {@code pin_added}, ...) and holds the scope it needs. An app receives its own messages too, as on
 * Slack (Bolt filters them). Call under the workspace lock: it reads state.
 */
final class EventFactory {
  /** One event for one app. */
  record Outbound(App app, String eventId, ObjectNode payload) {}

  private final Workspace workspace;
  private final Ids ids;
  private final AtomicLong counter = new AtomicLong();
  private final Map<String, String> verificationTokens = new ConcurrentHashMap<>();

  EventFactory(Workspace workspace, long seed) {
    this.workspace = workspace;
    this.ids = new Ids(seed ^ 0x5EED_E7E7L);
  }

  List<Outbound> events(Mutation m) {
    List<Outbound> out = new ArrayList<>();
    if (m instanceof MessagePosted p) {
      Channel ch = workspace.channel(p.channel());
      Message msg = ch.message(p.ts());
      for (App app : recipients(ch)) {
        if (subscribedToMessages(app, ch)) {
          out.add(outbound(app, ch, messageEvent(ch, msg)));
        }
        if (msg.text() != null
            && msg.text().contains("<@" + app.botUser.id + ">")
            && wants(app, "app_mention", "app_mentions:read")) {
          out.add(outbound(app, ch, appMention(ch, msg)));
        }
      }
    } else if (m instanceof MessageUpdated u) {
      Channel ch = workspace.channel(u.channel());
      Message msg = ch.message(u.ts());
      ObjectNode event = hiddenMessage(ch, "message_changed", u.editedTs());
      event.set("message", message(ch, msg));
      forMessageSubscribers(ch, event, out);
    } else if (m instanceof MessageDeleted d) {
      Channel ch = workspace.channel(d.channel());
      ObjectNode event = hiddenMessage(ch, "message_deleted", d.deletedAtTs());
      event.put("deleted_ts", Ts.format(d.ts()));
      forMessageSubscribers(ch, event, out);
    } else if (m instanceof PinAdded p) {
      pinEvent(out, "pin_added", p.channel(), p.ts(), p.user(), p.created());
    } else if (m instanceof PinRemoved p) {
      pinEvent(out, "pin_removed", p.channel(), p.ts(), p.user(), 0);
    } else if (m instanceof ReactionAdded r) {
      reactionEvent(out, "reaction_added", r.channel(), r.ts(), r.user(), r.name());
    } else if (m instanceof ReactionRemoved r) {
      reactionEvent(out, "reaction_removed", r.channel(), r.ts(), r.user(), r.name());
    }
    return out;
  }

  /** A per-app legacy verification token (the deprecated {@code token} field), stable per app. */
  String verificationToken(App app) {
    // Cached: an HMAC per event was the largest cost of delivery in the benchmark.
    return verificationTokens.computeIfAbsent(app.id, k -> computeVerificationToken(app));
  }

  private static String computeVerificationToken(App app) {
    return EventsApiPusher.hmacSha256Hex(app.signingSecret, "verification-token:" + app.id)
        .substring(0, 24);
  }

  private List<App> recipients(Channel ch) {
    List<App> apps = new ArrayList<>();
    for (App app : workspace.apps()) {
      if (app.team == ch.team && ch.isMember(app.botUser.id)) {
        apps.add(app);
      }
    }
    return apps;
  }

  private static boolean wants(App app, String event, String scope) {
    return app.events().contains(event) && app.botScopes().contains(scope);
  }

  private static boolean subscribedToMessages(App app, Channel ch) {
    return ch.isPrivate
        ? wants(app, "message.groups", "groups:history")
        : wants(app, "message.channels", "channels:history");
  }

  private void forMessageSubscribers(Channel ch, ObjectNode event, List<Outbound> out) {
    for (App app : recipients(ch)) {
      if (subscribedToMessages(app, ch)) {
        out.add(outbound(app, ch, event.deepCopy()));
      }
    }
  }

  private ObjectNode messageEvent(Channel ch, Message msg) {
    ObjectNode event = message(ch, msg);
    event.put("channel", ch.id);
    event.put("event_ts", Ts.format(msg.ts));
    event.put("channel_type", channelType(ch));
    return event;
  }

  private static ObjectNode appMention(Channel ch, Message msg) {
    ObjectNode event = Json.object().put("type", "app_mention");
    if (msg.user != null) {
      event.put("user", msg.user);
    }
    if (msg.botId != null) {
      event.put("bot_id", msg.botId);
    }
    event
        .put("text", msg.text())
        .put("ts", Ts.format(msg.ts))
        .put("team", ch.team.id)
        .put("channel", ch.id)
        .put("event_ts", Ts.format(msg.ts));
    if (msg.isReply()) {
      event.put("thread_ts", Ts.format(msg.threadTs));
    }
    return event;
  }

  private static ObjectNode hiddenMessage(Channel ch, String subtype, long ts) {
    return Json.object()
        .put("type", "message")
        .put("subtype", subtype)
        .put("hidden", true)
        .put("channel", ch.id)
        .put("ts", Ts.format(ts))
        .put("event_ts", Ts.format(ts))
        .put("channel_type", channelType(ch));
  }

  private void pinEvent(
      List<Outbound> out, String type, String channel, long ts, String user, long created) {
    Channel ch = workspace.channel(channel);
    Message msg = ch.message(ts);
    if (msg == null) {
      return;
    }
    long pinnedAt = created != 0 ? created : workspace.nowSeconds();
    ObjectNode event = Json.object().put("type", type).put("user", user).put("channel_id", ch.id);
    ObjectNode item =
        event
            .putObject("item")
            .put("type", "message")
            .put("channel", ch.id)
            .put("created", pinnedAt)
            .put("created_by", user);
    item.set("message", message(ch, msg));
    if (msg.user != null) {
      event.put("item_user", msg.user);
    }
    int pins = ch.pinCount();
    event.put("pin_count", pins);
    event
        .putObject("pinned_info")
        .put("channel", ch.id)
        .put("pinned_by", user)
        .put("pinned_ts", pinnedAt);
    if (type.equals("pin_removed")) {
      event.put("has_pins", pins > 0);
    }
    event.put("event_ts", nowTs());
    for (App app : recipients(ch)) {
      if (wants(app, type, "pins:read")) {
        out.add(outbound(app, ch, event.deepCopy()));
      }
    }
  }

  private void reactionEvent(
      List<Outbound> out, String type, String channel, long ts, String user, String reaction) {
    Channel ch = workspace.channel(channel);
    Message msg = ch.message(ts);
    ObjectNode event = Json.object().put("type", type).put("user", user).put("reaction", reaction);
    if (msg != null && msg.user != null) {
      event.put("item_user", msg.user);
    }
    event.putObject("item").put("type", "message").put("channel", ch.id).put("ts", Ts.format(ts));
    event.put("event_ts", nowTs());
    for (App app : recipients(ch)) {
      if (wants(app, type, "reactions:read")) {
        out.add(outbound(app, ch, event.deepCopy()));
      }
    }
  }

  private Outbound outbound(App app, Channel ch, ObjectNode event) {
    String eventId = eventId();
    long now = workspace.nowSeconds();
    ObjectNode payload =
        Json.object()
            .put("token", verificationToken(app))
            .put("team_id", app.team.id)
            .put("context_team_id", app.team.id)
            .putNull("context_enterprise_id")
            .put("api_app_id", app.id);
    payload.set("event", event);
    payload.put("type", "event_callback").put("event_id", eventId).put("event_time", now);
    payload
        .putArray("authorizations")
        .addObject()
        .putNull("enterprise_id")
        .put("team_id", app.team.id)
        .put("user_id", app.botUser.id)
        .put("is_bot", true)
        .put("is_enterprise_install", false);
    payload.put("is_ext_shared_channel", false);
    payload.put("event_context", eventContext(app, ch));
    return new Outbound(app, eventId, payload);
  }

  /** Unique: a counter, then seeded letters so ids look like Slack's ({@code Ev0A1B2C3D4E}). */
  private String eventId() {
    String n = Long.toString(counter.incrementAndGet(), 36).toUpperCase(Locale.ROOT);
    String pad = "00000".substring(Math.min(5, n.length()));
    return "Ev" + pad + n + ids.id('x').substring(1, 6);
  }

  private static String eventContext(App app, Channel ch) {
    String json =
        "{\"tid\":\"" + app.team.id + "\",\"aid\":\"" + app.id + "\",\"cid\":\"" + ch.id + "\"}";
    return "4-"
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private String nowTs() {
    return Ts.format(workspace.clock().wallMicros());
  }

  private static String channelType(Channel ch) {
    return ch.isPrivate ? "group" : "channel";
  }

  /** A message exactly as the Web API renders it (no viewer: events carry no is_starred). */
  private static ObjectNode message(Channel ch, Message m) {
    return Render.message(ch, m, null);
  }
}
