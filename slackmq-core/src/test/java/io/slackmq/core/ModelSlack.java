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

  /** Faults a port injects; probabilities in [0, 1]. */
  record Faults(double raceWindow, double ambiguous, double postTimeout, double readFailure) {
    static final Faults NONE = new Faults(0, 0, 0, 0);
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
    public String postReply(String channel, String threadTs, String text) {
      step("post");
      String ts = Ts.format(stamp());
      replies.add(new Reply(ts, true, false, text));
      if (fault(faults.postTimeout())) {
        throw new SlackMQException("timeout", "model: applied, then timed out");
      }
      return ts;
    }

    @Override
    public void deleteReply(String channel, String ts) {
      step("delete");
      replies.removeIf(r -> r.ts().equals(ts));
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
      return new ThreadRead(parentTs, names, pinned, List.copyOf(replies));
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
