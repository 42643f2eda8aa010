package io.slackmq.emulator;

import java.util.List;

/**
 * Every change to the workspace, as a value. Method handlers validate a request and then commit one
 * mutation; {@link Workspace#apply} is the only code that changes state. The journal writes
 * mutations before they are applied, and a restart replays them, so the two paths cannot drift.
 */
sealed interface Mutation {
  record TeamCreated(String id, String name, String domain) implements Mutation {}

  record UserCreated(
      String id,
      String teamId,
      String name,
      String realName,
      boolean isBot,
      String botId,
      String appId,
      String token,
      List<String> scopes)
      implements Mutation {
    @Override
    public String toString() {
      return "UserCreated[" + id + " " + name + "]"; // never the token
    }
  }

  record AppCreated(
      String id,
      String teamId,
      String name,
      String botUserId,
      String botId,
      String botToken,
      String appToken,
      String signingSecret,
      List<String> botScopes,
      List<String> events,
      String requestUrl,
      boolean nonMarketplace2025)
      implements Mutation {
    @Override
    public String toString() {
      return "AppCreated[" + id + " " + name + "]"; // never the tokens or the signing secret
    }
  }

  record AppUpdated(
      String id,
      String requestUrl,
      List<String> events,
      List<String> botScopes,
      boolean nonMarketplace2025)
      implements Mutation {}

  record ChannelCreated(
      String id, String teamId, String name, boolean isPrivate, String creator, long created)
      implements Mutation {}

  record MemberJoined(String channel, String user) implements Mutation {}

  record MessagePosted(
      String channel,
      long ts,
      String user,
      String botId,
      String appId,
      String text,
      Long threadTs,
      boolean replyBroadcast,
      String subtype)
      implements Mutation {
    /** The same post at another ts (a duplicate). */
    MessagePosted withTs(long other) {
      return new MessagePosted(
          channel, other, user, botId, appId, text, threadTs, replyBroadcast, subtype);
    }
  }

  /** A message's metadata set ({@code metadata} JSON) or removed (null). */
  record MetadataSet(String channel, long ts, String metadata) implements Mutation {}

  record MessageUpdated(String channel, long ts, String text, String editedBy, long editedTs)
      implements Mutation {}

  record MessageDeleted(String channel, long ts, long deletedAtTs) implements Mutation {}

  record PinAdded(String channel, long ts, String user, long created) implements Mutation {}

  record PinRemoved(String channel, long ts, String user) implements Mutation {}

  record ReactionAdded(String channel, long ts, String user, String name) implements Mutation {}

  record ReactionRemoved(String channel, long ts, String user, String name) implements Mutation {}

  record StarAdded(String channel, long ts, String user) implements Mutation {}

  record StarRemoved(String channel, long ts, String user) implements Mutation {}

  /** Drops every message, pin, reaction and star; keeps teams, users, apps and channels. */
  record ContentReset() implements Mutation {}
}
