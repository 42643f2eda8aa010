package io.slackmq.emulator;

import io.slackmq.emulator.Mutation.MessagePosted;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * A message or thread reply, with what others did to it since: edits, a pin, reactions, stars and
 * (for a thread parent) the ts of its replies. Read it under the workspace lock; only {@link
 * Workspace}'s apply step calls the mutators, so every change is a committed {@link Mutation}.
 */
final class Message {
  /** Who pinned the message and when (epoch seconds). */
  record Pin(String user, long created) {}

  final long ts;
  final String user;
  final String botId;
  final String appId;
  final Long threadTs;
  final boolean replyBroadcast;
  final String subtype;
  private String text;
  private String editedBy;
  private long editedTs;
  private String metadata;

  /** Emoji name to the users who added it, in order of addition; an emoji with no users goes. */
  private final Map<String, LinkedHashSet<String>> reactions = new LinkedHashMap<>();

  private final Set<String> starredBy = new LinkedHashSet<>();
  private final TreeSet<Long> replies = new TreeSet<>();
  private final Set<String> emojiView = Collections.unmodifiableSet(reactions.keySet());
  private final NavigableSet<Long> repliesView = Collections.unmodifiableNavigableSet(replies);
  private Pin pin;

  Message(MessagePosted p) {
    this.ts = p.ts();
    this.user = p.user();
    this.botId = p.botId();
    this.appId = p.appId();
    this.text = p.text();
    this.threadTs = p.threadTs();
    this.replyBroadcast = p.replyBroadcast();
    this.subtype = p.subtype();
  }

  boolean isReply() {
    return threadTs != null && threadTs != ts;
  }

  String text() {
    return text;
  }

  /** Who last edited the message, or null if nobody did. */
  String editedBy() {
    return editedBy;
  }

  long editedTs() {
    return editedTs;
  }

  /** The pin, or null when the message is not pinned. */
  /** The metadata as stored (canonical JSON), or null. */
  String metadata() {
    return metadata;
  }

  Pin pin() {
    return pin;
  }

  /** The emoji on this message, in order of first use (a live, read-only view). */
  Set<String> emoji() {
    return emojiView;
  }

  /** The users who reacted with {@code name}, in order (read-only; empty if none). */
  Set<String> reactors(String name) {
    Set<String> users = reactions.get(name);
    return users == null ? Set.of() : Collections.unmodifiableSet(users);
  }

  /** How many distinct emoji {@code userId} has put on this message. */
  int reactionsBy(String userId) {
    int n = 0;
    for (Set<String> users : reactions.values()) {
      if (users.contains(userId)) {
        n++;
      }
    }
    return n;
  }

  boolean isStarredBy(String userId) {
    return starredBy.contains(userId);
  }

  /** A thread parent's replies by ts, oldest first (a live, read-only view). */
  NavigableSet<Long> replies() {
    return repliesView;
  }

  // The mutators below are for Workspace's apply step alone.

  void edit(String newText, String by, long at) {
    this.text = newText;
    this.editedBy = by;
    this.editedTs = at;
  }

  void setMetadata(String json) {
    this.metadata = json;
  }

  void addPin(String by, long created) {
    this.pin = new Pin(by, created);
  }

  void removePin() {
    this.pin = null;
  }

  void addReaction(String name, String userId) {
    reactions.computeIfAbsent(name, k -> new LinkedHashSet<>()).add(userId);
  }

  void removeReaction(String name, String userId) {
    LinkedHashSet<String> users = reactions.get(name);
    if (users != null) {
      users.remove(userId);
      if (users.isEmpty()) {
        reactions.remove(name);
      }
    }
  }

  void addStar(String userId) {
    starredBy.add(userId);
  }

  void removeStar(String userId) {
    starredBy.remove(userId);
  }

  void addReply(long replyTs) {
    replies.add(replyTs);
  }

  void removeReply(long replyTs) {
    replies.remove(replyTs);
  }
}
