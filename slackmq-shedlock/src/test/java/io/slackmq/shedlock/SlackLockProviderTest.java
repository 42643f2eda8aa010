package io.slackmq.shedlock;

import static io.slackmq.shedlock.Locks.config;
import static io.slackmq.shedlock.Locks.held;
import static java.time.Duration.ZERO;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slackmq.core.MessageState;
import io.slackmq.emulator.Emulator;
import io.slackmq.junit.LocalSlack;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ShedLock's provider contract, written anew for Slack (ShedLock publishes its contract tests in no
 * artifact): every expectation of its lock and extensible-lock suites, on a local Slack with
 * Slack's rate limits on (sped up 60 times), with two instances of two Slack apps.
 */
class SlackLockProviderTest {
  static final double SCALE = 60;
  static LocalSlack slack;
  static SlackLockProvider one;
  static SlackLockProvider two;

  private final String name = "job-" + UUID.randomUUID();

  @BeforeAll
  static void start() {
    slack = LocalSlack.start(Emulator.builder().timeScale(SCALE));
    one = Locks.provider(slack, "slackmq-a", "instance-1", SCALE);
    two = Locks.provider(slack, "slackmq-b", "instance-2", SCALE);
  }

  @AfterAll
  static void stop() {
    one.close();
    two.close();
    slack.close();
  }

  private static LockConfiguration minutes(String name) {
    return config(name, Duration.ofMinutes(5), ZERO);
  }

  private SimpleLock lock(SlackLockProvider p, Duration atMost) {
    Optional<SimpleLock> lock = p.lock(config(name, atMost, ZERO));
    assertThat(lock).as("locked").isPresent();
    assertThat(held(p, name)).isTrue();
    return lock.get();
  }

  @Test
  void createsALock_whichUnlockFrees() {
    SimpleLock lock = lock(one, Duration.ofMinutes(5));
    assertThat(held(two, name)).isTrue();
    lock.unlock();
    assertThat(held(two, name)).isFalse();
    assertThat(slack.history())
        .filteredOn(m -> m.getText().contains("slackmq-lock: " + name))
        .hasSize(1);
  }

  @Test
  void noSecondLock_whileHeld_fromThisInstanceOrAnother() {
    SimpleLock lock = one.lock(minutes(name)).orElseThrow();
    assertThat(one.lock(minutes(name))).isEmpty();
    assertThat(two.lock(minutes(name))).isEmpty();
    lock.unlock();
  }

  @Test
  void twoIndependentLocks() {
    SimpleLock a = one.lock(minutes(name)).orElseThrow();
    SimpleLock b = one.lock(minutes(name + "-2")).orElseThrow();
    assertThat(one.messageTs(name)).isNotEqualTo(one.messageTs(name + "-2"));
    a.unlock();
    assertThat(held(one, name)).isFalse();
    assertThat(held(one, name + "-2")).isTrue();
    b.unlock();
  }

  @Test
  void locksTwiceInARow_byEitherInstance() {
    one.lock(minutes(name)).orElseThrow().unlock();
    one.lock(minutes(name)).orElseThrow().unlock();
    two.lock(minutes(name)).orElseThrow().unlock();
  }

  @Test
  void expiresAfterLockAtMostFor_andIsFreeThen() {
    Duration atMost = ofSeconds(1);
    LockConfiguration c = config(name, atMost, ZERO);
    assertThat(one.lock(c)).isPresent(); // never unlocked: the holder "died"
    assertThat(two.lock(minutes(name))).isEmpty();
    Optional<SimpleLock> taken =
        await().atMost(ofSeconds(10)).until(() -> two.lock(minutes(name)), Optional::isPresent);
    assertThat(Instant.now()).isAfterOrEqualTo(c.getLockAtMostUntil());
    taken.orElseThrow().unlock();
  }

  @Test
  void locksRightAfterUnlock() {
    for (int i = 0; i < 10; i++) {
      Optional<SimpleLock> lock = (i % 2 == 0 ? one : two).lock(minutes(name));
      assertThat(lock).as("locked in round " + i).isPresent();
      assertThat(one.lock(minutes(name))).isEmpty();
      lock.get().unlock();
    }
  }

  @Test
  void lockAtLeastFor_keepsItHeldAfterUnlock_untilThenOnly() {
    LockConfiguration c = config(name, ofSeconds(10), ofMillis(1500));
    one.lock(c).orElseThrow().unlock();
    assertThat(two.lock(minutes(name))).isEmpty();
    assertThat(one.lock(minutes(name))).isEmpty();
    MessageState.Held h = (MessageState.Held) Locks.state(two, name);
    // held until lockAtLeastUntil (plus the renewal's trip to Slack), not until lockAtMostFor
    assertThat(h.expires()).isAfterOrEqualTo(c.getLockAtLeastUntil());
    assertThat(h.expires()).isBefore(c.getLockAtLeastUntil().plusSeconds(2));
    Optional<SimpleLock> next =
        await().atMost(ofSeconds(10)).until(() -> two.lock(minutes(name)), Optional::isPresent);
    assertThat(ClockProvider.now()).isAfterOrEqualTo(c.getLockAtLeastUntil());
    next.orElseThrow().unlock();
  }

  @Test
  void extend_once_holdsItForTheNewLockAtMostFor() {
    SimpleLock lock = lock(one, ofSeconds(2));
    Instant extendedAt = Instant.now();
    SimpleLock longer = lock.extend(ofSeconds(10), ZERO).orElseThrow();
    MessageState.Held h = (MessageState.Held) Locks.state(two, name);
    assertThat(h.expires()).isAfter(extendedAt.plusSeconds(9));
    assertThat(two.lock(minutes(name))).isEmpty();
    longer.unlock();
    assertThat(held(two, name)).isFalse();
  }

  @Test
  void extend_manyTimes() {
    SimpleLock lock = lock(one, ofSeconds(2));
    for (int i = 0; i < 3; i++) {
      lock = lock.extend(ofSeconds(10), ZERO).orElseThrow();
    }
    assertThat(((MessageState.Held) Locks.state(two, name)).expires())
        .isAfter(Instant.now().plusSeconds(8));
    lock.unlock();
    assertThat(held(two, name)).isFalse();
  }

  @Test
  void extend_notAfterUnlock() {
    SimpleLock lock = lock(one, ofSeconds(2));
    lock.unlock();
    assertThat(held(one, name)).isFalse();
    assertThatThrownBy(() -> lock.extend(ofSeconds(10), ZERO))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void extend_notWhenExpired() {
    SimpleLock lock = lock(one, ofSeconds(1));
    await().atMost(ofSeconds(10)).until(() -> !held(two, name));
    assertThat(lock.extend(ofSeconds(10), ZERO)).isEmpty();
    assertThat(held(two, name)).isFalse();
    two.lock(minutes(name)).orElseThrow().unlock();
  }

  @Test
  void extend_withLockAtLeastFor_keepsItHeldAfterUnlock() {
    SimpleLock lock = lock(one, ofSeconds(10));
    SimpleLock longer = lock.extend(ofSeconds(10), ofSeconds(9)).orElseThrow();
    longer.unlock();
    assertThat(held(two, name)).isTrue();
    assertThat(two.lock(minutes(name))).isEmpty();
  }

  @Test
  void aLockExtendedOnce_cannotBeExtendedOrUnlockedAgain() {
    SimpleLock lock = lock(one, ofSeconds(10));
    SimpleLock longer = lock.extend(ofSeconds(10), ZERO).orElseThrow();
    assertThatThrownBy(() -> lock.extend(ofSeconds(10), ofSeconds(9)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class);
    longer.unlock();
  }
}
