package io.slackmq.core;

import java.util.List;

/**
 * The Slack primitives the protocol uses, and nothing else. The production implementation ({@link
 * SdkSlackPort}) goes through the official SDK with pacing, retries and counting; the model check
 * drives the same protocol code against an in-memory model of these primitives. Errors are thrown
 * as {@link SlackMQException} with Slack's code.
 */
interface SlackPort {

  /** The result of adding a mark or reaction. */
  enum Added {
    /** Slack said ok. */
    ADDED,
    /** already_pinned / already_reacted / already_starred. */
    ALREADY,
    /**
     * "already" on a retry after our own earlier attempt timed out or got a 5xx: that attempt may
     * have been applied, so the mark may be ours. The ledger decides.
     */
    AMBIGUOUS
  }

  /** Adds a pin, a reaction {@code emoji} (REACTION), or a star, on the message. */
  Added addMark(String channel, String ts, Strategy.Mark mark, String emoji);

  /** Removes a mark; a mark that is not there is fine. */
  void removeMark(String channel, String ts, Strategy.Mark mark, String emoji);

  /**
   * Posts a ledger entry in the message's thread (its text, and its machine part as message
   * metadata); returns the reply's server-assigned ts.
   */
  String postReply(String channel, String threadTs, Ledger.Post post);

  /** Deletes one of our replies; a reply that is already gone is fine. */
  void deleteReply(String channel, String ts);

  /** Reads the message and its whole thread (all pages). */
  ThreadRead readThread(String channel, String ts);

  /** Calls made so far. */
  ApiCalls calls();

  /**
   * A message and its thread as read.
   *
   * @param reactions the parent's reaction names (any user)
   * @param pinned whether the parent is pinned in the channel
   * @param replies replies in ts order, parent excluded
   */
  record ThreadRead(String parentTs, List<String> reactions, boolean pinned, List<Reply> replies) {}

  /**
   * A thread reply: its ts, whether a bot posted it, whether it is a user's entry that counts
   * (user-token mode: this port authenticates as a user, and then any channel member's reply that
   * carries SlackMQ's metadata is a ledger entry, since user tokens' entries carry no bot_id), its
   * text, and its metadata ({@code eventType} null when it has none).
   */
  record Reply(
      String ts,
      boolean bot,
      boolean userEntry,
      String text,
      String eventType,
      java.util.Map<String, Object> payload) {
    /** A reply without metadata (older entries, chatter). */
    Reply(String ts, boolean bot, boolean userEntry, String text) {
      this(ts, bot, userEntry, text, null, java.util.Map.of());
    }
  }
}
