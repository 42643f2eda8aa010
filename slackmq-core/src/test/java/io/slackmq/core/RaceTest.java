package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.slackmq.emulator.Faults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 20 threads race for the same 200 messages on the emulator over real HTTP, per strategy: once on a
 * well-behaved Slack, once with the emulator's faults (errors of every kind, latency, and the race
 * window that lets two callers win one pin, reaction or star).
 */
class RaceTest {
  static final int THREADS = 20;
  static final int MESSAGES = Integer.getInteger("slackmq.raceMessages", 200);

  /** Codes the injected faults may surface (after the client's retries ran out). */
  static final Set<String> INJECTED =
      Set.of("http_500", "internal_error", "fatal_error", "timeout", "lease_lost", "not_visible");

  /**
   * The emulator's Web API faults: 1% HTTP 500, 1% internal_error, 0.5% fatal_error, 0.5% timeouts
   * (held 400 ms, then applied: the client gave up at 250 ms), 1-5 ms latency, the race window
   * (exclusive checks commit 20 ms late, so callers within 20 ms all win), and Slack's weak
   * consistency: reads lag up to 150 ms (own posts too), 1% of posts answered ok but never stored,
   * 3% stored twice.
   */
  static void injectFaults(Faults f) {
    f.errorRate("*", Faults.ErrorKind.HTTP_500, 0.01)
        .errorRate("*", Faults.ErrorKind.INTERNAL_ERROR, 0.01)
        .errorRate("*", Faults.ErrorKind.FATAL_ERROR, 0.005)
        .errorRate("*", Faults.ErrorKind.TIMEOUT, 0.005)
        .timeoutHold(Duration.ofMillis(400))
        .latency("*", Duration.ofMillis(1), Duration.ofMillis(4))
        .raceDelay(Duration.ofMillis(20))
        .raceWindow(Duration.ofHours(1))
        .readLag(READ_LAG)
        .ownWritesVisible(false)
        .lostPosts(0.01)
        .duplicatePosts(0.03);
  }

  /** The read lag of the fault runs (uniform up to it, per reader and message), and the bound. */
  static final Duration READ_LAG = Duration.ofMillis(150);

  /**
   * A racing client for the fault runs: a short ttl (claims orphaned by lost answers expire soon),
   * a safety margin above the 400 ms timeout hold (a held "done" still lands within the lease), one
   * retry per call so that some errors surface as outcomes, and a high dead-letter limit (orphaned
   * claims count as attempts).
   */
  static LockClient.Builder faulty(LockClient.Builder b) {
    return b.ttl(Duration.ofSeconds(3))
        .safetyMargin(Duration.ofMillis(600))
        .clockSkew(Duration.ofMillis(300))
        .callTimeout(Duration.ofMillis(250))
        .maxRetries(1)
        .maxAttempts(50)
        .readLagBound(READ_LAG);
  }

  @ParameterizedTest(name = "{0}, faults={1}")
  @CsvSource({
    "PIN,false",
    "REACTION,false",
    "STAR,false",
    "PIN+REACTION,false",
    "PIN,true",
    "REACTION,true",
    "STAR,true",
    "PIN+REACTION,true"
  })
  void twentyThreads_sameMessages_completedExactlyOnceNoOverlap(String strategyName, boolean faults)
      throws Exception {
    Strategy strategy = RaceHarness.parse(strategyName);
    try (Fixture slack = Fixture.start()) {
      List<String> tasks = slack.postTasks(MESSAGES);
      MarkLog marks = new MarkLog();
      // PIN races two apps' bots (pins exclude across users); REACTION shares one bot user
      // (reactions exclude only within a user); STAR shares alice's user token, as the seed.
      List<LockClient> clients = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        boolean b = strategy.equals(Strategy.PIN) && i % 2 == 1;
        String user = strategy.uses(Strategy.Mark.STAR) ? "alice" : b ? "botB" : "botA";
        String token = user.equals("alice") ? slack.alice() : b ? slack.botB() : slack.botA();
        LockClient.Builder builder =
            slack.client(token, strategy, Duration.ofSeconds(10)).workerId("t" + i);
        clients.add(marks.record((faults ? faulty(builder) : builder).build(), user));
      }
      if (faults) {
        injectFaults(slack.emulator.faults()); // after posting the tasks
      }
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      List<RaceHarness.Hold> holds = race(slack, tasks, clients, failures);
      slack.emulator.faults().clear();

      RaceHarness.assertExactlyOnceNoOverlap(tasks, holds);
      int doubleWins = MarkLog.doubleWins(marks.events());
      if (faults) {
        assertThat(doubleWins).as("the race window let two callers win one mark").isPositive();
        assertThat(failures)
            .as("only injected faults surface")
            .isSubsetOf(INJECTED)
            .as("some injected errors outlived the retries")
            .isNotEmpty();
      } else {
        assertThat(doubleWins).as("without the race window marks are exclusive").isZero();
        assertThat(failures).as("no Slack errors without faults").isEmpty();
      }
      LockClient checker = clients.get(0);
      for (String ts : tasks) {
        assertThat(checker.inspect(slack.channel, ts)).as(ts).isInstanceOf(MessageState.Done.class);
      }
      ApiCalls total = clients.stream().map(LockClient::calls).reduce(ApiCalls::plus).orElseThrow();
      System.out.printf(
          Locale.ROOT,
          "%s faults=%s: %d holds (%d given up), %d double wins, %d"
              + " failures, %.1f calls/message, %s%n",
          strategyName,
          faults,
          holds.size(),
          holds.stream().filter(h -> !h.completed()).count(),
          doubleWins,
          failures.size(),
          total.total() / (double) MESSAGES,
          total);
      clients.forEach(LockClient::close);
    }
  }

  private static List<RaceHarness.Hold> race(
      Fixture slack, List<String> tasks, List<LockClient> clients, List<String> failures)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    Set<String> seenDone = ConcurrentHashMap.newKeySet();
    try {
      List<Future<List<RaceHarness.Hold>>> futures = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        LockClient c = clients.get(i);
        long seed = i;
        futures.add(
            pool.submit(
                () ->
                    RaceHarness.run(
                        c,
                        tasks,
                        slack.channel,
                        seed,
                        failures,
                        seenDone,
                        Duration.ofSeconds(60))));
      }
      List<RaceHarness.Hold> all = new ArrayList<>();
      for (var f : futures) {
        all.addAll(f.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
