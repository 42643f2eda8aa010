package io.slackmq.worker;

import com.slack.api.model.Message;
import io.slackmq.core.Ts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which app of a fleet of several acts on a message (ONE delivery). Every app receives every event,
 * so without this each message costs a mark and a claim per app, and all but one lose. With the
 * fleet's apps configured ({@link WorkerBuilder#apps}), each message has a home app, chosen by a
 * stable hash of (channel, ts) that every worker computes alike. The home app's workers act at
 * once; the others watch the message instead of acting on it:
 *
 * <ul>
 *   <li>a {@code pin_added} or {@code reaction_added} event (lock, done or dead mark) on it shows
 *       that someone took it: the watch ends, at no call;
 *   <li>a message still unmarked after the grace period is read back, in one {@code
 *       conversations.history} call per channel for all such messages at once, and handed to the
 *       pool if it is still unclaimed: the normal lock then decides, so a dead or slow home app's
 *       share is still done, exactly once.
 * </ul>
 *
 * <p>The sweeper follows the same rule for messages it finds: a non-home app leaves an unmarked
 * message to its home app for the grace period, and a marked one for the grace period plus the
 * lease ttl (the home app's own sweeper takes over from its own dead holders). ALL and ROLLING are
 * per worker: every worker of every app takes part, so affinity does not apply to them.
 */
final class Affinity {
  private static final Logger log = LoggerFactory.getLogger(Affinity.class);
  static final int MAX_WATCHED = 10_000;

  private record Watched(Job job, long sinceNanos) {}

  private final WorkerConfig cfg;
  private final Self self;
  private final SlackCalls slack;
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();
  private final HandlerPool pool;

  Affinity(WorkerConfig cfg, Self self, SlackCalls slack, HandlerPool pool) {
    this.cfg = cfg;
    this.self = self;
    this.slack = slack;
    this.pool = pool;
  }

  /** The app (bot user id) whose workers act on (channel, ts) at once. */
  static String home(List<String> apps, String channel, String ts) {
    CRC32 crc = new CRC32();
    crc.update((channel + "/" + ts).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return apps.get((int) (crc.getValue() % apps.size()));
  }

  /** Whether this worker's app should act on {@code m} at once (always true without affinity). */
  boolean isHome(Incoming m) {
    List<String> apps = cfg.apps();
    String me = self.userId();
    return apps.size() < 2
        || me == null
        || !apps.contains(me)
        || home(apps, m.channel(), m.ts()).equals(me);
  }

  /** Watches {@code job}'s message for the grace period instead of acting on it. */
  void watch(Job job) {
    if (watched.size() >= MAX_WATCHED) {
      return; // the sweeper will find it
    }
    watched.putIfAbsent(job.key(), new Watched(job, cfg.nanoTime().getAsLong()));
  }

  /** A mark event ({@link Incoming#mark()}): if it shows the message taken, the watch ends. */
  void marked(Incoming m) {
    if (takenBy(m.mark())) {
      watched.remove(m.key());
    }
  }

  int watching() {
    return watched.size();
  }

  /** The grace period in this worker's (scaled) time. */
  long graceNanos() {
    return (long) (cfg.affinityGrace().toNanos() / cfg.timeScale());
  }

  /**
   * For the sweeper: whether a non-home app leaves {@code m} alone for now (see the class comment).
   */
  boolean leaveToHome(Incoming m, boolean marked) {
    if (isHome(m)) {
      return false;
    }
    long ageMicros = cfg.nowMicros() - Ts.parse(m.ts());
    long waitMicros = cfg.affinityGrace().toNanos() / 1000;
    if (marked) {
      waitMicros += cfg.leaseTtl().toNanos() / 1000;
    }
    return ageMicros < (long) (waitMicros / cfg.timeScale());
  }

  /**
   * The periodic check: reads back, one call per channel, the watched messages whose grace has
   * passed without a mark event, and hands the unclaimed ones to the pool. No call when nothing is
   * due.
   */
  void check() {
    long now = cfg.nanoTime().getAsLong();
    Map<String, List<Watched>> due = new TreeMap<>();
    for (Watched w : watched.values()) {
      if (now - w.sinceNanos() >= graceNanos()) {
        due.computeIfAbsent(w.job().message().channel(), c -> new ArrayList<>()).add(w);
      }
    }
    if (due.isEmpty()) {
      return;
    }
    Guard.perChannel(
        log, "the affinity check", due.keySet(), c -> takeOverUnclaimed(c, due.get(c)));
  }

  private void takeOverUnclaimed(String channel, List<Watched> due) {
    String oldest = due.get(0).job().message().ts();
    for (Watched w : due) {
      if (Ts.parse(w.job().message().ts()) < Ts.parse(oldest)) {
        oldest = w.job().message().ts();
      }
    }
    Map<String, Message> seen = new java.util.HashMap<>();
    // SlackCalls.history reads ts > oldest: start one microsecond earlier
    for (Message m : slack.history(channel, Ts.format(Ts.parse(oldest) - 1))) {
      seen.put(channel + "/" + m.getTs(), m);
    }
    for (Watched w : due) {
      watched.remove(w.job().key());
      Message m = seen.get(w.job().key());
      if (m != null
          && (SlackCalls.pinnedIn(m, channel)
              || SlackCalls.reactions(m).stream().anyMatch(this::takenBy))) {
        continue; // someone took it and we missed the event: its home app's business
      }
      log.info("{} unclaimed after the affinity grace: taking it over", w.job().key());
      pool.submit(w.job());
    }
  }

  /**
   * Whether a mark ({@code "pin"} or a reaction's emoji) shows that someone took the message: a
   * pin, or the lock, done or dead reaction.
   */
  boolean takenBy(String mark) {
    return mark.equals("pin")
        || mark.equals(cfg.lockEmoji())
        || mark.equals(cfg.doneEmoji())
        || mark.equals(cfg.deadEmoji());
  }
}
