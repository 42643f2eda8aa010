package io.slackmq.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A tiny in-memory model of the Slack primitives the protocol uses, on one message: pin, reactions
 * per user, stars per user, and thread replies stamped with unique, increasing server ts from a
 * model clock. Linearizable. Each worker gets a {@link Port} that yields to the {@link
 * ModelScheduler} before every operation, so the scheduler decides interleavings. Faults (per
 * port): a race window that lets a second "add" win, "already" answers after a presumed own timeout
 * (ambiguous), posts applied but reported as timeouts, failed reads.
 */
final class ModelSlack {
  static final String CHANNEL = "C0MODEL";
  final String parentTs;
  long now; // server time, micros
  private long lastTs;
  private boolean pinned;
  private final Map<String, Set<String>> reactions = new LinkedHashMap<>();
  private final Set<String> stars = new HashSet<>();
  private final List<SlackPort.Reply> replies = new ArrayList<>();

  /** Who posted each reply (by ts), for own-write visibility. */
  private final Map<String, Integer> posters = new HashMap<>();

  /** Reads in which the lag hid a rival's claim older than a claim of the reader's it showed. */
  int hidingReads;

  /**
   * Claims posted while an older rival claim was still invisible to the poster: a read right after
   * such a claim would have missed the rival (the hazard the read-lag bound removes).
   */
  int claimsWithHiddenRival;

  /** Called (under the scheduler's exclusivity) whenever a worker adds the done reaction. */
  Consumer<Integer> onDoneAdded = w -> {};

  String doneEmoji = "white_check_mark";

  ModelSlack(long startMicros) {
    now = startMicros;
    lastTs = startMicros;
    parentTs = Ts.format(startMicros);
  }

  private long stamp() {
    lastTs = Math.max(now, lastTs + 1);
    return lastTs;
  }

  /** The ledger as the server holds it right now (for invariant checks). */
  List<Ledger.Entry> ledger() {
    return Ledger.entries(replies);
  }

  boolean hasReaction(String name) {
    return reactions.containsKey(name) && !reactions.get(name).isEmpty();
  }

  /**
   * Faults a port injects; probabilities in [0, 1]. {@code readLagMicros}: each reply becomes
   * visible to each reader up to that long after it was stamped (drawn per reader and reply);
   * {@code ownWritesVisible}: a poster sees its own replies at once; {@code lostPost}: a post
   * answered with a ts but never stored; {@code duplicatePost}: a post stored twice.
   */
  record Faults(
      double raceWindow,
      double ambiguous,
      double postTimeout,
      double readFailure,
      long readLagMicros,
      boolean ownWritesVisible,
      double lostPost,
      double duplicatePost) {
    static final Faults NONE = new Faults(0, 0, 0, 0);

    Faults(double raceWindow, double ambiguous, double postTimeout, double readFailure) {
      this(raceWindow, ambiguous, postTimeout, readFailure, 0, true, 0, 0);
    }
  }

  /** A worker's view: its user id, its faults, its scheduler hook. */
  final class Port implements SlackPort {
    private final int worker;
    private final String user;
    private final Faults faults;
    private final Random random;
    private final ModelScheduler scheduler;
    private final Map<String, Long> counts = new HashMap<>();

    Port(int worker, String user, Faults faults, Random random, ModelScheduler scheduler) {
      this.worker = worker;
      this.user = user;
      this.faults = faults;
      this.random = random;
      this.scheduler = scheduler;
    }

    private void step(String method) {
      counts.merge(method, 1L, Long::sum);
      if (scheduler != null) {
        scheduler.op(worker);
      }
    }

    private boolean fault(double p) {
      return p > 0 && random.nextDouble() < p;
    }

    @Override
    public Added addMark(String channel, String ts, Strategy.Mark mark, String emoji) {
      step("add." + mark);
      boolean present;
      switch (mark) {
        case PIN -> present = pinned;
        case REACTION -> present = reactions.getOrDefault(emoji, Set.of()).contains(user);
        case STAR -> present = stars.contains(user);
        default -> throw new AssertionError(mark);
      }
      if (mark == Strategy.Mark.REACTION && emoji.equals(doneEmoji)) {
        onDoneAdded.accept(worker); // every attempt to write done, first or not
      }
      if (present && !fault(faults.raceWindow())) {
        return fault(faults.ambiguous()) ? Added.AMBIGUOUS : Added.ALREADY;
      }
      switch (mark) {
        case PIN -> pinned = true;
        case REACTION -> {
          reactions.computeIfAbsent(emoji, k -> new HashSet<>()).add(user);
        }
        case STAR -> stars.add(user);
        default -> throw new AssertionError(mark);
      }
      return Added.ADDED;
    }

