package io.slackmq.core;

import com.slack.api.methods.SlackApiTextResponse;
import java.util.Map;

/** What to do about a Slack error code. */
final class Hints {
  private Hints() {}

  private static final Map<String, String> HINTS =
      Map.ofEntries(
          Map.entry(
              "invalid_auth",
              "the token is invalid (wrong, revoked or for another workspace);"
                  + " check the token"),
          Map.entry("not_authed", "no token was sent; configure the token"),
          Map.entry(
              "token_revoked", "the token was revoked; reinstall the app and use the new token"),
          Map.entry("account_inactive", "the token's user or bot is deactivated"),
          Map.entry(
              "channel_not_found",
              "no such channel for this token; check the channel id and"
                  + " that the app can see the channel"),
          Map.entry("not_in_channel", "the bot is not a member of the channel; invite it"),
          Map.entry("message_not_found", "the message does not exist (deleted?); skip it"),
          Map.entry("thread_not_found", "the message does not exist (deleted?); skip it"),
          Map.entry("bad_timestamp", "the ts is malformed; pass the message's ts (secs.micros)"),
          Map.entry(
              "not_allowed_token_type",
              "this token type cannot call it (STAR needs a user" + " token, xoxp-)"),
          Map.entry(
              "too_many_pins",
              "the channel has too many pins; unpin old messages or use the"
                  + " REACTION strategy"),
          Map.entry("too_many_reactions", "the message has too many reactions"),
          Map.entry("too_many_emoji", "the message has too many distinct emoji"),
          Map.entry(
              "invalid_name",
              "the emoji name is unknown in this workspace; configure an" + " existing one"),
          Map.entry("not_pinnable", "this message cannot be pinned; use the REACTION strategy"),
          Map.entry("is_archived", "the channel is archived"),
          Map.entry("restricted_action", "a workspace setting forbids this action for the app"),
          Map.entry("ratelimited", "rate limited; use fewer workers per app or retry later"),
          Map.entry("rate_limited", "the app posted too many messages; slow down"));

  static String hint(String method, SlackApiTextResponse r) {
    String code = r.getError();
    if ("missing_scope".equals(code)) {
      return method
          + " needs the scope "
          + (r.getNeeded() == null ? "?" : r.getNeeded())
          + " (token has "
          + (r.getProvided() == null ? "?" : r.getProvided())
          + "); add it to the app and reinstall";
    }
    return method
        + ": "
        + HINTS.getOrDefault(
            code,
            "Slack refused the call; see"
                + " https://api.slack.com/methods/"
                + method
                + " for '"
                + code
                + "'");
  }
}
