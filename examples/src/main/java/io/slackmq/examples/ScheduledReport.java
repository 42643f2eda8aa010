package io.slackmq.examples;

import io.slackmq.junit.LocalSlack;
import io.slackmq.shedlock.SlackLockProvider;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A scheduled job that must run once per period however many instances schedule it: the plain Java
 * equivalent of Spring's {@code @Scheduled} + {@code @SchedulerLock(name = "report")}, a {@link
 * ScheduledExecutorService} whose task goes through ShedLock's {@link DefaultLockingTaskExecutor}
 * with {@link SlackLockProvider}.
 *
 * <p>On the embedded local Slack, two instances (of two Slack apps) tick every second for five
 * periods; the job posts "report N by instance-x" in the channel, and the run checks in Slack that
 * there is exactly one report per period. With SLACK_BOT_TOKEN and SLACK_CHANNEL set it runs one
 * instance on that workspace, every minute, until Ctrl-C: start it on two hosts.
 */
public final class ScheduledReport {
  private ScheduledReport() {}

  /** The reports found in Slack, one per job run, and the number of periods each instance ran. */
  record Result(List<String> reports, int periods) {
    /** Exactly one report per period 1..periods, whoever wrote it. */
    boolean oncePerPeriod() {
      List<String> expected = new ArrayList<>();
      for (int n = 1; n <= periods; n++) {
        expected.add("report for period " + n + " by ");
      }
      List<String> got = reports.stream().map(r -> r.substring(0, r.lastIndexOf(' ') + 1)).toList();
      return got.size() == periods
          && new java.util.HashSet<>(got).equals(new java.util.HashSet<>(expected));
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    if (env.get("SLACK_BOT_TOKEN") != null && env.get("SLACK_CHANNEL") != null) {
      SlackLockProvider locks =
          SlackLockProvider.builder()
              .apiUrl(env.getOrDefault("SLACK_API_URL", SlackEnv.SLACK_API))
              .token(env.get("SLACK_BOT_TOKEN"))
              .channel(env.get("SLACK_CHANNEL"))
              .build();
      String instance = "instance-" + ProcessHandle.current().pid();
      ScheduledExecutorService scheduler =
          schedule(
              locks,
              instance,
              Duration.ofMinutes(1),
              n -> System.out.println(instance + " ran the report of its tick " + n),
              0,
              new CountDownLatch(0));
      Examples.runUntilCtrlC(
          () -> {
            scheduler.shutdownNow();
            locks.close();
          },
          "ScheduledReport " + instance + ": the report runs once a minute across all instances");
      return;
    }
    Result result = run(5, System.out);
    System.exit(result.oncePerPeriod() ? 0 : 1);
  }

  /**
   * Runs {@code job} (given the period's number, 1, 2...) every {@code period} through ShedLock: at
   * most once per period across instances. lockAtLeastFor (80% of the period) keeps the lock held
   * after a quick job, so an instance whose tick comes a little later does not run it again;
   * lockAtMostFor frees it if this instance dies while running it. Stops after {@code ticks} ticks
   * (0: never), counting each down on {@code ticked}.
   */
  static ScheduledExecutorService schedule(
      SlackLockProvider locks,
      String instance,
      Duration period,
      IntConsumer job,
      int ticks,
      CountDownLatch ticked) {
    LockingTaskExecutor executor = new DefaultLockingTaskExecutor(locks);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    AtomicInteger tick = new AtomicInteger();
    scheduler.scheduleAtFixedRate(
        () -> {
          int n = tick.incrementAndGet();
          try {
            executor.executeWithLock(
                (Runnable) () -> job.accept(n),
                new LockConfiguration(
                    ClockProvider.now(),
                    "report",
                    period.multipliedBy(10),
                    period.multipliedBy(8).dividedBy(10)));
          } catch (RuntimeException e) {
            // a Slack error (LockException): this period is skipped here, the next tick tries again
            System.err.println(instance + ": " + e.getMessage());
          }
          ticked.countDown();
          if (n == ticks) {
            scheduler.shutdown();
          }
        },
        0,
        period.toMillis(),
        TimeUnit.MILLISECONDS);
    return scheduler;
  }

  /** Two instances on the embedded local Slack, each ticking {@code periods} times a second. */
  static Result run(int periods, PrintStream out) throws InterruptedException {
    Duration period = Duration.ofSeconds(1);
    try (LocalSlack slack = SlackEnv.localSlack()) {
      List<String> apps = List.of("slackmq-a", "slackmq-b");
      List<SlackLockProvider> providers = new ArrayList<>();
      for (String app : apps) {
        SlackLockProvider locks =
            SlackLockProvider.builder()
                .apiUrl(slack.apiUrl())
                .token(slack.botToken(app))
                .channel(slack.channel())
                .timeScale(SlackEnv.LOCAL_TIME_SCALE)
                .build();
        locks
            .lock(
                new LockConfiguration(
                    ClockProvider.now(), "warm-up", period.multipliedBy(10), Duration.ZERO))
            .ifPresent(SimpleLock::unlock); // a first lock waits for nothing but Slack's calls
        providers.add(locks);
      }
      CountDownLatch ticked = new CountDownLatch(periods * apps.size());
      List<ScheduledExecutorService> schedulers = new ArrayList<>();
      for (int i = 0; i < apps.size(); i++) {
        String instance = "instance-" + (char) ('a' + i);
        String token = slack.botToken(apps.get(i));
        IntConsumer job = n -> post(slack, token, "report for period " + n + " by " + instance);
        schedulers.add(schedule(providers.get(i), instance, period, job, periods, ticked));
      }
      boolean finished = ticked.await(periods * 3L, TimeUnit.SECONDS);
      schedulers.forEach(ScheduledExecutorService::shutdownNow);
      providers.forEach(SlackLockProvider::close);
      List<String> reports =
          slack.history().stream()
              .map(m -> m.getText())
              .filter(t -> t.startsWith("report "))
              .toList();
      Result result = new Result(finished ? reports : List.of(), periods);
      reports.forEach(r -> out.println("  " + r));
      out.printf(
          "Once per period: %s (%d reports in %d periods, two instances)%n",
          result.oncePerPeriod() ? "yes" : "no", reports.size(), periods);
      return result;
    }
  }

  private static void post(LocalSlack slack, String token, String text) {
    try {
      slack.sdk(token).chatPostMessage(r -> r.channel(slack.channel()).text(text));
    } catch (Exception e) {
      throw new IllegalStateException("posting the report: " + e.getMessage(), e);
    }
  }
}
