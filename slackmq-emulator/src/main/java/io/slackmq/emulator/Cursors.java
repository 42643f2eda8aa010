package io.slackmq.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Slack-style opaque cursors ({@code response_metadata.next_cursor}): base64 of a small {@code
 * kind:value} string, as Slack's own look ({@code dGVhbTpDMDYx...} is {@code team:C061...}).
 */
final class Cursors {
  private Cursors() {}

  static String encode(String kind, String value) {
    return Base64.getEncoder()
        .encodeToString((kind + ":" + value).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The value of a cursor of the given kind, null when none was sent, else {@code invalid_cursor}.
   */
  static String decode(ApiRequest r, String kind) {
    String cursor = r.param("cursor");
    if (cursor == null) {
      return null;
    }
    String text;
    try {
      text = new String(Base64.getDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new SlackError("invalid_cursor");
    }
    if (!text.startsWith(kind + ":") || text.length() == kind.length() + 1) {
      throw new SlackError("invalid_cursor");
    }
    return text.substring(kind.length() + 1);
  }

  /** {@code limit}: absent or 0 gives the default, larger than {@code max} gives the max. */
  static int limit(ApiRequest r, int fallback, int max) {
    int limit = r.intParam("limit", 0);
    if (limit < 0) {
      throw new SlackError("invalid_limit");
    }
    return limit == 0 ? fallback : Math.min(limit, max);
  }
}
