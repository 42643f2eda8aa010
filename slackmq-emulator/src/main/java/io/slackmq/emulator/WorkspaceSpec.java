package io.slackmq.emulator;

import java.util.List;

/**
 * What a workspace holds, as a config file describes it (see docs/EMULATOR.md for the JSON
 * form). Ids, tokens and secrets are generated, seeded, when the spec is provisioned.
 */
record WorkspaceSpec(List<TeamSpec> teams) {
  static final List<String> DEFAULT_BOT_SCOPES = List.of(
      "app_mentions:read", "channels:history", "channels:join", "channels:manage", "channels:read",
      "chat:write", "groups:history", "groups:read", "groups:write", "pins:read", "pins:write",
      "reactions:read", "reactions:write", "users:read");
  static final List<String> DEFAULT_USER_SCOPES = List.of(
      "channels:history", "channels:join", "channels:manage", "channels:read", "chat:write",
      "groups:history", "groups:read", "groups:write", "pins:read", "pins:write", "reactions:read",
      "reactions:write", "stars:read", "stars:write", "users:read");
  static final List<String> DEFAULT_EVENTS = List.of(
      "message.channels", "message.groups", "app_mention", "pin_added", "pin_removed",
      "reaction_added", "reaction_removed");

  record TeamSpec(String name, String domain, List<AppSpec> apps, List<UserSpec> users,
      List<ChannelSpec> channels) {}

  /** @param scopes bot scopes; null means {@link #DEFAULT_BOT_SCOPES} */
  record AppSpec(String name, List<String> scopes, List<String> events, String requestUrl,
      boolean nonMarketplace2025) {
    AppSpec(String name) {
      this(name, null, null, null, false);
    }
  }

  /** @param scopes user-token scopes; null means {@link #DEFAULT_USER_SCOPES} */
  record UserSpec(String name, List<String> scopes) {
    UserSpec(String name) {
      this(name, null);
    }
  }

  /** @param members app and user names; the channel's creator is the first */
  record ChannelSpec(String name, boolean isPrivate, List<String> members) {}

  /** One channel, #ops, with two apps (so cross-app locking can be tried at once) and a human. */
  static WorkspaceSpec defaults() {
    return new WorkspaceSpec(List.of(new TeamSpec("SlackMQ Local", "slackmq-local",
        List.of(new AppSpec("slackmq-a"), new AppSpec("slackmq-b")),
        List.of(new UserSpec("alice")),
        List.of(new ChannelSpec("ops", false, List.of("alice", "slackmq-a", "slackmq-b"))))));
  }
}
