package io.slackmq.emulator;

import java.util.Map;

/**
 * A Slack API error: becomes {@code {"ok":false,"error":code, ...extra}} with HTTP 200, as
 * slack.com answers. Thrown by method handlers; never carries a token.
 */
final class SlackError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final Map<String, Object> extra;

  SlackError(String code) {
    this(code, Map.of());
  }

  SlackError(String code, Map<String, Object> extra) {
    super(code, null, false, false);
    this.code = code;
    this.extra = extra;
  }

  String code() {
    return code;
  }

  /** Extra top-level fields of the error response, e.g. {@code needed}/{@code provided}. */
  Map<String, Object> extra() {
    return extra;
  }
}
