package io.slackmq.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Message metadata as Slack takes it ({@code chat.postMessage} / {@code chat.update}'s {@code
 * metadata}: {@code {"event_type": "...", "event_payload": {flat values}}}) and gives it back (all
 * of it with {@code include_all_metadata}, else {@code event_type} alone). SLACK-FACTS 13.
 */
final class MessageMetadata {
  private MessageMetadata() {}

  /** Slack publishes no size limit; this one stands in for it (metadata_too_large). */
  static final int MAX_BYTES = 8_000;

  /**
   * The {@code metadata} argument of a post or update.
   *
   * @param json the canonical JSON to store; null with {@code present}: remove (an empty object)
   */
  record Arg(boolean present, String json) {
    static final Arg ABSENT = new Arg(false, null);
  }

  /** Checks the argument as Slack does: a malformed one is Slack's error, never a 500. */
  static Arg parse(ApiRequest r) {
    String raw = r.param("metadata");
    if (raw == null || raw.isBlank()) {
      return Arg.ABSENT;
    }
    if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new SlackError("metadata_too_large");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new SlackError("invalid_metadata_format");
    }
    if (node == null || !node.isObject()) {
      throw new SlackError("invalid_metadata_format");
    }
    if (node.isEmpty()) {
      return new Arg(true, null);
    }
    JsonNode type = node.get("event_type");
    JsonNode payload = node.get("event_payload");
    if (type == null
        || !type.isTextual()
        || !type.asText().matches("[A-Za-z0-9_.-]{1,255}")
        || payload == null
        || !payload.isObject()) {
      throw new SlackError("invalid_metadata_schema");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = payload.properties().iterator();
        it.hasNext(); ) {
      JsonNode v = it.next().getValue();
      if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
        throw new SlackError("invalid_metadata_schema"); // flat values only
      }
    }
    ObjectNode canonical = Json.object().put("event_type", type.asText());
    canonical.set("event_payload", payload);
    return new Arg(true, canonical.toString());
  }

  /** What a reader gets: all of it, or the event type alone. */
  static JsonNode render(String json, boolean all) {
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      return all ? node : Json.object().put("event_type", node.path("event_type").asText());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored metadata is not JSON", e); // stored canonical
    }
  }
}
