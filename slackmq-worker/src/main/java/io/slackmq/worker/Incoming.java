package io.slackmq.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.model.Message;

/**
 * A message as a source saw it, or a mark put on one. {@code eventId} is null for polled/swept
 * messages.
 *
 * @param threadTs the parent's ts for a thread reply (null or equal to ts for a top-level one)
 * @param mark null for a message; for a {@code pin_added} event {@code "pin"}, for a {@code
 *     reaction_added} event the emoji name: the message (channel, ts) got that mark
 */
record Incoming(
    String channel,
    String ts,
    String text,
    String user,
    String botId,
    String subtype,
    String threadTs,
    String eventId,
    String mark) {

  /** A message (not a mark). */
  Incoming(
      String channel,
      String ts,
      String text,
      String user,
      String botId,
      String subtype,
      String threadTs,
      String eventId) {
    this(channel, ts, text, user, botId, subtype, threadTs, eventId, null);
  }

  String key() {
    return channel + "/" + ts;
  }

  boolean isThreadReply() {
    return threadTs != null && !threadTs.equals(ts);
  }

  boolean fromBot() {
    return botId != null || "bot_message".equals(subtype);
  }

  /**
   * Parses an Events API outer payload ({@code event_callback}) carrying a {@code message} or
   * {@code app_mention} event, or a {@code pin_added} / {@code reaction_added} mark on a message;
   * null for anything else.
   */
  static Incoming fromEventPayload(JsonObject payload) {
    if (!"event_callback".equals(str(payload, "type"))
        || !payload.has("event")
        || !payload.get("event").isJsonObject()) {
      return null;
    }
    JsonObject e = payload.getAsJsonObject("event");
    String type = str(e, "type");
    if (("pin_added".equals(type) || "reaction_added".equals(type))
        && e.has("item")
        && e.get("item").isJsonObject()) {
      JsonObject item = e.getAsJsonObject("item");
      String ts =
          "pin_added".equals(type) && item.has("message") && item.get("message").isJsonObject()
              ? str(item.getAsJsonObject("message"), "ts")
              : str(item, "ts");
      String channel = str(item, "channel");
      String mark = "pin_added".equals(type) ? "pin" : str(e, "reaction");
      return channel == null || ts == null || mark == null
          ? null
          : new Incoming(
              channel, ts, null, str(e, "user"), null, null, null, str(payload, "event_id"), mark);
    }
    if (!"message".equals(type) && !"app_mention".equals(type)) {
      return null;
    }
    String channel = str(e, "channel");
    String ts = str(e, "ts");
    if (channel == null || ts == null) {
      return null; // e.g. message_changed carries the ts inside "message"; we skip edits
    }
    return new Incoming(
        channel,
        ts,
        str(e, "text"),
        str(e, "user"),
        str(e, "bot_id"),
        str(e, "subtype"),
        str(e, "thread_ts"),
        str(payload, "event_id"));
  }

  /** A message read from conversations.history. */
  static Incoming fromHistory(String channel, Message m) {
    return new Incoming(
        channel,
        m.getTs(),
        m.getText(),
        m.getUser(),
        m.getBotId(),
        m.getSubtype(),
        m.getThreadTs(),
        null);
  }

  private static String str(JsonObject o, String field) {
    JsonElement v = o.get(field);
    return v == null || v.isJsonNull() || !v.isJsonPrimitive() ? null : v.getAsString();
  }
}
