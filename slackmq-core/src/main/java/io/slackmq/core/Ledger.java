package io.slackmq.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lease ledger: claim / renew / release / dead entries, posted as replies in the task message's
 * thread, and the deterministic fold that decides the holder.
 *
 * <p>Slack gives every message of a channel a unique ts assigned by the server, so the thread is a
 * totally ordered log that every worker reads the same way. Each entry is a line of text for humans
 * followed by a machine tag, e.g. {@code :lock: claimed by host-1 (lease 60s) [slackmq claim
 * id=k3j2... w=host-1 ttl=60000ms]}. Only replies posted by a bot (or, for a worker with a user
 * token, by any user) whose text ends with a well-formed tag count; anything else (chatter,
 * malformed tags) is ignored.
 *
 * <p>Fold rules, in ts order (all times are server ts, so wall clocks of workers don't matter):
 *
 * <ul>
 *   <li>claim: a claim id seen before is ignored (a post Slack stored twice). Valid iff the message
 *       is not dead and there is no live holder, i.e. no holder, the holder released, or claim.ts
 *       &gt; lastBeat + holder's ttl. A valid claim becomes the holder (lastBeat = its ts) and
 *       counts one attempt. An invalid claim changes nothing.
 *   <li>renew by the holder (same id): counts iff renew.ts &lt;= lastBeat + ttl; then lastBeat =
 *       renew.ts, and a renew that carries a ttl makes it the lease's ttl from then on (shorter or
 *       longer; versions before it read the claim's ttl instead). A late renew is ignored (the
 *       lease had already expired).
 *   <li>release / dead by the holder within its lease: frees / dead-letters the message.
 *   <li>handback by the holder within its lease: frees the message and gives the attempt back (the
 *       holder stopped or finished its turn; it did not fail). Versions before it ignore the entry
 *       and see the lease run out at its ttl instead.
 *   <li>redrive, by anyone who may write entries (an operator's {@code slackmq redrive}): counts
 *       iff the message is dead at that point; then it is free again and its attempts start from
 *       zero. On a message that is not dead it changes nothing, so it can never free a live lease
 *       nor reset the attempts of one. Versions before it ignore the entry (the message stays dead
 *       for them, never held twice).
 * </ul>
 *
 * Whether a claim is valid depends only on entries with a smaller ts. Slack's reads may lag (a
 * reader can see its own claim and miss an earlier rival's), so a worker reads only after the
 * read-lag bound has passed since its claim was stamped: then it sees every entry with a smaller ts
 * (assumption A1' in docs/PROTOCOL.md), and its verdict on its own claim is final.
 */
final class Ledger {
  private Ledger() {}

  static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,64}");

  private static final Pattern TAG =
      Pattern.compile(
          "\\[slackmq (claim|renew|release|handback|dead|redrive) id=([a-z0-9]{8,32})"
              + "(?: w=([A-Za-z0-9._:@/-]{1,64}))?(?: ttl=(\\d{1,12})ms)?(?: attempts=(\\d{1,6}))?\\]$");

  enum Op {
    CLAIM,
    RENEW,
    RELEASE,
    /** A release that gives the attempt back: the holder stopped, it did not fail. */
    HANDBACK,
    DEAD,
    /** An operator put a dead-lettered message back in the queue: its attempts start again. */
    REDRIVE;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Op of(String tag) {
      for (Op op : values()) {
        if (op.tag().equals(tag)) {
          return op;
        }
      }
      return null;
    }
  }

  /** The metadata event types of ledger entries: {@code slackmq_claim}, {@code slackmq_renew}... */
  static final String EVENT_PREFIX = "slackmq_";

  /**
   * An entry to post: the text people read (which still ends with the tag earlier versions parse),
   * and the machine part as message metadata, {@code slackmq_<op>} with a flat payload.
   */
  record Post(String text, String eventType, java.util.Map<String, Object> payload) {
    private static Post of(String text, Op op, String id, String worker, Object... more) {
      java.util.Map<String, Object> payload = new java.util.LinkedHashMap<>();
      payload.put("op", op.tag());
      payload.put("claim", id);
      payload.put("worker", worker);
      for (int i = 0; i < more.length; i += 2) {
        payload.put((String) more[i], more[i + 1]);
      }
      return new Post(text, EVENT_PREFIX + op.tag(), java.util.Map.copyOf(payload));
    }
  }

  /** One parsed entry. {@code worker} on claims, {@code ttlMicros} on claims and some renewals. */
  record Entry(long ts, Op op, String id, String worker, long ttlMicros) {}

  /**
   * The fold's result.
   *
   * @param holder the current (or last) holder's claim, null if never claimed
   * @param lastBeat ts of the holder's claim or last counted renewal
   * @param attempts valid claims so far
   * @param released the holder released (the message is free)
   * @param dead a dead entry was written
   * @param entries how many well-formed entries the thread holds
   */
  record State(
      Entry holder, long lastBeat, int attempts, boolean released, boolean dead, int entries) {
    static final State EMPTY = new State(null, 0, 0, false, false, 0);

    /** When the holder's lease ends on Slack's clock (only meaningful with a holder). */
    long expiresAt() {
      return holder == null ? 0 : lastBeat + holder.ttlMicros();
    }

    /** A holder that neither released nor expired by server time {@code nowMicros}. */
    boolean liveAt(long nowMicros) {
      return holder != null && !released && !dead && nowMicros <= expiresAt();
    }

    boolean heldBy(String claimId) {
      return holder != null && !released && holder.id().equals(claimId);
    }
  }

  /**
   * Parses a reply. An entry in metadata ({@code slackmq_*}) counts when a bot posted it, or, for
   * user-token workers, any user (see {@link SlackPort.Reply#userEntry()}): people cannot attach
   * metadata from Slack's clients, so typing a tag forges nothing. A reply without it counts only
   * when a bot posted it and its text ends with a well-formed tag (entries of earlier versions). A
   * malformed metadata entry is ignored, whatever its text says.
   */
  static Optional<Entry> parse(SlackPort.Reply reply) {
    if (!Ts.valid(reply.ts())) {
      return Optional.empty();
    }
    if (reply.eventType() != null && reply.eventType().startsWith(EVENT_PREFIX)) {
      return reply.bot() || reply.userEntry() ? fromMetadata(reply) : Optional.empty();
    }
    if (!reply.bot() || reply.text() == null) {
      return Optional.empty();
    }
    Matcher m = TAG.matcher(reply.text());
    if (!m.find()) {
      return Optional.empty();
    }
    return entry(
        reply.ts(),
        Op.of(m.group(1)),
        m.group(2),
        m.group(3),
        m.group(4) == null ? null : Long.parseLong(m.group(4)));
  }

  private static final Pattern CLAIM_ID = Pattern.compile("[a-z0-9]{8,32}");

  private static Optional<Entry> fromMetadata(SlackPort.Reply reply) {
    java.util.Map<String, Object> p = reply.payload();
    Op op = Op.of(reply.eventType().substring(EVENT_PREFIX.length()));
    Object id = p.get("claim");
    Object worker = p.get("worker");
    Object ttl = p.get("ttl_ms");
    if (op == null
        || !(id instanceof String claim)
        || !CLAIM_ID.matcher(claim).matches()
        || (worker != null && !(worker instanceof String w && WORKER_ID.matcher(w).matches()))
        || (ttl != null && !(ttl instanceof Number))) {
      return Optional.empty();
    }
    Long ttlMillis = ttl == null ? null : ((Number) ttl).longValue();
    return entry(reply.ts(), op, claim, (String) worker, ttlMillis);
  }

  /**
   * An entry, if its fields make one: a claim needs a worker and a ttl of 1 ms to ~31 years; a
   * renew's ttl, when it has one, is in the same range.
   */
  private static Optional<Entry> entry(String ts, Op op, String id, String worker, Long ttlMillis) {
    boolean badTtl = ttlMillis != null && (ttlMillis <= 0 || ttlMillis > 999_999_999_999L);
    if ((op == Op.CLAIM && (worker == null || ttlMillis == null || badTtl))
        || (op == Op.RENEW && badTtl)) {
      return Optional.empty();
    }
    long ttlMicros = ttlMillis == null ? 0 : ttlMillis * 1000L;
    return Optional.of(new Entry(Ts.parse(ts), op, id, worker, ttlMicros));
  }

  /** Parses and orders the entries of a thread. */
  static List<Entry> entries(List<SlackPort.Reply> replies) {
    List<Entry> out = new ArrayList<>();
    for (SlackPort.Reply r : replies) {
      parse(r).ifPresent(out::add);
    }
    out.sort(Comparator.comparingLong(Entry::ts));
    return out;
  }

  /** The deterministic fold; {@code entries} must be in ts order. */
  static State fold(List<Entry> entries) {
    Entry holder = null;
    long lastBeat = 0;
    int attempts = 0;
    boolean released = false;
    boolean dead = false;
    java.util.Set<String> claimIds = new java.util.HashSet<>();
    for (Entry e : entries) {
      if (e.op() == Op.CLAIM && !claimIds.add(e.id())) {
        continue; // a claim stored twice (a retried post): the first copy is the claim
      }
      boolean live = holder != null && !released && e.ts() <= lastBeat + holder.ttlMicros();
      boolean byHolder = live && e.id().equals(holder.id());
      switch (e.op()) {
        case CLAIM -> {
          if (!dead && !live) {
            holder = e;
            lastBeat = e.ts();
            attempts++;
            released = false;
          }
        }
        case RENEW -> {
          if (byHolder) {
            lastBeat = e.ts();
            if (e.ttlMicros() > 0) {
              holder =
                  new Entry(holder.ts(), holder.op(), holder.id(), holder.worker(), e.ttlMicros());
            }
          }
        }
        case RELEASE -> {
          if (byHolder) {
            released = true;
          }
        }
        case HANDBACK -> {
          if (byHolder) {
            released = true;
            attempts--;
          }
        }
        case DEAD -> {
          if (byHolder) {
            dead = true;
          }
        }
        case REDRIVE -> {
          if (dead) { // only a dead message: a redrive never frees a live lease
            dead = false;
            released = true;
            attempts = 0;
          }
        }
        default -> throw new AssertionError(e.op());
      }
    }
    return new State(holder, lastBeat, attempts, released, dead, entries.size());
  }

  static Post claimPost(String id, String worker, long ttlMillis) {
    return Post.of(claimLine(id, worker, ttlMillis), Op.CLAIM, id, worker, "ttl_ms", ttlMillis);
  }

  private static String claimLine(String id, String worker, long ttlMillis) {
    return ":lock: claimed by "
        + worker
        + " (lease "
        + seconds(ttlMillis)
        + ") [slackmq claim id="
        + id
        + " w="
        + worker
        + " ttl="
        + ttlMillis
        + "ms]";
  }

  static Post renewPost(String id, String worker) {
    return Post.of(
        ":arrows_counterclockwise: renewed by " + worker + " [slackmq renew id=" + id + "]",
        Op.RENEW,
        id,
        worker);
  }

  /** A renewal that also sets the lease's ttl from this entry on (a plain one if 0). */
  static Post renewPost(String id, String worker, long ttlMillis) {
    if (ttlMillis == 0) {
      return renewPost(id, worker);
    }
    String text =
        ":arrows_counterclockwise: renewed by "
            + worker
            + " (lease "
            + seconds(ttlMillis)
            + ") [slackmq renew id="
            + id
            + " ttl="
            + ttlMillis
            + "ms]";
    return Post.of(text, Op.RENEW, id, worker, "ttl_ms", ttlMillis);
  }

  static Post releasePost(String id, String worker, String reason) {
    return givenBack("released", Op.RELEASE, id, worker, reason);
  }

  static Post handBackPost(String id, String worker, String reason) {
    return givenBack("handed back", Op.HANDBACK, id, worker, reason);
  }

  private static Post givenBack(String verb, Op op, String id, String worker, String why) {
    String text =
        ":leftwards_arrow_with_hook: "
            + verb
            + " by "
            + worker
            + ": "
            + oneLine(why)
            + " [slackmq "
            + op.tag()
            + " id="
            + id
            + "]";
    return Post.of(text, op, id, worker, "reason", oneLine(why));
  }

  static Post deadPost(String id, String worker, int attempts) {
    return Post.of(deadLine(id, worker, attempts), Op.DEAD, id, worker, "attempts", attempts);
  }

  private static String deadLine(String id, String worker, int attempts) {
    return ":skull: dead-lettered by "
        + worker
        + " after "
        + attempts
        + " failed attempts [slackmq dead id="
        + id
        + " attempts="
        + attempts
        + "]";
  }

  /**
   * An operator's redrive, {@code by} being who ran it (a worker id's alphabet); {@code id} only
   * names the entry (it is no claim).
   */
  static Post redrivePost(String id, String by, String reason) {
    String why = oneLine(reason);
    String text =
        ":recycle: redriven by "
            + by
            + ": "
            + why
            + " (back in the queue, attempts start again) [slackmq redrive id="
            + id
            + " w="
            + by
            + "]";
    return Post.of(text, Op.REDRIVE, id, by, "reason", why);
  }

  /**
   * A worker's record in a thread (ALL and ROLLING delivery): {@code [slackmq handled w=host-1]}.
   * Same vocabulary as the ledger's tags, so one file holds the whole grammar.
   */
  private static final Pattern RECORD =
      Pattern.compile("\\[slackmq (handled|rolled) w=(" + WORKER_ID.pattern() + ")\\]$");

  static String recordText(String kind, String worker, String human) {
    return oneLine(human) + " [slackmq " + kind + " w=" + worker + "]";
  }

  /** The worker id of a {@code kind} record in {@code text}, or null. */
  static String recordWorker(String kind, String text) {
    Matcher m = RECORD.matcher(text);
    return m.find() && m.group(1).equals(kind) ? m.group(2) : null;
  }

  private static String oneLine(String reason) {
    String r = reason == null ? "no reason given" : reason.replaceAll("[\\r\\n\\[\\]]+", " ");
    return r.length() > 200 ? r.substring(0, 200) + "..." : r;
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