    @Override
    public void removeMark(String channel, String ts, Strategy.Mark mark, String emoji) {
      step("remove." + mark);
      switch (mark) {
        case PIN -> pinned = false;
        case REACTION -> reactions.getOrDefault(emoji, new HashSet<>()).remove(user);
        case STAR -> stars.remove(user);
        default -> throw new AssertionError(mark);
      }
    }

    @Override
    public String postReply(String channel, String threadTs, Ledger.Post post) {
      String text = post.text();
      step("post");
      if (text.contains("[slackmq claim ")) {
        for (SlackPort.Reply r : replies) {
          if (posters.get(r.ts()) != worker
              && r.text().contains("[slackmq claim ")
              && !visible(r)) {
            claimsWithHiddenRival++;
            break;
          }
        }
      }
      String ts = Ts.format(stamp());
      if (!fault(faults.lostPost())) {
        store(ts, post);
        if (fault(faults.duplicatePost())) {
          store(Ts.format(stamp()), post); // a retried post Slack applied twice
        }
      }
      if (fault(faults.postTimeout())) {
        throw new SlackMQException("timeout", "model: applied, then timed out");
      }
      return ts;
    }

    private void store(String ts, Ledger.Post post) {
      replies.add(new Reply(ts, true, false, post.text(), post.eventType(), post.payload()));
      posters.put(ts, worker);
    }

    /** Whether this worker can see {@code r} yet: stamped + its lag for this reader. */
    private boolean visible(SlackPort.Reply r) {
      long lag = faults.readLagMicros();
      if (lag == 0 || (faults.ownWritesVisible() && posters.get(r.ts()) == worker)) {
        return true;
      }
      long h = r.ts().hashCode() * 0x9E3779B97F4A7C15L ^ (worker + 1) * 0xC2B2AE3D27D4EB4FL;
      h ^= h >>> 29;
      long drawn = Math.floorMod(h * 0xBF58476D1CE4E5B9L, lag + 1);
      return now >= Ts.parse(r.ts()) + drawn;
    }

    @Override
    public void deleteReply(String channel, String ts) {
      step("delete");
      replies.removeIf(r -> r.ts().equals(ts));
      posters.remove(ts);
    }

    @Override
    public ThreadRead readThread(String channel, String ts) {
      step("read");
      if (fault(faults.readFailure())) {
        throw new SlackMQException("http_500", "model: read failed");
      }
      List<String> names = new ArrayList<>();
      reactions.forEach(
          (k, v) -> {
            if (!v.isEmpty()) {
              names.add(k);
            }
          });
      List<SlackPort.Reply> seen = new ArrayList<>();
      List<SlackPort.Reply> hidden = new ArrayList<>();
      for (SlackPort.Reply r : replies) {
        (visible(r) ? seen : hidden).add(r);
      }
      countHazard(seen, hidden);
      return new ThreadRead(parentTs, names, pinned, seen);
    }

    /** A hidden rival claim older than a visible claim of ours: the hazard the lag bound fixes. */
    private void countHazard(List<SlackPort.Reply> seen, List<SlackPort.Reply> hidden) {
      long ourNewestClaim = Long.MIN_VALUE;
      for (SlackPort.Reply r : seen) {
        if (posters.get(r.ts()) == worker && r.text().contains("[slackmq claim ")) {
          ourNewestClaim = Math.max(ourNewestClaim, Ts.parse(r.ts()));
        }
      }
      for (SlackPort.Reply r : hidden) {
        if (posters.get(r.ts()) != worker
            && r.text().contains("[slackmq claim ")
            && Ts.parse(r.ts()) < ourNewestClaim) {
          hidingReads++;
          return;
        }
      }
    }

    String parentTs() {
      return parentTs;
    }

    @Override
    public ApiCalls calls() {
      return new ApiCalls(counts, Map.of());
    }
  }
}
