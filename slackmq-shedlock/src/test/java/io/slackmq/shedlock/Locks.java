package io.slackmq.shedlock;

import io.slackmq.core.MessageState;
import io.slackmq.junit.LocalSlack;
import java.time.Duration;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;

/** The provider tests' setup: providers on a local Slack, lock configurations, lock states. */
final class Locks {
  private Locks() {}

  /**
   * A provider of {@code app} as the instance {@code worker}. The local Slack has no read lag, so a
   * small bound (scaled by the time scale like every other wait) is enough.
   */
  static SlackLockProvider provider(LocalSlack slack, String app, String worker, double scale) {
    return SlackLockProvider.builder()
        .token(slack.botToken(app))
        .apiUrl(slack.apiUrl())
        .channel(slack.channel())
        .timeScale(scale)
        .readLagBound(Duration.ofMillis(300))
        .lockClient(c -> c.workerId(worker))
        .build();
  }

  static LockConfiguration config(String name, Duration atMost, Duration atLeast) {
    return new LockConfiguration(ClockProvider.now(), name, atMost, atLeast);
  }

  /** Whether the lock message of {@code name} carries a live lease, as any instance reads it. */
  static boolean held(SlackLockProvider p, String name) {
    return state(p, name) instanceof MessageState.Held;
  }

  static MessageState state(SlackLockProvider p, String name) {
    return p.client().inspect(p.channel(), p.messageTs(name));
  }
}
