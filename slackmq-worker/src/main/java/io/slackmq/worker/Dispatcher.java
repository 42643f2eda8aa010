package io.slackmq.worker;

import com.slack.api.model.Message;
import com.slack.api.model.Reaction;
import io.slackmq.core.Lease;
import io.slackmq.core.LockClient;
import io.slackmq.core.MessageState;
import io.slackmq.core.Outcome;
import io.slackmq.core.SlackMQException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns messages from any source into handler runs, by delivery mode.
 *
 * <p>Dedup, cheapest first: an event_id seen before is dropped; a (channel, ts) delivered by an
 * event before is dropped (later copies are retries or the other event type); a message in flight
 * here or finished here (done, dead, or this worker's ALL/ROLLING turn recorded) is skipped by the
 * sweeper too. Across workers, the lock's done mark (ONE, ROLLING) and the per-worker thread
 * records (ALL, ROLLING) decide; the local sets only save calls.
 */
final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Set<String> HANDLED_SUBTYPES =
      Set.of("bot_message", "file_share", "me_message");

  private final WorkerConfig cfg;
  private final List<Listener> listeners;
  private final LockClient lock;
  private final LockClient rollingLock;
  private final SlackCalls slack;
  private final Counters counters;
  private final RateGate gate;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService scheduler;

  private final BoundedSet seenEvents = new BoundedSet(20_000);
  private final BoundedSet seenMessages = new BoundedSet(20_000);
  private final BoundedSet finished = new BoundedSet(20_000);
  private final BoundedSet turnDone = new BoundedSet(20_000);
  private final Set<String> inflight = ConcurrentHashMap.newKeySet();
  private final Set<Lease> active = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> localFailures = new ConcurrentHashMap<>();
  private volatile boolean accepting = true;
  volatile String botUser;
  volatile String botId;

  Dispatcher(
      WorkerConfig cfg,
      List<Listener> listeners,
      LockClient lock,
      LockClient rollingLock,
      SlackCalls slack,
      Counters counters,
      RateGate gate,
      ThreadPoolExecutor pool,
      ScheduledExecutorService scheduler) {
    this.cfg = cfg;
    this.listeners = listeners;
    this.lock = lock;
    this.rollingLock = rollingLock;
    this.slack = slack;
    this.counters = counters;
    this.gate = gate;
    this.pool = pool;
    this.scheduler = scheduler;
  }

  /** A listener's match on a message. */
  record Match(Listener listener, Matcher matcher) {}

  /** From an event source (Socket Mode, Events API) or the poller. */
  void offer(Incoming m) {
    counters.received.increment();
    if (m.eventId() != null && !seenEvents.add(m.eventId())) {
      counters.duplicates.increment();
      log.debug("duplicate event {} dropped", m.eventId());
      return;
    }
    Match match = match(m);
    if (match == null) {
      return;
    }
    if (!seenMessages.add(m.key())) {
      counters.duplicates.increment();
      log.debug("{} already delivered here; dropped", m.key());
      return;
    }
    submit(m, match, false);
  }

  /** The listener that takes {@code m}, or null (not served, thread reply, own message...). */
  Match match(Incoming m) {
    if (!accepting
        || !cfg.channels().contains(m.channel())
        || m.isThreadReply()
        || (m.subtype() != null && !HANDLED_SUBTYPES.contains(m.subtype()))) {
      return null;
    }
    if ((botId != null && botId.equals(m.botId()))
        || (botUser != null && botUser.equals(m.user()))) {
      return null; // our own messages (replies, ledger entries) never trigger us
    }
    for (Listener l : listeners) {
      Matcher mt = l.match(m, botUser);
      if (mt != null) {
        return new Match(l, mt);
      }
    }
    return null;
  }

  /** From the sweeper: a message read from history with its reactions and pin. */
  void sweep(Incoming m, Set<String> reactions, boolean pinned) {
    Match match = match(m);
    if (match == null || inflight.contains(m.key()) || finished.contains(m.key())) {
      return;
    }
    Delivery d = match.listener().delivery;
    if (d != Delivery.ALL
        && (reactions.contains(cfg.doneEmoji()) || reactions.contains(cfg.deadEmoji()))) {
      finished.add(m.key());
      return;
    }
    if (d == Delivery.ROLLING && turnDone.contains(m.key())) {
      return; // our turn is recorded; the others will finish it
    }
    boolean marked = pinned || reactions.contains(cfg.lockEmoji());
    if (d == Delivery.ONE
        && !marked
        && nowMicros() - SlackCalls.micros(m.ts()) < cfg.sweepGrace().toNanos() / 1000) {
      return; // fresh and untouched: its event is probably on its way to some worker
    }
    submit(m, match, d == Delivery.ONE && marked);
  }

  /** Free slots in the handler queue: the sweeper and poller stop reading when it is full. */
  int capacity() {
    return pool.getQueue().remainingCapacity();
  }

  private void submit(Incoming m, Match match, boolean inspectFirst) {
    if (inflight.contains(m.key())) {
      return;
    }
    try {
      pool.execute(() -> run(m, match, inspectFirst));
    } catch (RejectedExecutionException e) {
      counters.deferred.increment();
      seenMessages.remove(m.key());
      log.info("handler queue full or stopping: {} left to the sweeper", m.key());
    }
  }

  private void run(Incoming m, Match match, boolean inspectFirst) {
    if (!accepting || !inflight.add(m.key())) {
      return;
    }
    MDC.put("channel", m.channel());
    MDC.put("ts", m.ts());
    MDC.put("worker", cfg.workerId());
    try {
      gate.awaitOpen();
      Delivery d = match.listener().delivery;
      if (d == Delivery.ONE) {
        one(m, match, inspectFirst);
      } else if (d == Delivery.ALL) {
        all(m, match);
      } else {
        rolling(m, match);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SlackMQException e) {
      log.warn("gave up on the message for now: {} ({})", e.error(), e.hint());
    } catch (RuntimeException e) {
      log.error("unexpected failure handling the message", e);
    } finally {
      inflight.remove(m.key());
      MDC.clear();
    }
  }

  // ---- ONE -----------------------------------------------------------------------------------

  private void one(Incoming m, Match match, boolean inspectFirst) {
    if (inspectFirst) {
      MessageState s = lock.inspect(m.channel(), m.ts());
      if (s instanceof MessageState.Held) {
        return;
      }
      if (s instanceof MessageState.Done || s instanceof MessageState.DeadLettered) {
        finished.add(m.key());
        return;
      }
    }
    Outcome o = acquire(lock, m);
    if (o instanceof Outcome.Acquired a) {
      runLeased(
          m,
          match,
          a.lease(),
          lock,
          cfg.maxAttempts(),
          () -> {
            a.lease().complete();
            finished.add(m.key());
          });
    } else if (o instanceof Outcome.Failed f && "ratelimited".equals(f.slackError())) {
      retryLater(m, match); // back off here rather than wait for the next sweep
    }
  }

  private Outcome acquire(LockClient client, Incoming m) {
    long limitedBefore = client.calls().totalRateLimited();
    Outcome o = client.acquire(m.channel(), m.ts());
    if (client.calls().totalRateLimited() > limitedBefore) {
      gate.pause(Duration.ofMillis((long) Math.max(50, 1000 / cfg.timeScale())));
    }
    if (o instanceof Outcome.Acquired) {
      counters.acquired.increment();
    } else if (o instanceof Outcome.Held h) {
      counters.lostRaces.increment();
      log.debug("held by {} until {}", h.holder(), h.expires());
    } else if (o instanceof Outcome.Done || o instanceof Outcome.DeadLettered) {
      finished.add(m.key());
    } else if (o instanceof Outcome.Failed f) {
      log.warn("could not acquire: {} ({})", f.slackError(), f.hint());
      if ("ratelimited".equals(f.slackError())) {
        gate.pause(Duration.ofMillis((long) Math.max(50, 1000 / cfg.timeScale())));
      }
    }
    return o;
  }

  /** Runs the handler under {@code lease}; {@code onSuccess} ends the lease (complete/release). */
  private void runLeased(
      Incoming m,
      Match match,
      Lease lease,
      LockClient client,
      int maxAttempts,
      Runnable onSuccess) {
    active.add(lease);
    lease.startWatchdog();
    try {
      if (runHandler(m, match, lease, client, maxAttempts) && !killed) {
        recordSuccess(match, lease, onSuccess);
      }
    } finally {
      active.remove(lease);
      if (!killed) {
        lease.close(); // releases if neither completed nor released: never leave a lock behind
      }
    }
  }

  /** Runs the handler; true if it returned. A handler's failure is released for a retry here. */
  private boolean runHandler(
      Incoming m, Match match, Lease lease, LockClient client, int maxAttempts) {
    try {
      match
          .listener()
          .handler
          .handle(
              new Context(
                  m,
                  match.matcher(),
                  slack,
                  lease,
                  cfg.workerId(),
                  match.listener().delivery,
                  lease.attempt()));
      return true;
    } catch (SlackMQException e) {
      if (killed) {
        return false; // a crashed worker completes nothing: its lease must expire
      }
      if (e.isLeaseLost()) {
        log.warn("lease lost while handling: another worker may take over");
      } else {
        failed(m, match, lease, client, maxAttempts, e);
      }
    } catch (InterruptedException e) {
      if (!killed) {
        // Before restoring the flag: an interrupted thread cannot make the release's HTTP calls.
        releaseQuietly(
            lease,
            accepting
                ? "worker " + cfg.workerId() + " interrupted"
                : "worker " + cfg.workerId() + " stopping: deadline passed");
      }
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!killed) {
        failed(m, match, lease, client, maxAttempts, e);
      }
    }
    return false;
  }

  /**
   * The handler succeeded: record it (complete the lease, or the ROLLING turn). A failure here is
   * not the handler's, so it never counts as a failed attempt nor leads to a dead letter. It is
   * retried a few times (core's complete() renews or re-claims a lease that expired during a long
   * handler); if recording still fails, the lease is released with the reason and the message will
   * run again: at least once, never lost.
   */
  private void recordSuccess(Match match, Lease lease, Runnable onSuccess) {
    for (int attempt = 1; ; attempt++) {
      try {
        onSuccess.run();
        counters.completed.increment();
        log.info("handled by {} ({})", cfg.workerId(), match.listener());
        return;
      } catch (SlackMQException e) {
        if (e.isLeaseLost() || killed || attempt == 3) {
          log.error(
              "handled, but recording it failed ({}: {}); another worker will run it again",
              e.error(),
              e.hint());
          if (!e.isLeaseLost() && !killed) {
            releaseQuietly(
                lease, "handled by " + cfg.workerId() + ", but marking it failed: " + e.error());
          }
          return;
        }
        log.warn("handled, recording it failed ({}); retrying", e.error());
        try {
          Thread.sleep(200L * attempt); // Slack's transient trouble; the watchdog keeps the lease
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void releaseQuietly(Lease lease, String reason) {
    try {
      lease.release(reason);
    } catch (RuntimeException e) {
      log.warn("could not release {}/{}: {}", lease.channel(), lease.ts(), e.getMessage());
    }
  }

  private void failed(
      Incoming m, Match match, Lease lease, LockClient client, int maxAttempts, Exception e) {
    String why = describe(e);
    if (!lease.isValid()) {
      log.warn("handler failed after the lease ended: {}", why);
      return;
    }
    log.warn("handler failed (attempt {} of {}): {}", lease.attempt(), maxAttempts, why, e);
    lease.release("attempt " + lease.attempt() + " failed: " + why);
    if (lease.attempt() >= maxAttempts) {
      // The next acquire finds the attempts used up and writes the dead-letter entry and mark.
      Outcome o = client.acquire(m.channel(), m.ts());
      if (o instanceof Outcome.DeadLettered) {
        deadLettered(m, maxAttempts + " attempts", why);
      } else if (o instanceof Outcome.Acquired a) {
        a.lease().release("not dead-lettered as expected; leaving it for a retry");
      }
      return;
    }
    counters.retried.increment();
    retryLater(m, match);
  }

  private void deadLettered(Incoming m, String attempts, String why) {
    counters.deadLettered.increment();
    finished.add(m.key());
    log.error("dead-lettered after {}: {}", attempts, why);
    slack.post(
        m.channel(),
        ":skull: Gave up on this message after "
            + attempts
            + ". Last error on "
            + cfg.workerId()
            + ": "
            + why,
        m.ts());
  }

  private void retryLater(Incoming m, Match match) {
    long delay = cfg.retryDelay().toMillis();
    scheduler.schedule(
        () -> {
          if (accepting && !finished.contains(m.key())) {
            submit(m, new Match(match.listener(), match.listener().match(m, botUser)), false);
          }
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  // ---- ALL -----------------------------------------------------------------------------------

  private void all(Incoming m, Match match) {
    if (finished.contains(m.key())) {
      return;
    }
    if (recorded(slack.thread(m.channel(), m.ts()), "handled").contains(cfg.workerId())) {
      finished.add(m.key());
      return;
    }
    int attempt = localFailures.getOrDefault(m.key(), 0) + 1;
    try {
      match
          .listener()
          .handler
          .handle(
              new Context(m, match.matcher(), slack, null, cfg.workerId(), Delivery.ALL, attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      String why = describe(e);
      log.warn("handler failed (attempt {} of {}): {}", attempt, cfg.maxAttempts(), why, e);
      localFailures.put(m.key(), attempt);
      if (attempt >= cfg.maxAttempts()) {
        slack.post(
            m.channel(), record("handled", ":x: " + cfg.workerId() + " failed: " + why), m.ts());
        deadLettered(m, attempt + " attempts", why);
      } else {
        counters.retried.increment();
        retryLater(m, match);
      }
      return;
    }
    // Done: remember it here first, so a failing record below cannot make this process redo it.
    localFailures.remove(m.key());
    finished.add(m.key());
    counters.completed.increment();
    log.info("handled by {} ({})", cfg.workerId(), match.listener());
    try {
      slack.post(
          m.channel(),
          record("handled", ":white_check_mark: handled by " + cfg.workerId()),
          m.ts());
    } catch (SlackMQException e) {
      log.error(
          "handled, but recording it in the thread failed ({}); after a restart this"
              + " worker may handle it again",
          e.error());
    }
  }

  // ---- ROLLING -------------------------------------------------------------------------------

  private void rolling(Incoming m, Match match) {
    List<Message> thread = slack.thread(m.channel(), m.ts());
    if (thread.isEmpty() || reactions(thread.get(0)).contains(cfg.doneEmoji())) {
      finished.add(m.key());
      return;
    }
    Set<String> rolled = recorded(thread, "rolled");
    if (rolled.contains(cfg.workerId())) {
      turnDone.add(m.key());
      return;
    }
    if (!mayProceed(rolled, thread.get(0))) {
      return; // the sweeper looks again later
    }
    Outcome o = acquire(rollingLock, m);
    if (!(o instanceof Outcome.Acquired a)) {
      return;
    }
    Lease lease = a.lease();
    Set<String> now;
    try {
      // Re-read under the lease: another worker's turn may have ended since our first read.
      thread = slack.thread(m.channel(), m.ts());
      now = recorded(thread, "rolled");
      if (now.contains(cfg.workerId()) || !mayProceed(now, thread.get(0))) {
        lease.release(
            now.contains(cfg.workerId()) ? "turn already recorded" : "waiting for approval");
        return;
      }
    } catch (RuntimeException e) {
      releaseQuietly(
          lease, "could not read the thread: " + e.getMessage()); // never keep a lock we won't use
      throw e;
    }
    int maxAttempts = cfg.maxAttempts() * Math.max(1, cfg.fleet().size());
    runLeased(
        m,
        match,
        lease,
        rollingLock,
        maxAttempts,
        () -> {
          now.add(cfg.workerId());
          boolean canaryStep = cfg.canaryEmoji() != null && now.size() == 1;
          String text =
              ":arrows_clockwise: rolled on "
                  + cfg.workerId()
                  + " ("
                  + now.size()
                  + " of "
                  + cfg.fleet().size()
                  + ")"
                  + (canaryStep
                      ? "; canary: react with :" + cfg.canaryEmoji() + ": to roll out to the rest"
                      : "");
          slack.post(m.channel(), record("rolled", text), m.ts());
          turnDone.add(m.key());
          if (now.containsAll(cfg.fleet())) {
            lease.complete();
            finished.add(m.key());
          } else {
            lease.release(
                "rolled on "
                    + cfg.workerId()
                    + " ("
                    + now.size()
                    + " of "
                    + cfg.fleet().size()
                    + ")");
          }
        });
  }

  /** After the canary's turn, the rest wait for a human's approval reaction. */
  private boolean mayProceed(Set<String> rolled, Message parent) {
    if (cfg.canaryEmoji() == null || rolled.isEmpty()) {
      return true;
    }
    if (parent.getReactions() == null) {
      return false;
    }
    for (Reaction r : parent.getReactions()) {
      if (cfg.canaryEmoji().equals(r.getName()) && r.getUsers() != null) {
        for (String u : r.getUsers()) {
          if (!u.equals(botUser) && !slack.isBot(u)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // ---- records in the thread -----------------------------------------------------------------

  private static final Pattern RECORD =
      Pattern.compile("\\[slackmq (handled|rolled) w=([A-Za-z0-9._:@/-]{1,64})\\]$");

  private String record(String kind, String human) {
    return human + " [slackmq " + kind + " w=" + cfg.workerId() + "]";
  }

  /** Worker ids with a {@code kind} record among the bot replies of a thread. */
  static Set<String> recorded(List<Message> thread, String kind) {
    Set<String> out = new TreeSet<>();
    for (int i = 1; i < thread.size(); i++) {
      Message r = thread.get(i);
      if (r.getBotId() == null || r.getText() == null) {
        continue;
      }
      Matcher mt = RECORD.matcher(r.getText());
      if (mt.find() && mt.group(1).equals(kind)) {
        out.add(mt.group(2));
      }
    }
    return out;
  }

  static Set<String> reactions(Message m) {
    Set<String> out = new TreeSet<>();
    if (m.getReactions() != null) {
      for (Reaction r : m.getReactions()) {
        out.add(r.getName());
      }
    }
    return out;
  }

  private static String describe(Exception e) {
    String msg = e.getMessage();
    String s = e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    s = s.replaceAll("[\\r\\n]+", " ");
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  // ---- shutdown ------------------------------------------------------------------------------

  /**
   * Set by {@link SlackMQWorker#kill()}: from then on no lease is completed, released or closed, as
   * after a real crash, so other workers must wait for the leases to expire.
   */
  volatile boolean killed;

  /** Stops taking messages (sources may still call; everything is dropped). */
  void stopAccepting() {
    accepting = false;
    pool.getQueue().clear(); // queued tasks have not acquired anything yet
  }

  /** Releases every lease still held (handlers that did not finish within the deadline). */
  void releaseAll(String reason) {
    for (Lease lease : active) {
      releaseQuietly(lease, reason);
    }
  }

  int activeLeases() {
    return active.size();
  }
}
