package io.slackmq.bench;

import io.slackmq.core.ApiCalls;
import io.slackmq.core.Lease;
import io.slackmq.core.LockClient;
import io.slackmq.core.Outcome;
import io.slackmq.core.SlackApi;
import io.slackmq.core.Strategy;
import io.slackmq.emulator.Emulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the read-lag bound costs and what it buys, side by side in one run on the local Slack (no
 * rate limits, time scale 1): the happy path (one worker, uncontested pins) with the bound off, at
 * its default and under read lag; and takeovers of a dead holder's messages by four rescuers under
 * read lag, with the bound and without it. Not a test; the CLI's {@code bench} calls {@link #run}.
 */
public final class ConsistencyBench {
  private ConsistencyBench() {}

  private static final int RESCUERS = 4;
  private static final Duration TAKEOVER_TTL = Duration.ofSeconds(1);

  /**
   * One configuration: Web API calls per message (acquire and complete, every worker), the winning
   * acquire's latency, and how many messages ended with more than one valid holder.
   */
  public record Row(
      String name,
      int messages,
      double callsPerMessage,
      double acquireP50Ms,
      double acquireP99Ms,
      int doubleHeld) {
    /** The header of {@link #toString()}'s table. */
    public static final String HEADER =
        "| configuration | messages | calls / msg | winning acquire p50 ms | p99 ms |"
            + " messages with two holders |\n|---|---|---|---|---|---|";

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %.1f | %.0f | %.0f | %d |",
          name,
          messages,
          callsPerMessage,
          acquireP50Ms,
          acquireP99Ms,
          doubleHeld);
    }
  }

  /** The five rows, {@code messages} each. */
  public static List<Row> run(int messages) throws Exception {
    Duration lag = Duration.ofMillis(500);
    Duration takeoverLag = Duration.ofMillis(300);
    return List.of(
        happy("happy path, linearizable, bound 0 (before)", messages, Duration.ZERO, Duration.ZERO),
        happy(
            "happy path, linearizable, bound 2 s (default)",
            messages,
            Duration.ZERO,
            LockClient.DEFAULT_READ_LAG_BOUND),
        happy("happy path, reads lag <= 500 ms, bound 500 ms", messages, lag, lag),
        takeover(
            "takeover by 4 rescuers, reads lag <= 300 ms, bound 300 ms",
            messages,
            takeoverLag,
            takeoverLag),
        takeover(
            "takeover by 4 rescuers, reads lag <= 300 ms, bound 0 (before)",
            messages,
            takeoverLag,
            Duration.ZERO));
  }

  /** The takeovers let posters see their own posts (else, with no wait, nobody holds anything). */
  private static Emulator slack(Duration lag, boolean ownWritesVisible) {
    return Emulator.builder()
        .noRateLimits()
        .faults(f -> f.readLag(lag).ownWritesVisible(ownWritesVisible).seed(17))
        .start();
  }

  private static LockClient client(Emulator slack, String app, Duration ttl, Duration bound) {
    return LockClient.builder()
        .apiUrl(slack.apiUrl())
        .token(slack.env().get("SLACK_BOT_TOKEN_" + app))
        .strategy(Strategy.PIN)
        .ttl(ttl)
        .clockSkew(Duration.ofMillis(100))
        .pacing(false)
        .readLagBound(bound)
        .build();
  }

  private static List<String> post(Emulator slack, int n) {
    Map<String, String> env = slack.env();
    SlackApi alice =
        SlackApi.builder(
                SlackApi.client(
                    slack.apiUrl(), env.get("SLACK_USER_TOKEN_ALICE"), Duration.ofSeconds(10)))
            .build();
    List<String> ts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String text = "task " + i;
      ts.add(
          alice
              .call(
                  "chat.postMessage",
                  m -> m.chatPostMessage(q -> q.channel(env.get("SLACK_CHANNEL")).text(text)))
              .getTs());
    }
    return ts;
  }

  private static Row happy(String name, int messages, Duration lag, Duration bound) {
    try (Emulator slack = slack(lag, false);
        LockClient c = client(slack, "SLACKMQ_A", Duration.ofSeconds(10), bound)) {
      String channel = slack.env().get("SLACK_CHANNEL");
      long[] nanos = new long[messages];
      int k = 0;
      for (String ts : post(slack, messages)) {
        long t0 = System.nanoTime();
        Outcome o = c.acquire(channel, ts);
        nanos[k++] = System.nanoTime() - t0;
        o.leaseIfAcquired()
            .orElseThrow(() -> new IllegalStateException(name + ": " + o))
            .complete();
      }
      Arrays.sort(nanos);
      return new Row(
          name,
          messages,
          c.calls().total() / (double) messages,
          Percentiles.millis(nanos, 0.5),
          Percentiles.millis(nanos, 0.99),
          0);
    }
  }

  private static Row takeover(String name, int messages, Duration lag, Duration bound)
      throws Exception {
    try (Emulator slack = slack(lag, true);
        LockClient dead = client(slack, "SLACKMQ_A", TAKEOVER_TTL, lag)) {
      String channel = slack.env().get("SLACK_CHANNEL");
      List<String> tasks = post(slack, messages);
      for (String ts : tasks) {
        dead.acquire(channel, ts).leaseIfAcquired().orElseThrow(); // held, never renewed
      }
      Thread.sleep(TAKEOVER_TTL.plusMillis(400).toMillis()); // every lease has expired
      List<LockClient> rescuers = new ArrayList<>();
      for (int i = 0; i < RESCUERS; i++) {
        rescuers.add(client(slack, i % 2 == 0 ? "SLACKMQ_A" : "SLACKMQ_B", TAKEOVER_TTL, bound));
      }
      ExecutorService pool = Executors.newFixedThreadPool(RESCUERS);
      List<Long> winners = new ArrayList<>();
      int doubleHeld = 0;
      try {
        for (String ts : tasks) {
          CountDownLatch go = new CountDownLatch(1);
          List<Future<long[]>> tries = new ArrayList<>();
          List<Lease> won = new ArrayList<>();
          for (LockClient r : rescuers) {
            tries.add(
                pool.submit(
                    () -> {
                      go.await();
                      long t0 = System.nanoTime();
                      Outcome o = r.acquire(channel, ts);
                      long took = System.nanoTime() - t0;
                      o.leaseIfAcquired()
                          .ifPresent(
                              l -> {
                                synchronized (won) {
                                  won.add(l);
                                }
                              });
                      return new long[] {o instanceof Outcome.Acquired ? 1 : 0, took};
                    }));
          }
          go.countDown();
          for (Future<long[]> t : tries) {
            long[] r = t.get();
            if (r[0] == 1) {
              winners.add(r[1]);
            }
          }
          doubleHeld += won.stream().filter(Lease::isValid).count() > 1 ? 1 : 0;
          for (Lease l : won) {
            l.complete();
          }
        }
      } finally {
        pool.shutdownNow();
      }
      ApiCalls calls =
          rescuers.stream().map(LockClient::calls).reduce(ApiCalls::plus).orElseThrow();
      rescuers.forEach(LockClient::close);
      long[] nanos = winners.stream().mapToLong(Long::longValue).sorted().toArray();
      return new Row(
          name,
          messages,
          calls.total() / (double) messages,
          Percentiles.millis(nanos, 0.5),
          Percentiles.millis(nanos, 0.99),
          doubleHeld);
    }
  }

  /** {@code messages} (default 20): prints the table. */
  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    System.out.println(Row.HEADER);
    run(messages).forEach(System.out::println);
  }
}
