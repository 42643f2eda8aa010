package io.slackmq.worker;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * A registered listener: a regex searched in a message's text, a delivery mode and a handler, with
 * optional allowlists. Patterns are matched by RE2/J in time linear in the text, so no message can
 * make a listener backtrack for seconds or overflow the stack; RE2 syntax has no backreferences or
 * lookaround. Returned by {@link SlackMQWorker#listen}; configure it before the worker starts.
 * Listeners are tried in registration order; the first that matches a message handles it.
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

  /**
   * Compiles a listener pattern.
   *
   * @throws IllegalArgumentException with RE2's reason if the pattern is not valid RE2 syntax
   */
  static Pattern compile(String regex) {
    try {
      return Pattern.compile(Objects.requireNonNull(regex, "regex"));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "listener pattern /"
              + regex
              + "/ is not supported: "
              + e.getMessage()
              + " (patterns are RE2 syntax, matched in linear time: no backreferences or"
              + " lookaround)",
          e);
    }
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

  /**
   * Runs the handler on {@code ctx}, counted as active and timed ({@code slackmq.job.*}). An {@link
   * Error} the handler throws (an assertion, a stack overflow, a missing class) fails the attempt
   * like an exception, wrapped in an {@link ExecutionException}; only a JVM error the process
   * cannot survive ({@link Guard#fatal}) goes through, to fail the worker.
   */
  void run(MessageContext ctx, Counters counters) throws Exception {
    counters.active.incrementAndGet();
    long start = System.nanoTime();
    String result = "failure";
    try {
      handler.handle(ctx);
      result = "success";
    } catch (InterruptedException e) {
      result = "interrupted";
      throw e;
    } catch (Error e) {
      if (Guard.fatal(e)) {
        throw e;
      }
      throw new ExecutionException("the handler threw " + e, e);
    } finally {
      counters.active.decrementAndGet();
      counters.meters.job(toString(), result, System.nanoTime() - start);
    }
  }

  @Override
  public String toString() {
    return (mention ? "mention " : "") + "/" + pattern + "/ " + delivery;
  }
}
