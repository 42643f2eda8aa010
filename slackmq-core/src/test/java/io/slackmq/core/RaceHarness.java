package io.slackmq.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * One racing worker: takes the messages in its own random order, acquires each, "works"
 * briefly, completes; a held message goes to the back of its queue (a bounded number of
 * times). Records every hold as "ts acquiredMicros completedMicros worker" lines, so holds from
 * threads and separate processes can be checked for overlap on one machine clock.
 */
final class RaceHarness {
  private RaceHarness() {}

  /** A hold of one message: [start, end] in epoch micros (end = complete() returned). */
  record Hold(String ts, long start, long end, String worker) {
    String line() {
      return ts + " " + start + " " + end + " " + worker;
    }

    static Hold parse(String line) {
      String[] p = line.trim().split(" ");
      return new Hold(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]), p[3]);
    }
  }

  /** Failed outcomes seen (codes), for assertions. */
  static List<Hold> run(LockClient client, List<String> messages, String channel, long seed,
      List<String> failures, Set<String> seenDone) {
    // Everyone walks the messages in the same order, so every message is contended at once.
    Deque<String> queue = new ArrayDeque<>(messages);
    List<Hold> holds = new ArrayList<>();
    int requeues = 0;
    Random random = new Random(seed ^ 0x5eed);
    while (!queue.isEmpty()) {
      String ts = queue.poll();
      if (seenDone.contains(ts)) {
        continue; // a worker runtime skips what its process already saw done
      }
      Outcome o = client.acquire(channel, ts);
      if (o instanceof Outcome.Acquired a) {
        long start = micros();
        Lease lease = a.lease();
        if (random.nextInt(10) == 0) {
          try {
            lease.extend(); // some jobs renew once
          } catch (SlackMQException e) {
            failures.add(e.error());
          }
        }
        if (!completeWithRetries(lease)) {
          queue.add(ts); // lost: someone else will finish it (or we will, later)
          continue;
        }
        holds.add(new Hold(ts, start, micros(), client.workerId()));
        seenDone.add(ts);
      } else if (o instanceof Outcome.Done) {
        seenDone.add(ts);
      } else if (o instanceof Outcome.Held && requeues++ < messages.size() * 3) {
        queue.add(ts);
      } else if (o instanceof Outcome.Failed f) {
        failures.add(f.slackError());
        queue.add(ts);
        if (failures.size() > 1000) {
          throw new IllegalStateException("too many failures: " + f);
        }
      }
    }
    return holds;
  }

  private static boolean completeWithRetries(Lease lease) {
    for (int i = 0; ; i++) {
      try {
        lease.complete();
        return true;
      } catch (SlackMQException e) {
        if (e.isLeaseLost() || i >= 5) {
          lease.close();
          return false;
        }
      }
    }
  }

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
