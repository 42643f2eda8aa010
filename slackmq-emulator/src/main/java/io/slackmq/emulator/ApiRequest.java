package io.slackmq.emulator;

import io.slackmq.emulator.Workspace.Principal;
import io.slackmq.emulator.Workspace.TokenKind;
import java.util.Arrays;
import java.util.Map;

/**
 * One Web API call as a handler sees it: the method, its parameters (first value of each; Slack
 * SDKs sometimes repeat one), the caller, and helpers that turn bad arguments into Slack's own
 * error codes.
 */
record ApiRequest(
    String method, Map<String, String> params, Principal principal, Workspace workspace) {

  String param(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  String param(String name, String fallback) {
    String v = param(name);
    return v == null ? fallback : v;
  }

  boolean flag(String name) {
    String v = param(name);
    return v != null && (v.equals("true") || v.equals("1"));
  }

  int intParam(String name, int fallback) {
    String v = param(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new SlackError("invalid_arguments");
    }
  }

  /** A required parameter, or the given Slack error when it is missing. */
  String require(String name, String errorIfMissing) {
    String v = param(name);
    if (v == null) {
      throw new SlackError(errorIfMissing);
    }
    return v;
  }

  void requireKind(TokenKind... allowed) {
    if (!Arrays.asList(allowed).contains(principal.kind())) {
      throw new SlackError("not_allowed_token_type");
    }
  }

  /** Fails with {@code missing_scope} (plus {@code needed} and {@code provided}) unless granted. */
  void requireScope(String scope) {
    if (!principal.scopes().contains(scope)) {
      throw new SlackError(
          "missing_scope",
          Map.of("needed", scope, "provided", String.join(",", principal.scopes())));
    }
  }

  /**
   * The channel named by {@code channel} (or another parameter), visible to the caller. Call under
   * the lock.
   */
  Channel channel(String paramName) {
    String id = param(paramName);
    Channel ch = id == null ? null : workspace.channel(id);
    if (ch == null || ch.team != principal.team()) {
      throw new SlackError("channel_not_found");
    }
    if (ch.isPrivate && !ch.isMember(principal.user().id)) {
      throw new SlackError("channel_not_found"); // private channels are invisible to non-members
    }
    return ch;
  }

  Channel channel() {
    return channel("channel");
  }

  /** Requires the caller to be a member of the channel ({@code not_in_channel}). */
  void requireMember(Channel ch) {
    if (!ch.isMember(principal.user().id)) {
      throw new SlackError("not_in_channel");
    }
  }

  /** The message at {@code timestamp} (or another parameter) in a channel. Call under the lock. */
  Message message(Channel ch, String paramName) {
    String raw = param(paramName);
    if (raw == null) {
      throw new SlackError("no_item_specified");
    }
    Message m = ch.message(Ts.parse(raw));
    if (m == null) {
      throw new SlackError("message_not_found");
    }
    return m;
  }
}
