package io.slackmq.shedlock;

import io.slackmq.core.ApiCalls;
import io.slackmq.emulator.Emulator;
import io.slackmq.junit.LocalSlack;
import java.time.Duration;
import java.util.Locale;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * How many locks per minute one Slack app gets: one instance locks and unlocks one lock over and
 * over, as fast as Slack's rate limits let it, on the local Slack with Slack's tiers sped up 60
 * times (an emulated minute lasts a real second). Not a test: run it by hand (docs/BENCHMARKS.md,
 * "ShedLock"). Argument: emulated minutes to run, default 10.
 */
public final class LockRateBench {
  private LockRateBench() {}

  public static void main(String[] args) throws Exception {
    double scale = 60;
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    try (LocalSlack slack = LocalSlack.start(Emulator.builder().timeScale(scale));
        SlackLockProvider p =
            SlackLockProvider.builder()
                .token(slack.botToken("slackmq-a"))
                .apiUrl(slack.apiUrl())
                .channel(slack.channel())
                .timeScale(scale)
                .build()) {
      p.messageTs("bench"); // finding the message is a one-time cost, left out
      // lockAtMostFor 1 emulated minute: compaction deletes an episode once it could not matter
      Duration atMost = Duration.ofMillis((long) (60_000 / scale));
      // the full budget first: a bucket starts full (a minute's burst), so measure after it
      run(p, atMost, (long) (60_000 / scale));
      ApiCalls before = p.client().calls();
      long start = System.nanoTime();
      int locks = run(p, atMost, (long) (minutes * 60_000 / scale));
      double emulatedMinutes = (System.nanoTime() - start) / 1e9 * scale / 60;
      ApiCalls calls = p.client().calls().minus(before);
      System.out.printf(
          Locale.ROOT,
          "%d lock+unlock cycles in %.1f emulated minutes: %.1f locks/minute for one app;"
              + " per lock: %s%n",
          locks,
          emulatedMinutes,
          locks / emulatedMinutes,
          perLock(calls, locks));
    }
  }

  private static int run(SlackLockProvider p, Duration atMost, long forMillis) {
    long end = System.nanoTime() + forMillis * 1_000_000L;
    int n = 0;
    while (System.nanoTime() < end) {
      SimpleLock lock = p.lock(Locks.config("bench", atMost, Duration.ZERO)).orElseThrow();
      lock.unlock();
      n++;
    }
    return n;
  }

  private static String perLock(ApiCalls calls, int locks) {
    StringBuilder b = new StringBuilder();
    calls
        .calls()
        .forEach((m, c) -> b.append(String.format(Locale.ROOT, "%s %.2f ", m, (double) c / locks)));
    return b.append("429s ").append(calls.totalRateLimited()).toString().trim();
  }
}
