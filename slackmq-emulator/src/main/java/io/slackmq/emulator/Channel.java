package io.slackmq.emulator;

import io.slackmq.emulator.Mutation.ChannelCreated;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * A public or private channel: its members and its messages by ts. Read it under the workspace lock
 * (the views are live); only {@link Workspace}'s apply step and {@link Workspace#nextTs} call the
 * mutators, so every change but a ts allocation is a committed {@link Mutation}.
 */
final class Channel {
  final String id;
  final Team team;
  final String name;
  final boolean isPrivate;
  final String creator;
  final long created;
  private final Set<String> members = new LinkedHashSet<>();
  private final TreeMap<Long, Message> messages = new TreeMap<>();
  private final Set<String> membersView = Collections.unmodifiableSet(members);
  private final NavigableMap<Long, Message> messagesView =
      Collections.unmodifiableNavigableMap(messages);
  private long lastTs;

  Channel(ChannelCreated c, Team team) {
    this.id = c.id();
    this.team = team;
    this.name = c.name();
    this.isPrivate = c.isPrivate();
    this.creator = c.creator();
    this.created = c.created();
  }

  boolean isMember(String userId) {
    return members.contains(userId);
  }

  /** Member user ids in order of joining (a live, read-only view). */
  Set<String> members() {
    return membersView;
  }

  /** The message with that ts (replies included), or null. */
  Message message(long ts) {
    return messages.get(ts);
  }

  /** Every message and reply by ts, oldest first (a live, read-only view). */
  NavigableMap<Long, Message> messages() {
    return messagesView;
  }

  int pinCount() {
    int n = 0;
    for (Message m : messages.values()) {
      if (m.pin() != null) {
        n++;
      }
    }
    return n;
  }

  /** The newest ts this channel has used (posts, edits, deletions), so new ones stay above it. */
  long lastTs() {
    return lastTs;
  }

  // The mutators below are for Workspace alone (its apply step; observeTs also from nextTs).

  void observeTs(long ts) {
    lastTs = Math.max(lastTs, ts);
  }

  void addMember(String userId) {
    members.add(userId);
  }

  void addMessage(Message m) {
    messages.put(m.ts, m);
  }

  /** Removes and returns the message at {@code ts}, or null if there was none. */
  Message removeMessage(long ts) {
    return messages.remove(ts);
  }

  void clearMessages() {
    messages.clear();
  }
}
