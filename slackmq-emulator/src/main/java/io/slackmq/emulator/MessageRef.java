package io.slackmq.emulator;

import io.slackmq.emulator.Workspace.TokenKind;

/**
 * A message named by {@code channel} + {@code timestamp}, as pins.*, reactions.* and stars.* take
 * it. Resolved under the lock, then looked up again by the step that commits, so a message deleted
 * in between gives {@code message_not_found} rather than a broken state.
 */
record MessageRef(String channel, long ts) {

  /**
   * Checks the token kind and scope, then resolves {@code channel} and {@code timestamp}: {@code
   * channel_not_found}, {@code no_item_specified}, {@code bad_timestamp}, {@code
   * message_not_found}. Call under the lock.
   */
  static MessageRef resolve(ApiRequest r, String scope, TokenKind... kinds) {
    r.requireKind(kinds);
    r.requireScope(scope);
    Channel ch = r.channel();
    Message m = r.message(ch, "timestamp");
    return new MessageRef(ch.id, m.ts);
  }

  Channel channel(Workspace workspace) {
    return workspace.channel(channel);
  }

  /** The message as it is now, or {@code message_not_found}. Call under the lock. */
  Message message(Workspace workspace) {
    Channel ch = workspace.channel(channel);
    Message m = ch == null ? null : ch.message(ts);
    if (m == null) {
      throw new SlackError("message_not_found");
    }
    return m;
  }
}
