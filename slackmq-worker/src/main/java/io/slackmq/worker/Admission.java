package io.slackmq.worker;

import com.google.re2j.Matcher;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What gets in: every message from a source or the sweeper passes here once, and leaves as a {@link
 * Job} for the {@link HandlerPool} or not at all.
 *
 * <p>Dedup, cheapest first: an event_id seen before is dropped; a (channel, ts) delivered by an
 * event before is dropped (later copies are retries or the other event type); a message in flight
 * here or finished here is skipped by the sweeper too. Across workers, the lock's done mark (ONE,
 * ROLLING) and the per-worker thread records (ALL, ROLLING) decide; the local sets only save calls.
 */
final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);
  private static final Set<String> HANDLED_SUBTYPES =
      Set.of("bot_message", "file_share", "me_message");

  private final WorkerConfig cfg;
  private final List<Listener> listeners;
  private final Self self;
  private final LocalState local;
  private final HandlerPool pool;
  private final Counters counters;
  private final Affinity affinity;
  private final BoundedSet seenEvents = new BoundedSet(20_000);
  private final BoundedSet seenMessages = new BoundedSet(20_000);

  Admission(
      WorkerConfig cfg,
      List<Listener> listeners,
      Self self,
      LocalState local,
      HandlerPool pool,
      Counters counters,
      Affinity affinity) {
    this.affinity = affinity;
    this.cfg = cfg;
    this.listeners = listeners;
    this.self = self;
    this.local = local;
    this.pool = pool;
    this.counters = counters;
  }

  /**
   * From an event source or the poller; {@code transport} ({@code socket_mode}, {@code events_api},
   * {@code polling}) tags the meter.
   */
  void offer(Incoming m, String transport) {
    counters.received.increment();
    boolean duplicate = !admit(m);
    counters.meters.received(transport, duplicate);
  }

  /** False if {@code m} was dropped as a duplicate. */
  private boolean admit(Incoming m) {
    if (m.eventId() != null && !seenEvents.add(m.eventId())) {
      counters.duplicates.increment();
      log.debug("duplicate event {} dropped", m.eventId());
      return false;
    }
    if (m.mark() != null) {
      affinity.marked(m);
      return true;
    }
    Job job = match(m);
    if (job == null) {
      return true;
    }
    if (!seenMessages.add(m.key())) {
      counters.duplicates.increment();
      log.debug("{} already delivered here; dropped", m.key());
      return false;
    }
    if (job.delivery() == Delivery.ONE && !affinity.isHome(m)) {
      affinity.watch(job); // its home app acts; we only step in if it does not
      return true;
    }
    if (!pool.submit(job)) {
      seenMessages.remove(m.key()); // the sweeper will bring it back
    }
    return true;
  }

  /**
   * From the sweeper: a message read from history with its reactions and pin. Done and dead
   * messages cost no call; ONE's marked messages are inspected first; an unmarked ONE message
   * younger than the sweep grace is left to its event.
   */
  void sweep(Incoming m, Set<String> reactions, boolean pinned) {
    Job job = match(m);
    if (job == null) {
      return;
    }
    if (!reactions.contains(cfg.deadEmoji()) && local.revive(m.key())) {
      // Dead-lettered here before, its dead reaction gone: redriven (slackmq redrive). The
      // ledger decides whether it is free again; an acquire finds out.
      log.info("{} was redriven: back in the queue", m.key());
    }
    if (local.inflight(m.key()) || local.finished(m.key())) {
      return;
    }
    Delivery d = job.delivery();
    if (d != Delivery.ALL && reactions.contains(cfg.doneEmoji())) {
      local.finish(m.key());
      return;
    }
    if (d != Delivery.ALL && reactions.contains(cfg.deadEmoji())) {
      local.finishDead(m.key());
      return;
    }
    if (d == Delivery.ROLLING && local.turnTaken(m.key())) {
      return; // our turn is recorded; the others will finish it
    }
    boolean marked = pinned || reactions.contains(cfg.lockEmoji());
    if (d == Delivery.ONE && affinity.leaveToHome(m, marked)) {
      return; // its home app's, for now
    }
    if (d == Delivery.ONE
        && !marked
        && cfg.nowMicros() - io.slackmq.core.Ts.parse(m.ts()) < cfg.sweepGrace().toNanos() / 1000) {
      return; // fresh and untouched: its event is probably on its way to some worker
    }
    boolean inspectFirst = d == Delivery.ONE && marked;
    pool.submit(new Job(m, job.listener(), job.matcher(), inspectFirst));
  }

  /** The job for the first listener that takes {@code m}, or null (not for us). */
  Job match(Incoming m) {
    if (!local.accepting()
        || !cfg.channels().contains(m.channel())
        || m.isThreadReply()
        || (m.subtype() != null && !HANDLED_SUBTYPES.contains(m.subtype()))
        || self.wrote(m)) {
      return null;
    }
    for (Listener l : listeners) {
      Matcher mt = l.match(m, self.userId());
      if (mt != null) {
        return new Job(m, l, mt, false);
      }
    }
    return null;
  }
}
