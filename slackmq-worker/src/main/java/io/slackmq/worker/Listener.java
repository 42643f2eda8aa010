package io.slackmq.worker;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registered listener: a regex searched in a message's text, a delivery mode and a handler, with
 * optional allowlists. Returned by {@link SlackMQWorker#listen}; configure it before the worker
 * starts. Listeners are tried in registration order; the first that matches a message handles it.
 */
public final class Listener {
  final Pattern pattern;
  final Delivery delivery;
  final Handler handler;
  final boolean mention;
  private volatile Set<String> channels = Set.of();
  private volatile Set<String> users = Set.of();
  private volatile boolean allowBots;

  Listener(Pattern pattern, Delivery delivery, Handler handler, boolean mention) {
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.mention = mention;
  }

  /** Only messages in these channel ids trigger this listener (default: every served channel). */
  public Listener inChannels(String... channelIds) {
    this.channels = Set.of(channelIds);
    return this;
  }

  /** Only messages from these user ids trigger this listener (default: anyone). */
  public Listener fromUsers(String... userIds) {
    this.users = Set.of(userIds);
    return this;
  }

  /** Whether messages posted by other bots trigger this listener (default false). */
  public Listener allowBots(boolean allow) {
    this.allowBots = allow;
    return this;
  }

  /** The delivery mode. */
  public Delivery delivery() {
    return delivery;
  }

  /**
   * The match of this listener on {@code m}, or null. {@code botUser} is this bot's user id, for
   * mention listeners (the mention is stripped before the regex runs).
   */
  Matcher match(Incoming m, String botUser) {
    if (!channels.isEmpty() && !channels.contains(m.channel())) {
      return null;
    }
    if (m.fromBot() && !allowBots) {
      return null;
    }
    if (!users.isEmpty() && !users.contains(m.user())) {
      return null;
    }
    String text = m.text() == null ? "" : m.text();
    if (mention) {
      String tag = "<@" + botUser + ">";
      if (botUser == null || !text.contains(tag)) {
        return null;
      }
      text = text.replace(tag, "").trim();
    }
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? matcher : null;
  }

  @Override
  public String toString() {
    return (mention ? "mention " : "") + "/" + pattern + "/ " + delivery;
  }
}
