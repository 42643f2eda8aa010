package io.slackmq.core;

import java.util.EnumSet;
import java.util.Objects;

/**
 * The original {@code slackmq} API, for people who come from it: one object per message, {@code
 * ack()} to take it, {@code unack()} when finished. Unlike the original, an error is never "false":
 * it throws {@link SlackMQException} with Slack's error code; {@code unack()} marks the message
 * done (so a late or redelivered copy is skipped) and does not sleep; and a worker that dies loses
 * the message after the lease ttl instead of pinning it forever.
 *
 * <p>The seed's {@code hostname} worker (with any listener, e.g. Bolt's {@code app.message}):
 *
 * <pre>{@code
 * app.message("hostname", (req, ctx) -> {
 *   SlackMQ post = new SlackMQ(client, req.getEvent().getChannel(), req.getEvent().getTs());
 *   if (post.ack()) {
 *     ctx.say("I am running on " + InetAddress.getLocalHost().getHostName() + ".");
 *     post.unack(); // marks it done and removes the pin
 *   }
 *   return ctx.ack();
 * });
 * }</pre>
 *
 * <p>Cheap to create per message: instances built from a token share one SDK client (and its
 * connection pool) per API URL and token in the JVM, and release what they hold when {@code ack()}
 * returns false or throws, and after {@code unack()} or {@code release()}.
 *
 * <p>Not thread-safe: one instance per message and thread.
 */
public final class SlackMQ {
  private final LockClient client;
  private final boolean ownsClient;
  private final String channel;
  private final String ts;
  private final String apiUrl;
  private final String token;
  private Lease lease;

  /** A message on real Slack, locked with the given bot (or user) token. */
  public SlackMQ(String token, String channel, String ts) {
    this(token, channel, ts, "https://slack.com/api/");
  }

  /** A message on the Slack (or emulator) at {@code apiUrl}. */
  public SlackMQ(String token, String channel, String ts, String apiUrl) {
    this.client = null;
    this.ownsClient = true;
    this.token = Objects.requireNonNull(token, "token");
    this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.ts = Objects.requireNonNull(ts, "ts");
  }

  /**
   * A message locked through a shared client (its strategy, ttl and emojis; the {@link #ack(String,
   * boolean)} options are ignored).
   */
  public SlackMQ(LockClient client, String channel, String ts) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = false;
    this.token = null;
    this.apiUrl = null;
    this.channel = Objects.requireNonNull(channel, "channel");
    this.ts = Objects.requireNonNull(ts, "ts");
  }

  /**
   * Pins the message and claims it. True: we hold it now. False: another worker holds it, or it is
   * already done or dead-lettered.
   *
   * @throws SlackMQException on any Slack error ({@code invalid_auth}, {@code ratelimited}...)
   */
  public boolean ack() {
    return ack(null, false);
  }

  /**
   * As the seed's {@code ack(emoji, stars)}: the pin, plus a lock reaction {@code emoji} if not
   * null, plus a star if {@code star} (user tokens only). All must succeed.
   */
  public boolean ack(String emoji, boolean star) {
    if (lease != null && lease.isValid()) {
      return true;
    }
    LockClient c = client != null ? client : ownClient(emoji, star);
    boolean held = false;
    try {
      Outcome outcome = c.acquire(channel, ts);
      if (outcome instanceof Outcome.Failed f) {
        throw f.toException();
      }
      lease = outcome.leaseIfAcquired().orElse(null);
      held = lease != null;
      return held;
    } finally {
      if (!held) {
        closeOwnClient(); // false or an error: nothing to unack, nothing may stay open
      }
    }
  }

  /** The client used by the last ack() while it holds the lease (for tests). */
  LockClient lockClient() {
    return client != null ? client : ownClient;
  }

  /**
   * Finishes: marks the message done, then removes the pin (and reaction, star). No sleeps. No-op
   * if {@link #ack()} did not return true.
   *
   * @throws SlackMQException with Slack's error code, or {@code lease_lost} if the lease expired
   *     and another worker took the message over
   */
  public void unack() {
    if (lease == null) {
      return;
    }
    try {
      lease.complete();
    } finally {
      lease = null;
      closeOwnClient();
    }
  }

  /** Gives the message back for another worker to retry, without marking it done. */
  public void release(String reason) {
    if (lease == null) {
      return;
    }
    try {
      lease.release(reason);
    } finally {
      lease = null;
      closeOwnClient();
    }
  }

  /** The lease taken by the last successful {@link #ack()}, or null. */
  public Lease lease() {
    return lease;
  }

  private LockClient ownClient;

  private LockClient ownClient(String emoji, boolean star) {
    if (ownClient == null) {
      EnumSet<Strategy.Mark> marks = EnumSet.of(Strategy.Mark.PIN);
      if (emoji != null) {
        marks.add(Strategy.Mark.REACTION);
      }
      if (star) {
        marks.add(Strategy.Mark.STAR);
      }
      LockClient.Builder b =
          LockClient.builder().token(token).apiUrl(apiUrl).strategy(new Strategy(marks));
      if (emoji != null) {
        b.lockEmoji(emoji).keepLockReactionOnComplete(false);
      }
      ownClient = b.build();
    }
    return ownClient;
  }

  private void closeOwnClient() {
    if (ownsClient && ownClient != null) {
      ownClient.close();
      ownClient = null;
    }
  }

  @Override
  public String toString() {
    return "SlackMQ[" + channel + "/" + ts + (lease != null ? ", held" : "") + "]";
  }
}
