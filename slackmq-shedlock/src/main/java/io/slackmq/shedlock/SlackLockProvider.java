package io.slackmq.shedlock;

import io.slackmq.core.LockClient;
import io.slackmq.core.Outcome;
import io.slackmq.core.SlackApi;
import io.slackmq.core.SlackMQException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.support.LockException;

/**
 * A ShedLock {@link ExtensibleLockProvider} on Slack: jobs annotated {@code @SchedulerLock(name =
 * "report")} (or run through {@code DefaultLockingTaskExecutor}) on several instances run once,
 * locked through one Slack channel.
 *
 * <pre>{@code
 * SlackLockProvider locks = SlackLockProvider.builder()
 *     .token(System.getenv("SLACK_BOT_TOKEN"))
 *     .channel(System.getenv("SLACK_LOCK_CHANNEL"))   // a channel for locks only, the bot in it
 *     .build();
 * LockingTaskExecutor executor = new DefaultLockingTaskExecutor(locks);
 * executor.executeWithLock((Runnable) this::report,
 *     new LockConfiguration(ClockProvider.now(), "report", Duration.ofMinutes(10), Duration.ofSeconds(30)));
 * }</pre>
 *
 * <p>How a lock maps to Slack (docs/SHEDLOCK.md has the details and every failure):
 *
 * <ul>
 *   <li>A lock name is one message in the channel, posted by a bot with the metadata {@code
 *       slackmq_lock {name}}, found in the channel's history or posted on first use, and cached.
 *       Two instances that post it at once both wait out the read-lag bound, read the history again
 *       and pick the earliest; the other post is deleted by its author.
 *   <li>{@link #lock} is SlackMQ's verified lease on that message ({@link
 *       LockClient#acquire(String, String, Duration)}) with lockAtMostFor as its ttl: a claim in
 *       the message's thread, decided by a read once the read-lag bound has passed, so it takes at
 *       least that bound (default 2 s). Held elsewhere (a live lease) is {@link Optional#empty()};
 *       an expired lease is free.
 *   <li>{@link SimpleLock#unlock()} before lockAtLeastUntil renews the lease with the time left as
 *       its ttl and lets it expire: held until then for every instance, free right after. After
 *       lockAtLeastUntil it hands the lease back: free at once.
 *   <li>{@link SimpleLock#extend} renews the lease with the new lockAtMostFor as its ttl; empty if
 *       the lease had already expired.
 *   <li>Old ledger entries are deleted by the next holder once no lease they carry can matter
 *       ({@link LockClient.Builder#compactLedger}), so a lock's thread stays short.
 * </ul>
 *
 * <p>Errors: a Slack error (missing scope, channel not found, 429s beyond the retries, a timeout)
 * is a {@link LockException} naming the lock and carrying Slack's error code and what to do; it is
 * never reported as "held elsewhere". Thread-safe; one provider per app and channel is enough.
 */
public final class SlackLockProvider implements ExtensibleLockProvider, AutoCloseable {
  /** Slack's answers when the lock message was deleted: it is found or posted anew next time. */
  private static final Set<String> GONE = Set.of("message_not_found", "thread_not_found");

  private final LockClient client;
  private final LockMessages messages;
  private final String channel;

  private SlackLockProvider(LockClient client, LockMessages messages, String channel) {
    this.client = client;
    this.messages = messages;
    this.channel = channel;
  }

  /** A builder; {@link Builder#token} and {@link Builder#channel} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Takes the lock {@code config.getName()} for lockAtMostFor, or returns empty when another
   * instance (or thread) holds it. Blocks for a few paced Slack calls and the read-lag bound.
   *
   * @throws LockException on a Slack error (its code and what to do in the message); also if the
   *     lock message carries the done or dead-letter reaction, which someone added by hand
   */
  @Override
  public Optional<SimpleLock> lock(LockConfiguration config) {
    String name = config.getName();
    String ts;
    try {
      ts = messages.tsOf(name);
    } catch (SlackMQException e) {
      throw error(name, "find or post its message", null, e);
    }
    Outcome o = client.acquire(channel, ts, ttl(config));
    if (o instanceof Outcome.Acquired a) {
      return Optional.of(new SlackSimpleLock(config, a.lease()));
    }
    if (o instanceof Outcome.Held) {
      return Optional.empty();
    }
    if (o instanceof Outcome.Failed f) {
      if (GONE.contains(f.slackError())) {
        messages.forget(name, ts);
      }
      throw error(name, "lock", ts, f.toException());
    }
    throw new LockException(
        "lock '"
            + name
            + "': its message "
            + ts
            + " in "
            + channel
            + " carries the :"
            + client.doneEmoji()
            + ": or :"
            + client.deadEmoji()
            + ": reaction (added by hand?); remove it to use the lock again");
  }

