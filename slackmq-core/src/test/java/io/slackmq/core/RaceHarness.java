package io.slackmq.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One racing worker: walks the messages in the same order as every other worker (so every message
 * is contended at once), acquires each, completes it, and requeues what is held until it sees it
 * done. Records every hold as [acquired, ended] on the monotonic clock, so holds of threads and of
 * separate processes can be checked for overlap directly.
 */
final class RaceHarness {
  private RaceHarness() {}

  /**
   * A hold of one message, in {@link System#nanoTime()}: from {@code acquire} returning Acquired to
   * {@code complete()} returning ({@code completed}), or to the last moment the lease was seen
   * valid before the worker gave it up.
   */
  record Hold(String ts, long start, long end, boolean completed, String worker) {
    String line() {
      return "H " + ts + " " + start + " " + end + " " + completed + " " + worker;
    }

    static Hold parse(String line) {
      String[] p = line.trim().split(" ");
      return new Hold(
          p[1], Long.parseLong(p[2]), Long.parseLong(p[3]), Boolean.parseBoolean(p[4]), p[5]);
    }
  }

  /**
   * Races until every message is done (as seen by this worker or, via {@code seenDone}, by its
   * process) or {@code budget} runs out (then throws). Failed outcomes and failed lease calls go to
   * {@code failures} as Slack error codes.
   */
  static List<Hold> run(
      LockClient client,
      List<String> messages,
      String channel,
      long seed,
      Collection<String> failures,
      Set<String> seenDone,
      Duration budget) {
    Deque<String> queue = new ArrayDeque<>(messages);
    List<Hold> holds = new ArrayList<>();
    Random random = new Random(seed ^ 0x5eed);
    long deadline = System.nanoTime() + budget.toNanos();
    int heldInARow = 0;
    while (!queue.isEmpty()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            client.workerId()
                + ": "
                + queue.size()
                + " messages not done within "
                + budget
                + ", e.g. "
                + queue.peek());
      }
      String ts = queue.poll();
      if (seenDone.contains(ts)) {
        continue; // a worker runtime skips what its process already saw done
      }
      Outcome o = client.acquire(channel, ts);
      if (o instanceof Outcome.Acquired a) {
        heldInARow = 0;
        Hold h = hold(a.lease(), client.workerId(), random, failures);
        holds.add(h);
        if (h.completed()) {
          seenDone.add(ts);
        } else {
          queue.add(ts); // given up: someone (maybe we, later) finishes it
        }
      } else if (o instanceof Outcome.Done) {
        seenDone.add(ts);
      } else if (o instanceof Outcome.DeadLettered d) {
        failures.add("dead_lettered");
        seenDone.add(ts);
      } else if (o instanceof Outcome.Failed f) {
        failures.add(f.slackError());
        queue.add(ts);
      } else {
        queue.add(ts); // Held
        if (++heldInARow >= queue.size()) {
          heldInARow = 0;
          pause(); // everything left is held by others: poll again a little later
        }
      }
    }
    return holds;
  }

  private static Hold hold(Lease lease, String worker, Random random, Collection<String> failures) {
    long start = System.nanoTime();
    long validAt = start;
    if (random.nextInt(10) == 0) {
      try {
        lease.extend(); // some jobs renew once
      } catch (SlackMQException e) {
        failures.add(e.error());
      }
    }
    for (int attempt = 0; attempt < 6; attempt++) {
      long before = System.nanoTime();
      if (lease.isValid()) {
        validAt = before;
      }
      try {
        lease.complete();
        return new Hold(lease.ts(), start, System.nanoTime(), true, worker);
      } catch (SlackMQException e) {
        failures.add(e.error());
        if (e.isLeaseLost()) {
          break;
        }
      }
    }
    long before = System.nanoTime();
    if (lease.isValid()) {
      validAt = before;
    }
    lease.close();
    return new Hold(lease.ts(), start, validAt, false, worker);
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Every message completed exactly once, none lost, and no two holds of one message overlap in
   * time (holds that ended without completing included).
   */
  static void assertExactlyOnceNoOverlap(List<String> tasks, List<Hold> holds) {
    Map<String, List<Hold>> byTs = new HashMap<>();
    holds.forEach(h -> byTs.computeIfAbsent(h.ts(), k -> new ArrayList<>()).add(h));
    assertThat(byTs.keySet()).as("only our messages were held").isSubsetOf(tasks);
    for (String ts : tasks) {
      List<Hold> mine = new ArrayList<>(byTs.getOrDefault(ts, List.of()));
      assertThat(mine.stream().filter(Hold::completed)).as("completions of %s", ts).hasSize(1);
      mine.sort(Comparator.comparingLong(Hold::start));
      for (int i = 1; i < mine.size(); i++) {
        assertThat(mine.get(i).start())
            .as("%s: %s and %s overlap", ts, mine.get(i - 1), mine.get(i))
            .isGreaterThan(mine.get(i - 1).end());
      }
    }
  }

  /** "PIN+REACTION" to a strategy. */
  static Strategy parse(String name) {
    List<Strategy.Mark> marks = new ArrayList<>();
    for (String m : name.split("\\+")) {
      marks.add(Strategy.Mark.valueOf(m));
    }
    return new Strategy(EnumSet.copyOf(marks));
  }
}
