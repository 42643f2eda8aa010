package io.slackmq.worker;

import io.slackmq.core.Lease;
import java.util.List;
import java.util.Optional;

/**
 * The message a {@link Handler} is handling, and what it may do about it. Reply methods call Slack
 * (paced, 429-aware) and throw {@link io.slackmq.core.SlackMQException} with Slack's error code.
 * Not meant to be kept after the handler returns.
 */
public interface MessageContext {

  /** The message text as Slack sent it (mentions as {@code <@U...>}). */
  String text();

  /** The channel id. */
  String channel();

  /** The message ts, its id within the channel. */
  String ts();

  /** The author's user id; null for messages posted by a bot without a user. */
  String user();

  /** The listener's regex group {@code i} (0 = the whole match); null if it did not match. */
  String group(int i);

  /** A named regex group; null if it did not match. */
  String group(String name);

  /** Groups 1..n of the listener's regex. */
  List<String> groups();

  /** Posts {@code text} in the message's channel; returns the new message's ts. */
  String reply(String text);

  /** Posts {@code text} in the message's thread; returns the reply's ts. */
  String replyInThread(String text);

  /** Adds the reaction {@code emoji} (a name without colons) to the message. */
  void react(String emoji);

  /** The lease held while handling (ONE and ROLLING); empty for ALL. Extend it for long work. */
  Optional<Lease> lease();

  /** This worker's id (the lock client's, as written in the ledger). */
  String workerId();

  /** The listener's delivery mode. */
  Delivery delivery();

  /** 1 for the first attempt at this message, more after failed attempts. */
  int attempt();
}
