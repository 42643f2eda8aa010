package io.slackmq.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.model.Message;

/**
 * A message as a source saw it. {@code eventId} is null for polled/swept messages.
 *
 * @param threadTs the parent's ts for a thread reply (null or equal to ts for a top-level one)
 */
record Incoming(
    String channel,
    String ts,
    String text,
    String user,
    String botId,
    String subtype,
    String threadTs,
    String eventId) {

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
   * {@code app_mention} event; null for anything else.
   */
  static Incoming fromEventPayload(JsonObject payload) {
    if (!"event_callback".equals(str(payload, "type"))
        || !payload.has("event")
        || !payload.get("event").isJsonObject()) {
      return null;
    }
    JsonObject e = payload.getAsJsonObject("event");
    String type = str(e, "type");
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
