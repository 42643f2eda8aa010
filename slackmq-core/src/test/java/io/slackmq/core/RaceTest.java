package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 20 threads race for the same 200 messages on the emulator, per strategy. */
class RaceTest {
  static final int THREADS = 20;
  static final int MESSAGES = Integer.getInteger("slackmq.raceMessages", 200);

  @ParameterizedTest
  @ValueSource(strings = {"PIN", "REACTION", "STAR", "PIN+REACTION"})
  void twentyThreads_eachMessageCompletedExactlyOnce_noOverlap(String strategyName)
      throws Exception {
    Strategy strategy = parse(strategyName);
    try (Fixture slack = Fixture.start()) {
      List<String> tasks = slack.postTasks(MESSAGES);
      // PIN races two apps' bots (pins exclude across users); REACTION shares one bot user
      // (reactions exclude only within a user); STAR needs a user token.
      List<LockClient> clients = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        String token = strategy.uses(Strategy.Mark.STAR) ? slack.alice()
            : strategy.equals(Strategy.PIN) && i % 2 == 1 ? slack.botB() : slack.botA();
        clients.add(slack.client(token, strategy, Duration.ofSeconds(10)).workerId("t" + i)
            .build());
      }
      List<Hold> holds = race(slack, tasks, clients);
      assertExactlyOnceNoOverlap(tasks, holds);
      LockClient checker = clients.get(0);
      for (String ts : tasks) {
        assertThat(checker.inspect(slack.channel, ts)).as(ts).isInstanceOf(MessageState.Done.class);
      }
      ApiCalls total = clients.stream().map(LockClient::calls).reduce(ApiCalls::plus).orElseThrow();
      System.out.printf(java.util.Locale.ROOT, "%s: %d holds, %.1f calls/message, %s%n", strategyName, holds.size(),
          total.total() / (double) MESSAGES, total);
      clients.forEach(LockClient::close);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PIN+REACTION"})
  void raceWindowLatencyAndErrors_stillExactlyOnce(String strategyName) throws Exception {
    Strategy strategy = parse(strategyName);
    try (Fixture slack = Fixture.start()) {
      List<String> tasks = slack.postTasks(MESSAGES);
      List<LockClient> clients = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        // 30% of "already" answers become wins (double wins), 2% of calls fail, up to 2 ms
        // latency per call; a short ttl so that claims orphaned by lost answers expire.
        clients.add(FaultyPort.wrap(slack.client(slack.botA(), strategy, Duration.ofSeconds(2))
            .clockSkew(Duration.ofMillis(300)).workerId("f" + i).build(), 0.3, 0.02, 2000));
      }
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      List<Hold> holds = race(slack, tasks, clients, failures);
      assertExactlyOnceNoOverlap(tasks, holds);
      assertThat(failures).as("injected failures surfaced as Failed outcomes").isNotEmpty()
          .allMatch(code -> code.equals("http_500") || code.equals("timeout"));
      LockClient checker = slack.client(slack.botA(), strategy, Duration.ofSeconds(2)).build();
      for (String ts : tasks) {
        assertThat(checker.inspect(slack.channel, ts)).as(ts).isInstanceOf(MessageState.Done.class);
      }
      System.out.printf(java.util.Locale.ROOT, "faulty %s: %d holds, %d failures%n",
          strategyName, holds.size(), failures.size());
    }
  }

  private static List<Hold> race(Fixture slack, List<String> tasks, List<LockClient> clients)
      throws Exception {
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<Hold> holds = race(slack, tasks, clients, failures);
    assertThat(failures).as("no Slack errors without injected faults").isEmpty();
    return holds;
  }

  private static List<Hold> race(Fixture slack, List<String> tasks, List<LockClient> clients,
      List<String> failures) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    Set<String> seenDone = ConcurrentHashMap.newKeySet();
    try {
      List<Future<List<RaceHarness.Hold>>> futures = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        LockClient c = clients.get(i);
        long seed = i;
        futures.add(pool.submit(() -> RaceHarness.run(c, tasks, slack.channel, seed, failures, seenDone)));
      }
      List<Hold> all = new ArrayList<>();
      for (var f : futures) {
        f.get().forEach(h -> all.add(new Hold(h.ts(), h.start(), h.end(), h.worker())));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  record Hold(String ts, long start, long end, String worker) {}

  static void assertExactlyOnceNoOverlap(List<String> tasks, List<Hold> holds) {
    Map<String, List<Hold>> byTs = new HashMap<>();
    holds.forEach(h -> byTs.computeIfAbsent(h.ts(), k -> new ArrayList<>()).add(h));
    for (String ts : tasks) {
      assertThat(byTs.getOrDefault(ts, List.of())).as("completions of %s", ts).hasSize(1);
    }
    assertThat(holds).hasSize(tasks.size());
  }

  static Strategy parse(String name) {
    List<Strategy.Mark> marks = new ArrayList<>();
    for (String m : name.split("\\+")) {
      marks.add(Strategy.Mark.valueOf(m));
    }
    return new Strategy(java.util.EnumSet.copyOf(marks));
  }
}
