package io.slackmq.shedlock;

import io.slackmq.core.Lease;
import io.slackmq.core.SlackMQException;
import java.time.Duration;
import java.util.Optional;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A held lock: a lease on the lock message. {@link AbstractSimpleLock} makes it single-use (after
 * unlock or extend, both throw {@link IllegalStateException}).
 */
final class SlackSimpleLock extends AbstractSimpleLock {
  private final Lease lease;

  SlackSimpleLock(LockConfiguration config, Lease lease) {
    super(config);
    this.lease = lease;
  }

  /**
   * Before lockAtLeastUntil: a renewal whose ttl is the time left until then, after which the lease
   * simply expires (every reader sees it held until Slack's stamp of the renewal plus that time,
   * and free right after). Otherwise a hand-back, which frees it at once and spends no attempt. A
   * lease that already expired (lockAtMostFor ran out) is free already.
   */
  @Override
  protected void doUnlock() {
    Duration hold = Duration.between(ClockProvider.now(), lockConfiguration.getLockAtLeastUntil());
    try {
      if (hold.toMillis() >= 1) {
        lease.extend(hold);
      } else {
        lease.handBack("unlocked");
      }
    } catch (SlackMQException e) {
      if (!e.isLeaseLost()) {
        throw SlackLockProvider.error(lockConfiguration.getName(), "unlock", lease.ts(), e);
      }
    }
  }

  /** A renewal whose ttl is the new lockAtMostFor; empty if the lease already ended. */
  @Override
  protected Optional<SimpleLock> doExtend(LockConfiguration next) {
    if (!lease.isValid()) {
      return Optional.empty();
    }
    try {
      lease.extend(SlackLockProvider.ttl(next));
      return Optional.of(new SlackSimpleLock(next, lease));
    } catch (SlackMQException e) {
      if (e.isLeaseLost()) {
        return Optional.empty();
      }
      throw SlackLockProvider.error(next.getName(), "extend", lease.ts(), e);
    }
  }

  @Override
  public String toString() {
    return "SlackSimpleLock[" + lockConfiguration.getName() + ", " + lease + "]";
  }
}
