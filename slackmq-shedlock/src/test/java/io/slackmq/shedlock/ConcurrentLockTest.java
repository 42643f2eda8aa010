package io.slackmq.shedlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.slackmq.emulator.Emulator;
import io.slackmq.junit.LocalSlack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.junit.jupiter.api.Test;

/**
 * ShedLock's fuzz test, on Slack: 8 threads on two instances of two Slack apps, 100 lock attempts
 * each, each holder incrementing a shared counter without any other synchronization (read, yield,
 * write). A second holder at any moment would lose an update. Slack's rate limits are on, sped up
 * 60 times.
 */
class ConcurrentLockTest {
  static final double SCALE = 60;
  static final int THREADS = 8;
  static final int ATTEMPTS = 100;

  /** Written without synchronization on purpose: only the lock keeps the holders apart. */
  private int counter;

  /** One lock attempt through ShedLock's executor; true if the job ran (the lock was taken). */
  private boolean runOnce(LockingTaskExecutor executor) throws Exception {
    try {
      return executor
          .executeWithLock(
              () -> {
                int n = counter;
                Thread.yield();
                counter = n + 1;
                return null;
              },
              Locks.config("counter", Duration.ofSeconds(5), Duration.ZERO))
          .wasExecuted();
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Test
  void eightThreadsTimesAHundredAttempts_noLostUpdate() throws Exception {
    try (LocalSlack slack = LocalSlack.start(Emulator.builder().timeScale(SCALE));
        SlackLockProvider a = Locks.provider(slack, "slackmq-a", "instance-a", SCALE);
        SlackLockProvider b = Locks.provider(slack, "slackmq-b", "instance-b", SCALE)) {
      // the lock message exists before the race: finding it has its own test
      a.messageTs("counter");
      AtomicInteger executed = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        LockingTaskExecutor executor = new DefaultLockingTaskExecutor(t % 2 == 0 ? a : b);
        tasks.add(
            () -> {
              for (int i = 0; i < ATTEMPTS; i++) {
                if (runOnce(executor)) {
                  executed.incrementAndGet();
                }
              }
              return null;
            });
      }
      try {
        for (Future<Void> f : pool.invokeAll(tasks)) {
          f.get(); // a LockException (a Slack error) fails the test
        }
      } finally {
        pool.shutdownNow();
      }
      System.out.printf(
          "%d of %d attempts ran the job; calls of instance a: %s%n",
          executed.get(), THREADS * ATTEMPTS, a.client().calls());
      // Future.get() orders the threads' last writes before this read
      assertThat(counter).isEqualTo(executed.get());
      assertThat(executed.get()).isGreaterThanOrEqualTo(THREADS);
    }
  }
}