  /** Closes the lock client (its watchdog threads). Held locks expire at their lockAtMostFor. */
  @Override
  public void close() {
    client.close();
  }

  /** The lock message of {@code name} (found or posted): for tests and tools. */
  String messageTs(String name) {
    return messages.tsOf(name);
  }

  /** The lock client and channel, for tests that inspect a lock message. */
  LockClient client() {
    return client;
  }

  String channel() {
    return channel;
  }

  /** The lease ttl for a configuration: its lockAtMostFor (1 ms at least, as Slack needs). */
  static Duration ttl(LockConfiguration config) {
    Duration d = config.getLockAtMostFor();
    return d.toMillis() >= 1 ? d : Duration.ofMillis(1);
  }

  /** "lock 'report' (message 1.2): could not unlock: ratelimited: back off..." (no token). */
  static LockException error(String name, String what, String ts, SlackMQException e) {
    return new LockException(
        "lock '"
            + name
            + "'"
            + (ts == null ? "" : " (message " + ts + ")")
            + ": could not "
            + what
            + ": "
            + e.error()
            + ": "
            + e.hint(),
        e);
  }

  @Override
  public String toString() {
    return "SlackLockProvider[channel=" + channel + ", " + client + "]";
  }

  /** Configures a {@link SlackLockProvider}. */
  public static final class Builder {
    private String token;
    private String apiUrl = "https://slack.com/api/";
    private String channel;
    private double timeScale = 1.0;
    private Duration readLagBound = LockClient.DEFAULT_READ_LAG_BOUND;
    private Consumer<LockClient.Builder> options = b -> {};

    Builder() {}

    /** The bot token ({@code xoxb-}); never logged. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The Web API prefix; default {@code https://slack.com/api/} (a local Slack's apiUrl). */
    public Builder apiUrl(String apiUrl) {
      this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl");
      return this;
    }

    /**
     * The channel id of the lock messages. Best a channel of its own: finding a lock message reads
     * the channel's whole history once per name and process.
     */
    public Builder channel(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** For a local Slack running Slack's rate limits sped up (see {@link LockClient.Builder}). */
    public Builder timeScale(double scale) {
      this.timeScale = scale;
      return this;
    }

    /**
     * How long Slack's reads may lag behind writes; default {@link
     * LockClient#DEFAULT_READ_LAG_BOUND}. Every lock waits it out once (scaled by the time scale),
     * and so does finding a lock message. Zero only on a local Slack without read lag.
     */
    public Builder readLagBound(Duration bound) {
      this.readLagBound = Objects.requireNonNull(bound, "readLagBound");
      return this;
    }

    /**
     * Further options of the lock client (strategy, worker id, clocks, retries...). The provider
     * sets token, API URL, time scale and read-lag bound from this builder, a clock skew of zero
     * (so that a lock is free right after it ends; a wrong clock costs calls, never safety), and
     * after {@code options} it sets maxAttempts to {@link Integer#MAX_VALUE} (a lock is taken over
     * and over: it must never be dead-lettered) and {@link LockClient.Builder#compactLedger}.
     */
    public Builder lockClient(Consumer<LockClient.Builder> options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Builds the provider (no Slack call yet: lock messages are found on first use). */
    public SlackLockProvider build() {
      if (token == null || channel == null) {
        throw new IllegalStateException("set token(...) and channel(...)");
      }
      LockClient.Builder b =
          LockClient.builder()
              .token(token)
              .apiUrl(apiUrl)
              .timeScale(timeScale)
              .readLagBound(readLagBound)
              .clockSkew(Duration.ZERO);
      options.accept(b);
      LockClient client = b.maxAttempts(Integer.MAX_VALUE).compactLedger(true).build();
      // The same app budget as the lock client: pacing is shared per app in the JVM.
      SlackApi api =
          SlackApi.builder(SlackApi.client(apiUrl, token, Duration.ofSeconds(10)))
              .pacing(apiUrl, token)
              .timeScale(timeScale)
              .build();
      long settle = (long) (readLagBound.toNanos() / timeScale);
      return new SlackLockProvider(client, new LockMessages(api, channel, settle), channel);
    }
  }
}
